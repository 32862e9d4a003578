"""Is the ML-1M test step harder than the validation step? The same 512 customers, both steps.

Trains the default transformer for ``--minutes`` with the 512 validation customers' histories
cut to their val input (val output never seen in training), then measures, on those customers:

- A: predict val output from val input (the step the app's own validation measures);
- C: predict the test item from val input + val output (the published protocol's test step:
  the last history item was never trained on).

Usage: ``python bench/ml1m_steps.py --minutes 10 --threads 2``
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import numpy as np
import torch

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # bench/, for seqdata and sequential

from seqdata import load_ml1m  # noqa: E402
from sequential import metrics  # noqa: E402
from shoprec.core.data.dataset import Dataset  # noqa: E402
from shoprec.core.models import transformer as prof  # noqa: E402
from shoprec.plugins.strategies.transformer import TransformerStrategy  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--minutes", type=float, default=10.0)
    ap.add_argument("--threads", type=int, default=2)
    args = ap.parse_args()
    torch.set_num_threads(args.threads)
    data = load_ml1m()
    vu = data.val_users
    hist = [list(s) for s in data.train]
    for k, u in enumerate(vu):
        hist[u] = list(data.val_input[k])
    strategy = TransformerStrategy(TransformerStrategy.Params(time_budget_min=args.minutes))
    strategy.device = torch.device("cpu")
    strategy.fit(Dataset.from_sequences(hist, n_items=data.n_items), None)
    encoder = strategy.encoder
    items = encoder.item_vectors().detach().float()

    def scores(histories: list[list[int]]) -> np.ndarray:
        seqs = prof.EventSequences(Dataset.from_sequences(histories, n_items=data.n_items))
        return (prof.encode_users(encoder, seqs, vu, device=torch.device("cpu")) @ items.T).numpy()

    full = [list(s) for s in hist]
    for k, u in enumerate(vu):
        full[u] = list(data.val_input[k]) + [int(data.val_output[k])]
    out = {
        "minutes": args.minutes, "epochs": strategy.result.epochs,
        "app_validation_ndcg@10": round(strategy.result.best_val_ndcg, 4),
        "A_val_step": metrics(scores(hist), data.val_output, [np.asarray(hist[u]) for u in vu]),
        "C_test_step": metrics(scores(full), data.test[vu], [np.asarray(full[u]) for u in vu]),
    }
    print(json.dumps(out))


if __name__ == "__main__":
    main()
