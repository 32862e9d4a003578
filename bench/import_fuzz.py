"""Outcomes of the importer on the broken-file corpus (tests/import_corpus.py) and on random
damage to it: every try must end in rows accounted for or one line naming the file.

Usage: ``python bench/import_fuzz.py [--damaged N] [--seed S]``; prints a Markdown table of the
corpus outcomes, then a count of the damaged-file tries by outcome (and any failure).

Runtime: about 20 s with ``--damaged 500`` (timed 2026-12-07). Results: bench/RESULTS.md, "Encodings and broken files".
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

from import_corpus import CORPUS, try_import  # noqa: E402
from shoprec.core.store.workspace import Workspace  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--damaged", type=int, default=500)
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args()
    failures = 0
    print("| input | outcome | what the owner sees | s |\n|---|---|---|---|")
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        for name, make in CORPUS.items():
            path = make(folder)
            t0 = time.perf_counter()
            try:
                kind, detail = try_import(Workspace.memory(), path)
            except Exception as exc:  # a broken promise
                kind, detail = "FAILED", f"{type(exc).__name__}: {exc}"[:120]
                failures += 1
            print(f"| {name} | {kind} | {detail[:110].replace('|', '/')} | {time.perf_counter() - t0:.2f} |")
        rnd = random.Random(args.seed)
        seeds = [n for n in CORPUS if n not in ("a folder", "a 20 MB line", "a 20 MB file without line breaks")]
        outcomes: Counter[str] = Counter()
        slowest = 0.0
        for k in range(args.damaged):
            data = bytearray(CORPUS[rnd.choice(seeds)](folder).read_bytes())
            for _ in range(rnd.randint(1, 3)):
                if not data:
                    break
                i = rnd.randrange(len(data))
                op = rnd.choice(["cut", "insert", "flip", "nul", "quote", "break"])
                if op == "cut":
                    del data[i:]
                elif op == "insert":
                    data[i:i] = bytes(rnd.randrange(256) for _ in range(rnd.randint(1, 12)))
                elif op == "flip":
                    data[i] ^= rnd.randint(1, 255)
                else:
                    data[i:i] = {"nul": b"\x00", "quote": b'"', "break": b"\r"}[op]
            path = folder / f"damaged_{k}.csv"
            path.write_bytes(bytes(data))
            t0 = time.perf_counter()
            try:
                kind, _ = try_import(Workspace.memory(), path)
            except Exception as exc:
                kind = f"FAILED {type(exc).__name__}"
                failures += 1
            slowest = max(slowest, time.perf_counter() - t0)
            outcomes[kind] += 1
            path.unlink()
    print(f"\ndamaged files: {args.damaged} tries, seed {args.seed}: "
          + ", ".join(f"{k} {v}" for k, v in outcomes.most_common()) + f"; slowest {slowest:.2f} s")
    print(f"failures (traceback, miscount or half-written workspace): {failures}")
    raise SystemExit(1 if failures else 0)


if __name__ == "__main__":
    main()
