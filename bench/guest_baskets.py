"""What anonymous baskets (order lines without a customer) add to bought-together and item-kNN.

Writes a UK "Online Retail"-style invoice file (InvoiceNo, StockCode, Description, Quantity,
InvoiceDate, UnitPrice, CustomerID, Country) in which a share of the invoices are guest invoices
with an empty CustomerID, imports it with ``import_file`` (guests go to ``anonymous_lines``),
then holds out each customer's last purchase and measures HR@10 / NDCG@10 over those customers
for bought-together and item-kNN, fitted with the guest baskets and without them (the same
customers, the same held-out items; only the extra baskets differ).

Shop model: items belong to themes (sets of products bought together); each invoice picks a
theme and a few of its items, plus a random item now and then; a customer sticks to one or two
themes. Synthetic, so the numbers show the mechanism and its size on such a shop, not a promise.

Usage: ``python bench/guest_baskets.py [--customers 600] [--guest-share 0.35] [--seed 1]``

Runtime: about 3 s a seed (timed 2026-12-07). Results: bench/RESULTS.md, "Quality: new products, text, guest baskets".
"""

from __future__ import annotations

import argparse
import json
import random
import tempfile
import time
from dataclasses import replace
from pathlib import Path

import numpy as np
from shoprec.core.data.dataset import Dataset, split_last
from shoprec.core.importing import import_file
from shoprec.core.ranking.metrics import ndcg_hr
from shoprec.core.store.workspace import Workspace
from shoprec.plugins.strategies.bought_together import BoughtTogether
from shoprec.plugins.strategies.itemknn import ItemKNN, ItemKNNParams


def write_invoices(path: Path, customers: int, guest_share: float, seed: int) -> None:
    rnd = random.Random(seed)
    n_themes, per_theme = 80, 6
    theme_items = [[f"{t:03d}{chr(65 + k)}" for k in range(per_theme)] for t in range(n_themes)]
    start = 1_291_190_400  # 2010-12-01
    invoices = []
    for c in range(customers):
        themes = rnd.sample(range(n_themes), rnd.choice([1, 1, 2]))
        for _ in range(rnd.randint(2, 4)):
            invoices.append((str(12000 + c), rnd.choice(themes)))
    n_guest = int(len(invoices) * guest_share / (1 - guest_share))
    invoices += [("", rnd.randrange(n_themes)) for _ in range(n_guest)]
    rnd.shuffle(invoices)
    lines = ["InvoiceNo,StockCode,Description,Quantity,InvoiceDate,UnitPrice,CustomerID,Country"]
    for n, (cust, theme) in enumerate(invoices):
        ts = time.gmtime(start + n * 600)
        when = f"{ts.tm_mon}/{ts.tm_mday}/{ts.tm_year} {ts.tm_hour}:{ts.tm_min:02d}"
        basket = rnd.sample(theme_items[theme], rnd.randint(2, 3))
        if rnd.random() < 0.3:
            basket.append(rnd.choice(rnd.choice(theme_items)))
        for sku in dict.fromkeys(basket):
            lines.append(f"{536365 + n},{sku},ITEM {sku},{rnd.randint(1, 6)},{when},2.55,{cust},United Kingdom")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def quality(model, train: Dataset, targets: np.ndarray, k: int = 10) -> dict[str, float]:
    users = np.flatnonzero(targets >= 0)
    scores = model.logits(users)
    hist = train.matrix()[users].toarray() > 0
    scores[hist] = -np.inf  # never recommend what they bought already
    top = np.argsort(-scores, axis=1, kind="stable")[:, :k]
    hit = top == targets[users][:, None]
    rank = np.argmax(hit, axis=1)
    found = hit.any(axis=1)
    return {"hr@10": round(float(found.mean()), 4),
            "ndcg@10": round(float(ndcg_hr(np.where(found, rank, 10), 10)[0].mean()), 4),
            "customers": int(len(users))}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--customers", type=int, default=600)
    ap.add_argument("--guest-share", type=float, default=0.35)
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "online_retail_guests.csv"
        write_invoices(path, args.customers, args.guest_share, args.seed)
        ws = Workspace.memory()
        summary = import_file(ws, path)
        print(summary)
        ds = Dataset.from_workspace(ws)
    train, targets = split_last(ds, ("purchase",))
    no_guests = replace(train, guest_items=None, guest_baskets=None, guest_times=None)
    out = {"import": {k: getattr(summary, k) for k in ("rows_read", "imported", "anonymous", "duplicates", "rejected")},
           "guest_baskets": train.n_guest_baskets}
    for name, make in (("bought_together", BoughtTogether),
                       ("itemknn", lambda: ItemKNN(ItemKNNParams(neighbours=50, shrink=10.0)))):
        for label, data in (("without guests", no_guests), ("with guests", train)):
            model = make()
            model.fit(data)
            out[f"{name} {label}"] = quality(model, data, targets)
    for key, value in out.items():
        print(f"{key:32s} {value}")
    print(json.dumps(out))


if __name__ == "__main__":
    main()
