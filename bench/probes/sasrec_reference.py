"""A reference SASRec with full cross-entropy ("SASRec+"), to compare recipes on ML-1M's 512.

Not part of the app. It is the published recipe written out plainly (Kang & McAuley's block as
in its PyTorch port, trained with a softmax over the whole catalog as Klenitskiy & Vasilev 2023
do): item vectors times sqrt(d) plus learned positions, padding zeroed at the input and after
every block, each block ``q = LN(x); x = q + attention(q, x, x); x = x + FFN(LN(x))`` with a
feed-forward of width d and dropout everywhere (attention weights included), a last LayerNorm,
logits against the tied item table, Adam at a constant rate, each customer's latest 201 events
an epoch. Histories are right-padded per batch (position 0 is the window's first event) unless
``--pad left``.

Data as the published protocol restricted to the 512 validation customers: training on the
train lines (each customer's sequence without its last two events, three for the 512), model
selection on the 512's validation event, and the test on the 512's last event with everything
before it as history. Prints both after every epoch and the test at the best validation epoch:

    python bench/sasrec_reference.py ref --minutes 30 --threads 1
"""

from __future__ import annotations

import argparse
import json
import math
import sys
import time
from pathlib import Path

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # bench/, for seqdata and sequential

from seqdata import load_ml1m  # noqa: E402
from sequential import metrics  # noqa: E402


class Block(nn.Module):
    def __init__(self, d: int, heads: int, dropout: float, ffn: int) -> None:
        super().__init__()
        self.ln_q = nn.LayerNorm(d, eps=1e-8)
        self.attn = nn.MultiheadAttention(d, heads, dropout=dropout, batch_first=True)
        self.ln_f = nn.LayerNorm(d, eps=1e-8)
        self.ff = nn.Sequential(nn.Linear(d, ffn), nn.Dropout(dropout), nn.ReLU(),
                                nn.Linear(ffn, d), nn.Dropout(dropout))

    def forward(self, x: torch.Tensor, causal: torch.Tensor, keep: torch.Tensor) -> torch.Tensor:
        q = self.ln_q(x)
        a, _ = self.attn(q, x, x, attn_mask=causal, need_weights=False)
        x = q + a
        x = self.ln_f(x)
        x = x + self.ff(x)
        return x * keep


class SASRec(nn.Module):
    def __init__(self, n_items: int, d: int, layers: int, heads: int, dropout: float,
                 max_len: int, ffn: int) -> None:
        super().__init__()
        self.item = nn.Embedding(n_items + 1, d, padding_idx=0)
        self.pos = nn.Embedding(max_len, d)
        self.drop = nn.Dropout(dropout)
        self.blocks = nn.ModuleList(Block(d, heads, dropout, ffn) for _ in range(layers))
        self.ln = nn.LayerNorm(d, eps=1e-8)
        for m in self.modules():
            if isinstance(m, (nn.Linear, nn.Embedding)):
                nn.init.normal_(m.weight, std=0.02)
                if isinstance(m, nn.Linear) and m.bias is not None:
                    nn.init.zeros_(m.bias)
        with torch.no_grad():
            self.item.weight[0].zero_()

    def forward(self, tokens: torch.Tensor) -> torch.Tensor:
        length = tokens.shape[1]
        x = self.item(tokens) * math.sqrt(self.item.embedding_dim)
        x = x + self.pos(torch.arange(length, device=tokens.device))
        keep = (tokens > 0).unsqueeze(-1).to(x.dtype)
        x = self.drop(x) * keep
        causal = torch.ones(length, length, dtype=torch.bool, device=tokens.device).triu(1)
        for block in self.blocks:
            x = block(x, causal, keep)
        return self.ln(x)


def pad(rows: list[list[int]], side: str) -> torch.Tensor:
    """(B, longest) item tokens (item + 1), 0 for padding."""
    width = max(len(r) for r in rows)
    out = np.zeros((len(rows), width), dtype=np.int64)
    for k, r in enumerate(rows):
        if side == "right":
            out[k, : len(r)] = np.asarray(r) + 1
        else:
            out[k, width - len(r):] = np.asarray(r) + 1
    return torch.from_numpy(out)


def last_states(model: SASRec, hists: list[list[int]], max_len: int, side: str) -> torch.Tensor:
    model.eval()
    outs = []
    with torch.no_grad():
        for lo in range(0, len(hists), 256):
            rows = [h[-max_len:] for h in hists[lo : lo + 256]]
            tok = pad(rows, side)
            h = model(tok)
            idx = torch.tensor([len(r) - 1 for r in rows]) if side == "right" \
                else torch.full((len(rows),), tok.shape[1] - 1)
            outs.append(h[torch.arange(len(rows)), idx])
    model.train()
    return torch.cat(outs)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("name")
    ap.add_argument("--minutes", type=float, default=30.0)
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--d", type=int, default=64)
    ap.add_argument("--layers", type=int, default=2)
    ap.add_argument("--heads", type=int, default=1)
    ap.add_argument("--ffn", type=int, default=0, help="feed-forward width (0: d)")
    ap.add_argument("--dropout", type=float, default=0.1)
    ap.add_argument("--lr", type=float, default=1e-3)
    ap.add_argument("--batch", type=int, default=128)
    ap.add_argument("--max-len", type=int, default=200)
    ap.add_argument("--pad", choices=["right", "left"], default="right")
    ap.add_argument("--train-on", choices=["train", "history"], default="train",
                    help="train: the train lines (the published protocol); history: also the "
                         "512's validation event, as bench/sequential.py's 512 exact trains")
    args = ap.parse_args()
    torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)
    rng = np.random.default_rng(args.seed)
    data = load_ml1m()
    vu = data.val_users
    train = [list(s) for s in data.train]
    for k, u in enumerate(vu):
        train[u] = list(data.val_input[k])
    full = data.history_512()
    if args.train_on == "history":
        train = [list(s) for s in full]
    windows = [s[-(args.max_len + 1):] for s in train if len(s) >= 2]
    val_hist = [list(data.val_input[k]) for k in range(len(vu))]
    test_hist = [full[u] for u in vu]
    val_seen = [np.asarray(h) for h in val_hist]
    test_seen = [np.asarray(h) for h in test_hist]
    model = SASRec(data.n_items, args.d, args.layers, args.heads, args.dropout, args.max_len,
                   args.ffn or args.d)
    opt = torch.optim.Adam(model.parameters(), lr=args.lr, betas=(0.9, 0.98))

    def evaluate(hists, targets, seen) -> dict:
        p = last_states(model, hists, args.max_len, args.pad)
        scores = (p @ model.item.weight[1:].detach().T).numpy()
        return metrics(scores, targets, seen)

    start, epoch, steps = time.monotonic(), 0, 0
    best = {"val": -1.0}
    history = []
    while time.monotonic() - start < args.minutes * 60:
        order = rng.permutation(len(windows))
        loss_sum = 0.0
        for b in range(0, len(order), args.batch):
            rows = [windows[i] for i in order[b : b + args.batch]]
            tok = pad(rows, args.pad)
            inputs, labels = tok[:, :-1], tok[:, 1:]
            states = model(inputs)
            ok = (labels > 0) & (inputs > 0)
            logits = states[ok] @ model.item.weight.T
            loss = F.cross_entropy(logits, labels[ok])
            opt.zero_grad(set_to_none=True)
            loss.backward()
            opt.step()
            loss_sum += float(loss.detach()) * len(rows)
            steps += 1
        epoch += 1
        val = evaluate(val_hist, data.val_output, val_seen)
        test = evaluate(test_hist, data.test[vu], test_seen)
        minutes = (time.monotonic() - start) / 60
        row = {"epoch": epoch, "min": round(minutes, 1), "loss": round(loss_sum / len(windows), 4),
               "val": val["ndcg@10"], "test": test}
        history.append(row)
        print(json.dumps(row), flush=True)
        if val["ndcg@10"] > best["val"]:
            best = {"val": val["ndcg@10"], "epoch": epoch, "min": row["min"], "test": test}
    print("RESULT", json.dumps({"probe": args.name, "args": vars(args), "epochs": epoch,
                                "steps": steps, "best": best}), flush=True)


if __name__ == "__main__":
    main()
