"""How long the command line takes to answer --version and each command's --help.

    python bench/cli_startup.py [--repeat 5] [--program PATH]

Without --program it times the source install (`python -c "from shoprec.core.cli import main;
main()"`, what the `shoprec` script runs); with --program the given executable, e.g. the frozen
`dist/ShopRec/shoprec-cli`. The target (issue 29) is at most 1 s for each; before commands were
loaded lazily every one of them imported torch (5-7 s frozen, about 1.8 s from source here).
Prints a Markdown table of the median and the slowest of --repeat runs.

Runtime: about 10 s from source with ``--repeat 3`` (15 commands at 0.11-0.35 s each), about
20 s for the frozen program (2026-12-07). Results: bench/RESULTS.md, "Speed: command line and
desktop start-up".
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time


def command_names() -> list[str]:
    from shoprec.core.cli import COMMANDS

    return list(COMMANDS)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--program", default=None, help="an executable to time instead of the source")
    args = ap.parse_args()
    base = [args.program] if args.program else [
        sys.executable, "-c", "from shoprec.core.cli import main; main()"]
    cases = [["--version"], ["--help"]] + [[name, "--help"] for name in command_names()]
    print(f"program: {' '.join(base)}; {args.repeat} runs each\n")
    print("| command | median s | slowest s |")
    print("|---|---:|---:|")
    worst = 0.0
    for case in cases:
        times = []
        for _ in range(args.repeat):
            t0 = time.perf_counter()
            out = subprocess.run(base + case, capture_output=True, text=True)
            times.append(time.perf_counter() - t0)
            if out.returncode != 0:
                raise SystemExit(f"{' '.join(case)} failed: {out.stderr.strip()[-300:]}")
        worst = max(worst, max(times))
        print(f"| `{' '.join(case)}` | {statistics.median(times):.2f} | {max(times):.2f} |")
    print(f"\nslowest of all: {worst:.2f} s (target: 1 s)")


if __name__ == "__main__":
    main()
