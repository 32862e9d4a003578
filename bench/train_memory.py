"""Peak memory of training the transformer strategy, by shop size: the basis of the README's
"largest shop it trains on in 24 GB".

Each size runs in a fresh child process: a synthetic shop (customers with Zipf-popular items,
histories of mixed length) is built as a :class:`~shoprec.core.data.dataset.Dataset`, then the
default ``transformer`` strategy fits it on the CPU with a short time budget (the peak is reached
in the first steps: data, model, optimiser state, one batch, the softmax chunk; the final pass
that encodes every customer is included). The child's peak RSS is recorded. One factor at a
time grows from a base shop, which gives a slope per item, per event and per customer; a fifth,
larger shop checks the prediction; the slopes then say what fits a memory budget.

Usage: ``python bench/train_memory.py [--budget-gb 24] [--minutes 0.5]``

Runtime: a few minutes (five shop sizes, each a fresh process that builds the shop and trains
for ``--minutes``, 0.5 by default; not timed). Results: bench/RESULTS.md, "Memory".
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys

BASE = (10_000, 5_000, 500_000)  # (customers, items, events)
MORE_ITEMS = (10_000, 200_000, 500_000)
MORE_EVENTS = (10_000, 5_000, 4_000_000)
MORE_CUSTOMERS = (200_000, 5_000, 1_000_000)
CHECK = (100_000, 100_000, 4_000_000)  # predicted from the slopes, then measured

CHILD = """
import json, resource, sys, time
import numpy as np, torch
from shoprec.core.data.dataset import Dataset
from shoprec.plugins.strategies.transformer import TransformerParams, TransformerStrategy
n_users, n_items, n_events, minutes = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3]), float(sys.argv[4])
torch.set_num_threads(2)
rng = np.random.default_rng(0)
lengths = np.maximum(2, rng.zipf(1.6, n_users)).astype(np.int64)
lengths = np.minimum(lengths, 2000)
lengths = np.round(lengths * n_events / lengths.sum()).astype(np.int64).clip(2)
popularity = 1.0 / np.arange(1, n_items + 1) ** 0.9
items = rng.choice(n_items, size=int(lengths.sum()), p=popularity / popularity.sum())
seqs = np.split(items, np.cumsum(lengths)[:-1])
ds = Dataset.from_sequences(seqs, n_items=n_items)
del seqs, items
t = time.perf_counter()
model = TransformerStrategy(TransformerParams(time_budget_min=minutes, text="off"))
model.fit(ds)
from shoprec.plugins.strategies.transformer import CE_MAX_WORK
print(json.dumps({"events": int(ds.n_events), "loss": "ce" if ds.n_events * n_items <= CE_MAX_WORK else "sce",
                  "fit_s": time.perf_counter() - t,
                  "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--budget-gb", type=float, default=24.0)
    ap.add_argument("--minutes", type=float, default=0.5, help="training budget of each size")
    args = ap.parse_args()
    peaks = {}
    for name, (users, items, events) in (("base", BASE), ("items", MORE_ITEMS), ("events", MORE_EVENTS),
                                          ("customers", MORE_CUSTOMERS), ("check", CHECK)):
        out = subprocess.run([sys.executable, "-c", CHILD, str(users), str(items), str(events), str(args.minutes)],
                             capture_output=True, text=True)
        if out.returncode != 0:
            raise SystemExit(f"size {users}x{items}x{events} failed: {out.stderr.strip()[-800:]}")
        r = json.loads(out.stdout.strip().splitlines()[-1])
        peaks[name] = (users, items, r["events"], r["peak_mb"])
        print(f"{name:<10} customers {users:>8,}  items {items:>8,}  events {r['events']:>10,}  "
              f"loss {r['loss']:<5} peak {r['peak_mb']:>7.0f} MB  fit {r['fit_s']:.0f} s", flush=True)
    u0, i0, e0, m0 = peaks["base"]
    per_item = (peaks["items"][3] - m0) / (peaks["items"][1] - i0)
    per_event = (peaks["events"][3] - m0) / (peaks["events"][2] - e0)
    u, _, e, m = peaks["customers"]
    per_user = (m - m0 - per_event * (e - e0)) / (u - u0)
    fixed = m0 - per_item * i0 - per_event * e0 - per_user * u0

    def predict(users: float, items: float, events: float) -> float:
        return fixed + per_item * items + per_event * events + per_user * users

    cu, ci, ce, cm = peaks["check"]
    print(f"slopes: {fixed:.0f} MB + {per_item * 1024:.2f} KB/item + {per_event * 2**20:.0f} B/event + "
          f"{per_user * 2**20:.0f} B/customer; check shop predicted {predict(cu, ci, ce):.0f} MB, "
          f"measured {cm:.0f} MB")
    budget = args.budget_gb * 1024
    for users, items in ((1_000_000, 100_000), (1_000_000, 1_000_000), (5_000_000, 1_000_000)):
        room = (budget - predict(users, items, 0)) / max(per_event, 1e-12)
        print(f"{args.budget_gb:.0f} GB, {users:,} customers, {items:,} items: up to about "
              f"{max(room, 0) / 1e6:.0f} M events")
    print(json.dumps({"peaks": peaks, "slopes_mb": [fixed, per_item, per_event, per_user]}))


if __name__ == "__main__":
    main()
