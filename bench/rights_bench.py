"""Kill points, hostile workspaces, and backup/forget timings (issue 34; bench/RESULTS.md,
"Workspace safety").

    nice .venv/bin/python bench/rights_bench.py kills --per-command 8     # ~3 min on 2 cores
    nice .venv/bin/python bench/rights_bench.py hostile
    nice .venv/bin/python bench/rights_bench.py timing --events 1000000

``kills``: each command is first run under ``strace -f -e trace=pwrite64`` to count its SQLite
writes (and file writes), then re-run from the same starting workspace, killed with SIGKILL at
evenly spread write numbers K (``strace -f -e inject=pwrite64:signal=KILL:when=K``). After each
kill the workspace is opened (SQLite recovers its WAL) and checked: ``shoprec check`` finds no
problem, and the command's own all-or-nothing rule holds (listed per command below).

Runtime: ``kills --per-command 8`` about 3 minutes on 2 cores; the other subcommands are not
timed. Results: bench/RESULTS.md, "Workspace safety".
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import random
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHOPREC = str(Path(sys.executable).with_name("shoprec"))
sys.path.insert(0, str(ROOT / "tests"))


def write_events(path: Path, n_customers: int, start: int = 0) -> Path:
    rows = ["customer_id,email,product_id,title,timestamp,event_type,order_id"]
    for c in range(start, start + n_customers):
        for j in range(5):
            item = (c * 7 + j * 3) % 40 + 1
            rows.append(f"CUST{c:05d},person{c}@mail.example,P{item:03d},Product {item},"
                        f"2025-0{1 + j}-1{j % 9} 10:00:00,purchase,O{c}-{j}")
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    return path


def sh(args: list[str], env: dict | None = None, timeout: int = 300) -> subprocess.CompletedProcess:
    return subprocess.run(args, capture_output=True, text=True, env={**os.environ, **(env or {})},
                          timeout=timeout)


# ---------------------------------------------------------------------------------------------
# kills
# ---------------------------------------------------------------------------------------------


def state(ws_path: Path) -> dict:
    from shoprec.core.store.maintenance import check
    from shoprec.core.store.workspace import Workspace

    with Workspace(ws_path, allow_unknown_schema=True) as ws:
        c = ws.conn
        rep = check(ws)
        runs = c.execute("SELECT id, model_id, info FROM runs ORDER BY id").fetchall()
        lists = {}
        for run_id, _m, info in runs:
            top = json.loads(info or "{}").get("lists", {}).get("top_n")
            max_rank = c.execute("SELECT MAX(rank) FROM run_lists WHERE run_id = ?", (run_id,)).fetchone()[0]
            lists[run_id] = (top, max_rank)
        return {
            "problems": rep.problems,
            "runs": len(runs),
            "models": ws.count("models"),
            "imports": ws.count("imports"),
            "events": ws.count("events"),
            "customers": ws.count("customers"),
            "target_customer": c.execute(
                "SELECT COUNT(*) FROM customers WHERE external_id = 'CUST00007'").fetchone()[0],
            "target_events": c.execute(
                "SELECT COUNT(*) FROM events e JOIN customers k ON k.id = e.customer_id "
                "WHERE k.external_id = 'CUST00007'").fetchone()[0],
            "erasures": ws.count("erasures"),
            "forgotten": ws.count("forgotten"),
            "lists": lists,
            "model_states": [bytes(r[0] or b"")[:64] for r in c.execute("SELECT state FROM models ORDER BY id")],
            # everything the all-or-nothing commands change together
            "together": hashlib.sha256(repr((
                [(i, canonical(s)) for i, s in c.execute("SELECT id, state FROM models ORDER BY id")],
                c.execute("SELECT * FROM run_lists ORDER BY 1, 2, 3").fetchall(),
                c.execute("SELECT id, info, metrics FROM runs ORDER BY id").fetchall(),
            )).encode()).hexdigest(),
        }


def canonical(blob: bytes | None) -> str:
    """A model state's content, whatever order safetensors wrote its header keys in (it differs
    from process to process, so bytes alone would call two equal states different)."""
    if blob is None:
        return "none"
    blob = bytes(blob)
    n = int.from_bytes(blob[:8], "little")
    try:
        header = json.loads(blob[8:8 + n])
    except ValueError:
        return hashlib.sha256(blob).hexdigest()
    meta = header.pop("__metadata__", {})
    tensors = sorted((k, v["dtype"], v["shape"], hashlib.sha256(
        blob[8 + n + v["data_offsets"][0]:8 + n + v["data_offsets"][1]]).hexdigest())
        for k, v in header.items())
    return json.dumps([sorted(meta.items()), tensors])


def judge(command: str, before: dict, after: dict, ws_path: Path, extra: dict) -> str:
    """'' when nothing was lost or half-done, else what was wrong."""
    if after["problems"]:
        return "check: " + "; ".join(after["problems"])
    if command == "import":
        if after["imports"] == before["imports"]:
            return "" if after["events"] == before["events"] else "events without their import"
        return "" if after["events"] == before["events"] + extra["new_events"] else "half an import"
    if command == "train":
        if after["runs"] not in (before["runs"], before["runs"] + 1) or after["models"] != after["runs"]:
            return f"runs {after['runs']} models {after['models']}"
        return ""
    if command in ("recommend", "update"):
        bad = [r for r, (top, rank) in after["lists"].items() if rank is not None and top is not None and rank > top]
        if bad:
            return f"run {bad[0]}: lists cut at a different top-N than the run says"
        # model state, lists, run info and metrics: all as before, or all as a complete run left them
        if after["together"] not in (before["together"], extra["complete"]["together"]):
            return "model, lists and run info out of step"
        return ""
    if command == "forget":
        gone = after["target_customer"] == 0
        if gone and (after["target_events"] or not after["erasures"] or not after["forgotten"]):
            return "half a forget"
        if not gone and (after["target_events"] != before["target_events"] or after["erasures"]):
            return "customer half removed"
        if gone:
            data = ws_path.read_bytes()
            wal = ws_path.with_name(ws_path.name + "-wal")
            if wal.exists():
                data += wal.read_bytes()
            if b"CUST00007" in data:
                return "BYTES LEFT (until the next forget or `check --repair`)"
        return ""
    if command == "export":
        target = extra["target"]
        text = target.read_text(encoding="utf-8") if target.exists() else ""
        if text not in (extra["previous"],) and not text.rstrip().endswith(extra["last_line"]):
            return "export file half written"
        return ""
    return ""


COMMANDS = {
    "import": lambda ws, tmp: ["import", str(write_events(tmp / "more.csv", 150, start=1000))],
    "train": lambda ws, tmp: ["train", "--strategy", "popularity", "--threshold", "0", "--top", "5"],
    "recommend": lambda ws, tmp: ["recommend", "--strategy", "popularity", "--threshold", "0",
                                  "--top", "3", "--save", "--json"],
    "update": lambda ws, tmp: ["update", "--strategy", "popularity"],
    "forget": lambda ws, tmp: ["forget", "--customer", "CUST00007", "--yes", "--no-backup"],
    "export": lambda ws, tmp: ["export", "--exporter", "csv", "--out", str(tmp / "out" / "lists.csv")],
}


def kills(per_command: int, commands: list[str]) -> dict:
    tmp = Path(tempfile.mkdtemp(prefix="shoprec-kills-"))
    base = tmp / "base.shoprec"
    sh([SHOPREC, "--workspace", str(base), "import", str(write_events(tmp / "orders.csv", 300))])
    sh([SHOPREC, "--workspace", str(base), "train", "--strategy", "popularity", "--threshold", "0",
        "--top", "10"])
    (tmp / "out").mkdir()
    previous = "last week's export\n"
    results = {}
    # `update` refreshes after new orders: its starting point has 60 new customers imported
    base_update = tmp / "base-update.shoprec"
    shutil.copy(base, base_update)
    sh([SHOPREC, "--workspace", str(base_update), "import", str(write_events(tmp / "new.csv", 60, start=5000))])
    for command in commands:
        start = base_update if command == "update" else base
        args = COMMANDS[command](start, tmp)
        work = tmp / "work.shoprec"
        shutil.copy(start, work)
        for side in ("-wal", "-shm"):
            Path(str(work) + side).unlink(missing_ok=True)
        log = tmp / "count.log"
        sh(["strace", "-f", "-qq", "-e", "trace=pwrite64,write", "-o", str(log), SHOPREC, "--workspace",
            str(work), *args])
        # exports write their file with write(2); the workspace's writes are pwrite64(2)
        syscall = "write" if command == "export" else "pwrite64"
        writes = sum(1 for line in log.read_text().splitlines() if line.split("(")[0].split()[-1] == syscall)
        complete = state(work)
        out_lines = (tmp / "out" / "lists.csv").read_text(encoding="utf-8").rstrip().splitlines() \
            if command == "export" else []
        extra = {"new_events": 750, "target": tmp / "out" / "lists.csv", "previous": previous,
                 "last_line": out_lines[-1] if out_lines else "", "complete": complete}
        points = sorted({max(1, round(writes * (i + 0.5) / per_command)) for i in range(per_command)})
        tried, lost, killed = [], [], 0
        for k in points:
            shutil.copy(start, work)
            for side in ("-wal", "-shm"):
                Path(str(work) + side).unlink(missing_ok=True)
            (tmp / "out" / "lists.csv").write_text(previous, encoding="utf-8")
            before = state(work)
            proc = sh(["strace", "-f", "-qq", "-o", "/dev/null", "-e",
                       f"inject={syscall}:signal=KILL:when={k}", SHOPREC, "--workspace", str(work), *args])
            killed += proc.returncode in (-9, 137)
            after = state(work)
            why = judge(command, before, after, work, extra)
            tried.append(k)
            if why:
                lost.append((k, why))
            if command == "export":
                sh([SHOPREC, "--workspace", str(work), *args])
                stale = [p.name for p in (tmp / "out").iterdir() if p.name.endswith(".partial")]
                if stale:
                    lost.append((k, f"stale temporary files after the next export: {stale}"))
            if command == "forget" and why.startswith("BYTES"):
                sh([SHOPREC, "--workspace", str(work), "check", "--repair"])
                if b"CUST00007" in work.read_bytes():
                    lost.append((k, "bytes still there after check --repair"))
        results[command] = {f"{syscall} calls": writes, "kill points": tried, "killed": killed,
                            "failures": lost}
        print(command, results[command], flush=True)
    shutil.rmtree(tmp, ignore_errors=True)
    return results


# ---------------------------------------------------------------------------------------------
# two processes
# ---------------------------------------------------------------------------------------------


HOLDER = """
import sqlite3, sys, time
c = sqlite3.connect(sys.argv[1], isolation_level=None)
c.execute("BEGIN IMMEDIATE")
c.execute("INSERT INTO settings VALUES ('import.in.progress', '1')")
print("holding", flush=True)
time.sleep(float(sys.argv[2]))
c.execute("ROLLBACK")
"""


def overlap(tries: int, hold: float) -> list[dict]:
    """A long import holds the write lock (here: a process holding BEGIN IMMEDIATE for ``hold``
    seconds, longer than SQLite's own 5 s wait); `train` and `recommend --save` start during it."""
    tmp = Path(tempfile.mkdtemp(prefix="shoprec-overlap-"))
    base = tmp / "base.shoprec"
    sh([SHOPREC, "--workspace", str(base), "import", str(write_events(tmp / "orders.csv", 300))])
    sh([SHOPREC, "--workspace", str(base), "train", "--strategy", "popularity", "--threshold", "0"])
    out = []
    for command in (["train", "--strategy", "popularity"],
                    ["recommend", "--strategy", "popularity", "--threshold", "0", "--save", "--json"]):
        for _ in range(tries):
            holder = subprocess.Popen([sys.executable, "-c", HOLDER, str(base), str(hold)],
                                      stdout=subprocess.PIPE, text=True)
            holder.stdout.readline()
            runs_before = sqlite3.connect(base).execute("SELECT COUNT(*) FROM runs").fetchone()[0]
            proc = sh([SHOPREC, "--workspace", str(base), *command])
            holder.wait()
            runs_after = sqlite3.connect(base).execute("SELECT COUNT(*) FROM runs").fetchone()[0]
            text = proc.stdout + proc.stderr
            out.append({"command": command[0], "rc": proc.returncode, "waited_message": "Waiting for another" in text,
                        "traceback": "Traceback" in text, "locked_error": "database is locked" in text,
                        "stored": runs_after - runs_before if command[0] == "train" else None})
            print(out[-1], flush=True)
    shutil.rmtree(tmp, ignore_errors=True)
    return out


# ---------------------------------------------------------------------------------------------
# hostile workspaces
# ---------------------------------------------------------------------------------------------


def hostile() -> list[tuple[str, str, str]]:
    import struct

    import numpy as np
    from safetensors.numpy import save

    tmp = Path(tempfile.mkdtemp(prefix="shoprec-hostile-"))
    base = tmp / "base.shoprec"
    sh([SHOPREC, "--workspace", str(base), "import", str(write_events(tmp / "orders.csv", 50))])
    sh([SHOPREC, "--workspace", str(base), "train", "--strategy", "popularity", "--threshold", "0"])

    def sql(*statements: str, params: tuple = ()) -> callable:
        def apply(path: Path) -> None:
            conn = sqlite3.connect(path)
            for s in statements:
                conn.execute(s, params if "?" in s else ())
            conn.commit()
            conn.close()
        return apply

    def raw(fn) -> callable:
        def apply(path: Path) -> None:
            data = bytearray(path.read_bytes())
            path.write_bytes(bytes(fn(data)))
        return apply

    def header(d):
        d[16:24] = b"\xff" * 8
        return d

    def pages(d):
        rng = random.Random(1)
        for off in range(8192, len(d), 4096):
            d[off:off + 300] = bytes(rng.randrange(256) for _ in range(300))
        return d

    cases = {
        "damaged header": raw(header),
        "malformed pages": raw(pages),
        "garbage, not SQLite": raw(lambda d: os.urandom(len(d))),
        "dropped migrations table": sql("DROP TABLE schema_migrations"),
        "another program's SQLite file": None,
        "newer schema": sql("INSERT INTO schema_migrations VALUES (999, 0)"),
        "random model blob": sql("UPDATE models SET state = randomblob(5000)"),
        "pickle model blob": sql("UPDATE models SET state = ?", params=(b"\x80\x04\x95" + os.urandom(100),)),
        "torch.save model blob": sql("UPDATE models SET state = ?", params=(b"PK\x03\x04" + os.urandom(200),)),
        "huge-header model blob": sql("UPDATE models SET state = ?", params=(struct.pack("<Q", 2**62) + b"{}",)),
        "wrong tensor names": sql("UPDATE models SET state = ?", params=(save({"nope": np.zeros(3, np.float32)}),)),
        "NaN model weights": None,
        "trigger deleting imported rows": sql(
            "CREATE TRIGGER eat AFTER INSERT ON events BEGIN DELETE FROM events WHERE customer_id = new.customer_id; END"),
        "raising trigger": sql(
            "CREATE TRIGGER boom BEFORE INSERT ON events BEGIN SELECT RAISE(ABORT, 'no'); END"),
        "view shadowing a name": sql("CREATE VIEW v_customers AS SELECT * FROM customers"),
        "unexpected extra table": sql("CREATE TABLE junk (x)"),
    }
    out = []
    for name, damage in cases.items():
        path = tmp / "case.shoprec"
        if name == "another program's SQLite file":
            path.unlink(missing_ok=True)
            c = sqlite3.connect(path)
            c.execute("CREATE TABLE ledger (id INTEGER PRIMARY KEY)")
            c.commit()
            c.close()
        else:
            shutil.copy(base, path)
            for side in ("-wal", "-shm"):
                Path(str(path) + side).unlink(missing_ok=True)
            if name == "NaN model weights":
                state_blob = sqlite3.connect(base).execute("SELECT state FROM models").fetchone()[0]
                from safetensors.numpy import load
                tensors = {k: (v * np.nan if v.dtype.kind == "f" else v) for k, v in load(bytes(state_blob)).items()}
                sql("UPDATE models SET state = ?", params=(save(tensors),))(path)
            else:
                damage(path)
        before = path.read_bytes()
        verdicts = []
        for args in (["info"], ["recommend", "--strategy", "popularity", "--customer", "CUST00001"],
                     ["import", str(write_events(tmp / "more.csv", 5, start=500))], ["check"]):
            proc = sh([SHOPREC, "--workspace", str(path), *args])
            text = (proc.stdout + proc.stderr).strip()
            tb = "Traceback" in text
            lines = [line for line in text.splitlines() if line.strip()]
            verdicts.append(f"{args[0]}: " + ("TRACEBACK" if tb else f"rc {proc.returncode}, "
                                               + (lines[-1][:90] if lines else "")))
        changed = "unchanged" if name not in ("unexpected extra table",) and path.read_bytes() == before \
            else "changed"
        out.append((name, changed, " | ".join(verdicts)))
        print(name, changed, verdicts, flush=True)
    shutil.rmtree(tmp, ignore_errors=True)
    return out


# ---------------------------------------------------------------------------------------------
# timings
# ---------------------------------------------------------------------------------------------


def timing(n_events: int) -> dict:
    from shoprec.core.store import erasure as forgetting
    from shoprec.core.store.maintenance import backup
    from shoprec.core.store.workspace import Workspace

    tmp = Path(tempfile.mkdtemp(prefix="shoprec-timing-"))
    path = tmp / "big.shoprec"
    n_customers, n_items = n_events // 20, 5000
    rng = random.Random(0)
    t0 = time.perf_counter()
    with Workspace(path) as ws, ws.atomic() as c:
        c.executemany("INSERT INTO items (id, external_id, title) VALUES (?, ?, ?)",
                      ((i, f"SKU{i:06d}", f"Product {i}") for i in range(1, n_items + 1)))
        c.executemany("INSERT INTO customers (id, external_id, email, name) VALUES (?, ?, ?, ?)",
                      ((u, f"C{u:07d}", f"p{u}@mail.example", f"Person {u}") for u in range(1, n_customers + 1)))
        c.executemany(
            "INSERT OR IGNORE INTO events (customer_id, item_id, type, ts, order_id, line_no) "
            "VALUES (?, ?, 'purchase', ?, ?, 0)",
            ((1 + e // 20, rng.randrange(1, n_items + 1), 1_700_000_000 + e, f"O{e}") for e in range(n_events)))
    build = time.perf_counter() - t0
    size = path.stat().st_size
    out = {"events": n_events, "customers": n_customers, "file_MB": round(size / 1e6, 1),
           "build_s": round(build, 1)}
    with Workspace(path) as ws:
        r = backup(ws, tmp / "copy.shoprec")
        out["backup_s"] = round(r.seconds, 2)
        for n in (1, 100):
            ids = [f"C{u:07d}" for u in rng.sample(range(1, n_customers + 1), n)]
            t0 = time.perf_counter()
            res = forgetting.forget(ws, ids, backup=True)
            out[f"forget_{n}_total_s"] = round(time.perf_counter() - t0, 2)
            out[f"forget_{n}_scrub_s"] = round(res.scrub_seconds, 2)
            data = path.read_bytes()
            out[f"forget_{n}_bytes_left"] = sum(i.encode() in data for i in ids)
    shutil.rmtree(tmp, ignore_errors=True)
    print(json.dumps(out), flush=True)
    return out


def main() -> None:
    ap = argparse.ArgumentParser()
    sub = ap.add_subparsers(dest="what", required=True)
    k = sub.add_parser("kills")
    k.add_argument("--per-command", type=int, default=8)
    k.add_argument("--commands", default=",".join(COMMANDS))
    sub.add_parser("hostile")
    o = sub.add_parser("overlap")
    o.add_argument("--tries", type=int, default=5)
    o.add_argument("--hold", type=float, default=8.0)
    t = sub.add_parser("timing")
    t.add_argument("--events", type=int, default=1_000_000)
    args = ap.parse_args()
    if args.what == "kills":
        kills(args.per_command, args.commands.split(","))
    elif args.what == "hostile":
        hostile()
    elif args.what == "overlap":
        overlap(args.tries, args.hold)
    else:
        timing(args.events)


if __name__ == "__main__":
    main()
