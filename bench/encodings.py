"""Which encoding the importer detects for files in each shop language, and whether the stored
product names are the ones written: now, and with the detector of commit f7bbdb0 (before
charset-normalizer) when ``--before`` points at a copy of that commit's ``core/importing/sniff.py``.

Usage: ``python bench/encodings.py [--before /tmp/old_sniff.py]``; prints a Markdown table.
The files are those of ``tests/test_import_encodings.py`` (six product names each).

Runtime: about 1 s (timed 2026-12-07). Results: bench/RESULTS.md, "Encodings and broken files".
"""

from __future__ import annotations

import argparse
import importlib.util
import sys
import tempfile
import types
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

from shoprec.core.importing import ImportFailed, import_file  # noqa: E402
from shoprec.core.importing import errors as import_errors  # noqa: E402
from shoprec.core.store.workspace import Workspace  # noqa: E402
from test_import_encodings import TABLE, TITLES, _shop_file, _titles  # noqa: E402


def _old_detector(path: str):
    pkg = types.ModuleType("old_importing")
    pkg.__path__ = []  # type: ignore[attr-defined]
    sys.modules["old_importing"] = pkg
    sys.modules["old_importing.errors"] = import_errors
    spec = importlib.util.spec_from_file_location("old_importing.sniff", path)
    mod = importlib.util.module_from_spec(spec)
    sys.modules["old_importing.sniff"] = mod
    spec.loader.exec_module(mod)  # type: ignore[union-attr]
    return mod


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--before", default=None, help="f7bbdb0's core/importing/sniff.py")
    args = ap.parse_args()
    old = _old_detector(args.before) if args.before else None
    print("| file | language | before: read as | names right | now: read as | names right |")
    print("|---|---|---|---|---|---|")
    right_before = right_now = 0
    with tempfile.TemporaryDirectory() as tmp:
        for label, lang, written, _reported in TABLE:
            titles = TITLES[lang]
            path = _shop_file(Path(tmp), titles, written, f"{written}_{lang}.csv")
            want = {f"S{i}": t for i, t in enumerate(titles)}
            before = ok_before = "-"
            if old is not None:
                raw = path.read_bytes()
                try:
                    codec, _ = old._decode_sample(path, raw[: old.SAMPLE_BYTES])
                    text = raw.decode(codec, errors="replace")
                    ok = all(t in text for t in titles)
                    before, ok_before = codec, "yes" if ok else "**no**"
                    right_before += ok
                except ImportFailed as exc:
                    before, ok_before = f"refused ({exc.problem[:40]})", "-"
            ws = Workspace.memory()
            try:
                s = import_file(ws, path)
                now, ok_now = s.encoding, _titles(ws) == want
                right_now += ok_now
                ok_now = "yes" if ok_now else "**no**"
            except ImportFailed as exc:
                now, ok_now = f"refused ({exc.problem[:40]})", "-"
            print(f"| {label} | {lang} | {before} | {ok_before} | {now} | {ok_now} |")
    print(f"\nnames stored right: before {right_before}/{len(TABLE)}, now {right_now}/{len(TABLE)}")


if __name__ == "__main__":
    main()
