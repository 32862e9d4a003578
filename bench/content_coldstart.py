"""Cold-start benchmark of the content strategy: recommending items nobody has interacted with yet.

Data: ``../shared/data/ml-latest-small`` (610 customers, 9,742 movies with titles and genres,
100,836 ratings). Protocol:

- a seeded random ``--cold`` share (default 20 %) of the movies with at least 5 ratings become
  "new arrivals": every rating of them is removed from the training data;
- each model is fitted on the remaining ratings (events of type ``rating`` with their values);
- test customers are those who rated at least one new arrival 4 or more ("liked"); each ranks all
  new arrivals (and only them: the question a shop asks when new stock comes in is "who gets which
  new item"); HR@10, Recall@10 (hits / min(liked, 10)) and NDCG@10 over the liked new arrivals.

Models: random order (the floor: collaborative models have no signal for unseen items, so this is
also what EASE, ALS or item-kNN give), a hand-made genre-overlap baseline (the customer's liked
genres, weighted by rating, matched against each movie's genres), the content strategy with the
bundled MiniLM encoder and with the TF-IDF fallback, and the transformer strategy with text
features (its vector for a never-seen item comes from the projected text embedding alone).

Usage: ``python bench/content_coldstart.py [--cold 0.2] [--seed 0] [--transformer-minutes 3]``
(``--transformer-minutes 0`` skips the transformer). Prints a markdown table and one JSON line.

Runtime: about 3-4 minutes with the 3-minute transformer (fits of 33.7 s for content, 2.5 s for
TF-IDF, 145 s for the transformer, 2026-11-28); about a minute with ``--transformer-minutes 0``.
Results: bench/RESULTS.md, "Quality: new products, text, guest baskets".
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd
from shoprec.core.ranking.metrics import list_ndcg, list_recall

DATA = Path(__file__).resolve().parents[2] / "shared" / "data" / "ml-latest-small"
LIKED = 4.0


def load(folder: Path):
    from shoprec.core.data.dataset import TYPE_CODE, Catalog, Dataset

    ratings = pd.read_csv(folder / "ratings.csv")
    movies = pd.read_csv(folder / "movies.csv")
    item_ids = movies["movieId"].astype(str).to_numpy(dtype=object)
    index = {m: i for i, m in enumerate(movies["movieId"].tolist())}
    user_ids, users = np.unique(ratings["userId"].to_numpy(), return_inverse=True)
    user_ids = user_ids.astype(str).astype(object)
    catalog = Catalog.empty(len(movies))
    catalog.title[:] = movies["title"].to_numpy(dtype=object)
    genres = movies["genres"].replace("(no genres listed)", "").to_numpy(dtype=object)
    catalog.category[:] = [g.replace("|", ", ") for g in genres]
    e = len(ratings)
    ds = Dataset(
        user_ids=user_ids, item_ids=item_ids, users=users,
        items=np.array([index[m] for m in ratings["movieId"].tolist()]),
        types=np.full(e, TYPE_CODE["rating"]), times=ratings["timestamp"].to_numpy(),
        quantities=np.ones(e), values=ratings["rating"].to_numpy(dtype=np.float32),
        orders=np.full(e, -1), catalog=catalog,
    )
    return ds, [set(g.split("|")) - {""} for g in genres]


def split(ds, cold_share: float, seed: int):
    counts = np.bincount(ds.items, minlength=ds.n_items)
    rng = np.random.default_rng(seed)
    eligible = np.flatnonzero(counts >= 5)
    cold = np.sort(rng.choice(eligible, size=int(round(cold_share * len(eligible))), replace=False))
    is_cold = np.zeros(ds.n_items, dtype=bool)
    is_cold[cold] = True
    train = ds.with_events(~is_cold[ds.items])
    liked = (ds.values >= LIKED) & is_cold[ds.items]
    targets: dict[int, set[int]] = {}
    for u, i in zip(ds.users[liked].tolist(), ds.items[liked].tolist(), strict=True):
        targets.setdefault(u, set()).add(i)
    users = np.array(sorted(targets), dtype=np.int64)
    return train, cold, users, [np.array(sorted(targets[u])) for u in users]


def metrics(scores: np.ndarray, cold: np.ndarray, positives: list[np.ndarray], k: int = 10):
    """scores: (users, len(cold)) over the cold items, in ``cold`` order."""
    pos_of = {int(i): j for j, i in enumerate(cold)}
    hr = rec = ndcg = 0.0
    for row, pos in zip(scores, positives, strict=True):
        top = np.argsort(-row, kind="stable")[:k]
        relevant = np.array([pos_of[int(i)] for i in pos])
        hr += bool(np.isin(top, relevant).any())
        rec += list_recall(top, relevant, k)
        ndcg += list_ndcg(top, relevant, k)
    n = len(positives)
    return {"hr@10": round(hr / n, 4), "recall@10": round(rec / n, 4), "ndcg@10": round(ndcg / n, 4)}


def genre_overlap(train, genres: list[set[str]], users: np.ndarray, cold: np.ndarray) -> np.ndarray:
    names = sorted(set().union(*genres))
    col = {g: j for j, g in enumerate(names)}
    item_genre = np.zeros((train.n_items, len(names)), dtype=np.float32)
    for i, gs in enumerate(genres):
        for g in gs:
            item_genre[i, col[g]] = 1.0
    out = np.zeros((len(users), len(cold)), dtype=np.float32)
    for r, u in enumerate(users):
        lo, hi = train.indptr[u], train.indptr[u + 1]
        w = train.values[lo:hi] - 3.0  # above the middle of the 0.5-5 scale attracts
        taste = w @ item_genre[train.items[lo:hi]]
        out[r] = item_genre[cold] @ taste / np.maximum(item_genre[cold].sum(1), 1.0)
    return out


def fitted_scores(name: str, params: dict, train, users: np.ndarray, cold: np.ndarray, seed: int):
    from shoprec.core import engine

    spec = engine.strategy_specs()[name]
    t0 = time.perf_counter()
    model = engine.fit_strategy(spec, engine.make_params(spec, params), train, device=engine.resolve_device("cpu"),
                                seed=seed)
    fit_s = time.perf_counter() - t0
    return np.asarray(model.logits(users, cold), dtype=np.float32), fit_s, model


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", type=Path, default=DATA)
    ap.add_argument("--cold", type=float, default=0.2)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--transformer-minutes", type=float, default=3.0)
    ap.add_argument("--threads", type=int, default=2)
    args = ap.parse_args()
    if not (args.data / "ratings.csv").exists():
        raise SystemExit(f"{args.data}: not found (the benchmark needs ../shared/data)")
    import torch

    torch.set_num_threads(args.threads)
    ds, genres = load(args.data)
    train, cold, users, positives = split(ds, args.cold, args.seed)
    print(f"{ds.n_users} customers, {ds.n_items} movies, {ds.n_events} ratings; {len(cold)} new "
          f"arrivals (all their ratings removed); {len(users)} test customers liked at least one",
          file=sys.stderr, flush=True)
    rows: dict[str, dict] = {}
    rng = np.random.default_rng(args.seed)
    runs = [metrics(rng.random((len(users), len(cold))), cold, positives) for _ in range(20)]
    rows["random order (mean of 20)"] = {k: round(float(np.mean([r[k] for r in runs])), 4)
                                         for k in runs[0]}
    t0 = time.perf_counter()
    rows["genre overlap (hand-made)"] = {
        **metrics(genre_overlap(train, genres, users, cold), cold, positives),
        "fit_s": round(time.perf_counter() - t0, 1)}
    variants = [("content, MiniLM", "content", {"encoder": "minilm"}),
                ("content, TF-IDF", "content", {"encoder": "tfidf"})]
    if args.transformer_minutes > 0:
        variants.append(("transformer, MiniLM text features", "transformer",
                         {"text": "minilm", "time_budget_min": str(args.transformer_minutes)}))
    for label, name, params in variants:
        scores, fit_s, model = fitted_scores(name, params, train, users, cold, args.seed)
        rows[label] = {**metrics(scores, cold, positives), "fit_s": round(fit_s, 1)}
        if hasattr(model, "describe"):
            rows[label]["chosen"] = model.describe()
        print(f"  {label}: {rows[label]}", file=sys.stderr, flush=True)
    print("| model | HR@10 | Recall@10 | NDCG@10 | fit s | chosen on validation |\n"
          "|---|---:|---:|---:|---:|---|")
    for label, r in rows.items():
        print(f"| {label} | {r['hr@10']:.4f} | {r['recall@10']:.4f} | {r['ndcg@10']:.4f} | "
              f"{r.get('fit_s', '')} | {r.get('chosen', '')} |")
    print(json.dumps({"dataset": "ml-latest-small cold start", "cold_share": args.cold,
                      "seed": args.seed, "new_items": int(len(cold)),
                      "test_users": int(len(users)), "results": rows}))


if __name__ == "__main__":
    main()
