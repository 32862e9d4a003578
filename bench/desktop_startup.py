"""Time from a fresh interpreter to the desktop window being visible, and what it loaded.

    python bench/desktop_startup.py [--runs 5] [--workspace PATH]

Each run starts a new Python process (offscreen Qt unless a display is set), builds the window
the way ``shoprec gui`` does (:func:`shoprec.desktop.app.application` + ``create_window``),
shows it and processes events once; it prints the seconds until then and whether torch was
imported on the way (it should not be: plugins and torch load in the background afterwards).

Runtime: about 2 s a run (median 2.13 s on the shared machine, 2026-12-07), plus Python's
start-up. Results: bench/RESULTS.md, "Speed: command line and desktop start-up".
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile

CHILD = r"""
import json, sys, time
t0 = time.perf_counter()
from shoprec.desktop.app import application, create_window
app = application()
window = create_window(sys.argv[1])
window.show()
app.processEvents()
visible = time.perf_counter() - t0
print(json.dumps({"visible_s": visible, "torch": "torch" in sys.modules,
                  "transformers": "transformers" in sys.modules}))
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--workspace", default=None)
    args = parser.parse_args()
    env = dict(os.environ)
    env.setdefault("QT_QPA_PLATFORM", "offscreen")
    env["SHOPREC_PRELOAD"] = "0"  # measure the window, not the background load after it
    with tempfile.TemporaryDirectory() as home:
        env.setdefault("SHOPREC_HOME", home)
        workspace = args.workspace or os.path.join(home, "bench.shoprec")
        times, loaded = [], set()
        for _ in range(args.runs):
            out = subprocess.run([sys.executable, "-c", CHILD, workspace], env=env,
                                 capture_output=True, text=True, check=True).stdout
            row = json.loads(out.strip().splitlines()[-1])
            times.append(row["visible_s"])
            loaded |= {k for k in ("torch", "transformers") if row[k]}
    print(f"window visible: median {statistics.median(times):.2f} s, "
          f"min {min(times):.2f} s, max {max(times):.2f} s over {len(times)} runs; "
          f"imported before it: {', '.join(sorted(loaded)) or 'neither torch nor transformers'}")


if __name__ == "__main__":
    main()
