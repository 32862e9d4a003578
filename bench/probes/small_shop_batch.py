"""The transformer alone in the Compare's protocol on ml-latest-small, for given budgets and
batch rules: does a smaller batch learn more in a short budget on a small shop?

Usage: ``python bench/probes/small_shop_batch.py 1.5:64:0 1.5:64:40 4:64:40 4:64:0``, each
argument ``minutes:batch_size:min_steps[:name=value...]`` (``min_steps`` 0: the batch as given;
40: the strategy's default, the batch shrinks so that an epoch has at least 40 steps; then any
other transformer settings, as ``4:64:40:exclude_seen=false``). Prints one JSON line per
argument (NDCG@10, HR@10, fit seconds, load).

Data: ``../shared/data/ml-latest-small/ratings.csv``, imported once into
``/tmp/mls_probe.shoprec``. Runtime: about the sum of the budgets plus 10 s each.
Results: docs/notes/results-diary.md, "Small shops learn on smaller batches".
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import shoprec.plugins.strategies.transformer as transformer_plugin
import torch
from shoprec.core import engine
from shoprec.core.engine import plan
from shoprec.core.store.workspace import Workspace

RATINGS = Path(__file__).resolve().parents[3] / "shared" / "data" / "ml-latest-small" / "ratings.csv"
WORKSPACE = Path("/tmp/mls_probe.shoprec")


def main() -> None:
    torch.set_num_threads(2)
    if not WORKSPACE.exists():
        subprocess.run([sys.executable, "-c", "import sys; from shoprec.core.cli import main; "
                        "sys.exit(main())", "--workspace", str(WORKSPACE), "import", str(RATINGS)],
                       check=True, stdout=subprocess.DEVNULL)
    ws = Workspace(WORKSPACE)
    for arg in sys.argv[1:]:
        minutes, batch, min_steps, *more = arg.split(":")
        extra = dict(pair.split("=", 1) for pair in more)
        transformer_plugin.MIN_STEPS = int(min_steps)
        plan.forget_all()  # min_steps is not a setting: the same settings would be reused
        t = time.monotonic()
        report = engine.evaluate(ws, [("transformer", {"time_budget_min": float(minutes),
                                                       "batch_size": int(batch), **extra})],
                                 budget_min=None, settings="defaults")
        r = report["results"]["transformer"]
        print(json.dumps({"minutes": minutes, "batch": batch, "min_steps": min_steps, **extra,
                          "ndcg@10": round(r.get("ndcg@10", -1), 4),
                          "hr@10": round(r.get("hr@10", -1), 4),
                          "fit_s": round(r.get("fit_seconds", 0), 1),
                          "training": r.get("training"), "wall_s": round(time.monotonic() - t, 1),
                          "load": os.getloadavg()[0], "error": r.get("error")}), flush=True)


if __name__ == "__main__":
    main()
