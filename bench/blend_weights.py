"""The blend's weight search under several noise rules, on one fit of its members (leave-one-out).

    python bench/blend_weights.py WORKSPACE [--noise 0,1,2,3] [--start best,linear,geometric]
    python bench/blend_weights.py ml1m --max-users 3000 --set "transformer.time_budget_min=5"
    python bench/blend_weights.py amazon --max-users 3000 --set "transformer.time_budget_min=5"

The blend is fitted once on the leave-one-out fit split (as ``shoprec evaluate`` fits it). Its
weighing step is run under each ``--noise`` rule on the same validation candidates: a weight step
must gain that many standard errors of the paired per-customer NDCG difference (0: any gain, the
rule before). Every member any rule weighs is brought up to the fit split, so the rules differ in
their weights only. Each weighted blend is then calibrated on the validation items and ranks the
test items, as in ``evaluate``. Prints one line per rule: validation customers, the validation NDCG,
the test HR@10 / NDCG@10 / ECE and the weights.
"""

from __future__ import annotations

import argparse
import os
import sys
import time

os.environ.setdefault("SHOPREC_NO_ENTRY_POINTS", "1")

from shoprec.core import engine  # noqa: E402
from shoprec.core.dataset import Dataset  # noqa: E402
from shoprec.core.evaluation import RANK_RULES, _subsample, loo_split, rank_strategy  # noqa: E402
from shoprec.core.workspace import Workspace  # noqa: E402
from shoprec.plugins.strategies import blend as blend_module  # noqa: E402


def load(where: str) -> Dataset:
    if where in ("ml1m", "amazon"):
        sys.path.insert(0, os.path.dirname(__file__))
        from seqdata import load_amazon_video, load_ml1m

        if where == "ml1m":
            ml = load_ml1m()
            seqs = [list(s) + [int(t)] for s, t in zip(ml.train, ml.test, strict=True)]
            return Dataset.from_sequences(seqs, n_items=ml.n_items)
        seqs, n_items = load_amazon_video()
        return Dataset.from_sequences(seqs, n_items=n_items)
    return Dataset.from_workspace(Workspace(where), include_idle_customers=False)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("data", help="a workspace file, or ml1m / amazon")
    ap.add_argument("--noise", default="0,1,2,3", help="rules to compare, comma-separated")
    ap.add_argument("--members", default=blend_module.DEFAULT_MEMBERS)
    ap.add_argument("--set", default="", help="member settings, as the blend's member_settings")
    ap.add_argument("--max-users", type=int, default=None, help="test customers (a seeded sample)")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--start", default="best",
                    help="the search's starts, comma-separated: best (the best single member), "
                         "linear or geometric (all members alike in that mix)")
    args = ap.parse_args()
    rules = [(start, float(z)) for start in args.start.split(",") for z in args.noise.split(",")]

    ds = load(args.data)
    split = _subsample(loo_split(ds), args.max_users, args.seed)
    device = engine.resolve_device("cpu")
    chosen: dict[tuple[str, float], tuple[str, dict[str, float], float]] = {}
    seen_cands: list[int] = []
    real_weigh = blend_module.Blend._weigh

    def weigh_under_every_rule(self, train, users, positives, dataset, progress, cancel):
        real_build = blend_module._Candidates.build

        def build(*a, **kw):
            cands = real_build(*a, **kw)
            seen_cands.append(len(cands.valid))
            for start, z in rules:
                self._search(cands, dataset, None, cancel, noise=z, start_from=start)
                chosen[start, z] = (self.mix, {m.name: m.weight for m in self.members},
                             self.tuning.best_score)
            return cands

        blend_module._Candidates.build = build
        try:
            real_weigh(self, train, users, positives, dataset, progress, cancel)
        finally:
            blend_module._Candidates.build = real_build
        for m in self.members:  # bring up every member some rule weighs
            m.weight = max(w[m.name] for _, w, _ in chosen.values())

    blend_module.Blend._weigh = weigh_under_every_rule
    spec = engine.get_spec("blend")
    params = engine.make_params(spec, {"members": args.members, "member_settings": args.set})
    t0 = time.perf_counter()
    model = engine.fit_strategy(spec, params, split.fit, device=device, seed=args.seed)
    blend_module.Blend._weigh = real_weigh
    print(f"{args.data}: {split.fit.n_users} customers, {split.fit.n_items} items; blend fitted in "
          f"{time.perf_counter() - t0:.0f} s; {seen_cands[0]} validation customers; "
          f"{len(split.test_users)} test customers; skipped {model.skipped or 'none'}", flush=True)
    for start, z in rules:
        mix, weights, val_ndcg = chosen[start, z]
        model.mix = mix
        for m in model.members:
            m.weight = weights[m.name]
        model.update(split.fit)
        model.dataset = split.fit
        cal = engine.calibrate_strategy(
            model, split.fit, split.cal_users, split.cal_items, horizon=split.cal_horizon,
            event=split.cal_event, seed=args.seed, rows="auto", rules=RANK_RULES)
        model.update(split.score)
        model.dataset = split.score
        r = rank_strategy(model, split, cal, k=10)
        shown = ", ".join(f"{n} {w:.2f}" for n, w in weights.items() if w > 0)
        print(f"start {start:9} noise {z:g} SE: validation NDCG@10 {val_ndcg:.4f} | test HR@10 {r.hr:.4f} "
              f"NDCG@10 {r.ndcg:.4f} ECE {r.ece:.4f} | {mix}: {shown}", flush=True)


if __name__ == "__main__":
    main()
