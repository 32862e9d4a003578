"""Short ML-1M probes of one change to the transformer recipe (for deciding, not for the table).

Trains the shop owner's default transformer on the 512-exact training data (as
``bench/sequential.py ml1m`` does) with some settings overridden, prints the 512-exact test
after every epoch, then the kept model on the 512 exact and the all-users (gap) protocols.
Overrides come in three kinds:

- ``--param name=value``: a parameter of the transformer strategy (``dropout=0.2``);
- ``--encoder name=value``: a field of :class:`EncoderConfig` (``scale_items=0``);
- ``--train name=value``: a field of :class:`TrainConfig` (``weight_decay=0.01``).

Probes are run two at a time on one thread each, so both see the same machine:

    python bench/ml1m_probe.py ref --minutes 30 --threads 1 --save-logits /tmp/ref.npz &
    python bench/ml1m_probe.py deep --minutes 30 --threads 1 --param n_layers=4 &

``--path app`` trains as ``shoprec train`` does (a sample of customers' last 10 events held out
for calibration, then one pass over all events); the default ``fit`` is the strategy's fit alone.
``--ensemble a.npz b.npz`` scores the sum of saved logits (a two-model ensemble) instead;
``--strategy NAME`` fits another registered strategy with its default settings (``blend``:
the transformer with the classic strategies, weighed on held-out events), ``--param`` setting
its parameters. ``--minutes`` and the per-epoch test are for the transformer alone;
``--encoder`` and ``--train`` also reach a transformer that another strategy trains (the
blend's member).
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import sys
import time
from pathlib import Path

import numpy as np
import torch

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # bench/, for seqdata and sequential

from seqdata import load_ml1m  # noqa: E402
from sequential import _overrides, metrics, stop_at_once, train_transformer  # noqa: E402
from shoprec.core.data.dataset import Dataset  # noqa: E402
from shoprec.core.models import transformer as prof  # noqa: E402


def _typed(obj, pairs: list[str]) -> dict:
    """``name=value`` pairs typed like the fields of the dataclass instance ``obj``."""
    out = {}
    for pair in pairs:
        name, _, value = pair.partition("=")
        kind = type(getattr(obj, name))
        out[name] = value in ("1", "true", "True") if kind is bool else kind(value)
    return out


def _patch(encoder_over: list[str], train_over: list[str]) -> None:
    """Make the strategy build its encoder and training config with the overrides applied."""
    init, train = prof.SequenceEncoder.__init__, prof.train_encoder

    def patched_init(self, config, text_vectors=None):
        init(self, dataclasses.replace(config, **_typed(config, encoder_over)), text_vectors)

    def patched_train(encoder, seqs, cfg, **kw):
        return train(encoder, seqs, dataclasses.replace(cfg, **_typed(cfg, train_over)), **kw)

    prof.SequenceEncoder.__init__ = patched_init
    prof.train_encoder = patched_train


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("name")
    ap.add_argument("--minutes", type=float, default=30.0)
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--param", action="append", default=[])
    ap.add_argument("--encoder", action="append", default=[])
    ap.add_argument("--train", action="append", default=[])
    ap.add_argument("--save-logits", type=Path, default=None)
    ap.add_argument("--ensemble", type=Path, nargs="+", default=None)
    ap.add_argument("--strategy", default="transformer")
    ap.add_argument("--path", choices=("fit", "app"), default="fit",
                    help="fit: the strategy's fit on everything; app: as `shoprec train` "
                         "trains (a sample's last 10 events held out to calibrate, then one pass)")
    args = ap.parse_args()
    torch.set_num_threads(args.threads)
    data = load_ml1m()
    vu, hist = data.val_users, data.history_512()
    seen512 = [np.asarray(hist[u]) for u in vu]
    seen_all = [np.asarray(s) for s in data.train]
    out: dict = {"probe": args.name}
    if args.ensemble:
        parts = [np.load(p) for p in args.ensemble]
        s512 = sum(z["l512"].astype(np.float32) for z in parts)
        s_all = sum(z["lall"].astype(np.float32) for z in parts)
    else:
        _patch(args.encoder, args.train)
        ds = Dataset.from_sequences(hist, n_items=data.n_items)

        per_epoch: list[dict] = []  # the 512 test after each epoch

        def hook(encoder, elapsed):
            p = prof.encode_users(encoder, prof.EventSequences(ds), vu, device=torch.device("cpu"))
            with torch.no_grad():
                items = encoder.item_vectors().detach().float()
            row = metrics((p @ items.T).numpy(), data.test[vu], seen512)
            per_epoch.append(row)
            print(f"  test 512 at {elapsed / 60:.1f} min: {row}", flush=True)

        if args.strategy == "transformer":
            strategy, fit_s = train_transformer(ds, args.minutes, "cpu", args.seed, hook,
                                                path=args.path, **_overrides(args))
        else:
            from shoprec.core import engine

            spec = engine.get_spec(args.strategy)
            params = dict(p.split("=", 1) for p in args.param)
            t0 = time.perf_counter()
            strategy = engine.fit_strategy(spec, engine.make_params(spec, params), ds,
                                           device=torch.device("cpu"), seed=args.seed)
            fit_s = time.perf_counter() - t0
        s512 = strategy.logits(vu)
        strategy.update(Dataset.from_sequences(data.train, n_items=data.n_items))
        s_all = strategy.logits(np.arange(len(data.train)))
        out.update(overrides={"param": args.param, "encoder": args.encoder, "train": args.train},
                   strategy=args.strategy, path=args.path, seed=args.seed,
                   fit_min=round(fit_s / 60, 1))
        result = getattr(strategy, "result", None)
        if result is not None:
            out.update(epochs=result.epochs, best_epoch=result.best_epoch)
            if getattr(result, "cooldown_epoch", 0):
                out["cooldown"] = stop_at_once(result, per_epoch)
        if hasattr(strategy, "describe"):
            out["described"] = strategy.describe()
        if args.save_logits:
            np.savez(args.save_logits, l512=s512.astype(np.float16), lall=s_all.astype(np.float16))
    out["512_exact"] = metrics(s512, data.test[vu], seen512)
    out["all_users_gap"] = metrics(s_all, data.test, seen_all)
    print("RESULT", json.dumps(out), flush=True)


if __name__ == "__main__":
    main()
