"""A reference SASRec with full cross-entropy ("SASRec+"), to compare recipes on ML-1M.

Question: what does the published SASRec+ recipe reach on this CPU in a given time, beside
ShopRec's default transformer (``bench/ml1m_cli.py --reference`` runs it on the same protocol)?
Not part of the app. It is the published recipe written out plainly (Kang & McAuley's block as
in its PyTorch port, trained with a softmax over the whole catalog as Klenitskiy & Vasilev 2023
do): item vectors times sqrt(d) plus learned positions, padding zeroed at the input and after
every block, each block ``q = LN(x); x = q + attention(q, x, x); x = x + FFN(LN(x))`` with a
feed-forward of width d and dropout everywhere (attention weights included), a last LayerNorm,
logits against the tied item table, Adam at a constant rate, each customer's latest 201 events
an epoch. Histories are right-padded per batch (position 0 is the window's first event) unless
``--pad left``.

Data (``../shared/data/ml-1m-gsasrec``): training on the train lines (each customer's sequence
without its last two events, three for the 512 validation customers), model selection on the
512's validation event, as the published recipe does. The test: ``--protocol published`` (the
default) every one of the 6,040 customers' ``test/output.txt`` item with its ``test/input.txt``
line as history, seen items excluded; ``--protocol 512`` only the 512 validation customers,
tested after every epoch. On the published protocol the best-validation model is kept in
memory and tested at each of ``--marks`` (minutes) and at the end, so one run gives the
quality-against-time table; the tests are not counted in the training time.

    python bench/sasrec_reference.py ref --minutes 30 --marks 5,15,30 --threads 2

Runtime: ``--minutes`` plus about 10 s per mark for the tests (6,040 customers).
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

sys.path.insert(0, str(Path(__file__).resolve().parent))  # bench/, for seqdata and sequential

from seqdata import DATA, load_ml1m  # noqa: E402
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
    ap.add_argument("--protocol", choices=["published", "512"], default="published")
    ap.add_argument("--marks", default="", help="minutes at which to test the kept model "
                    "(published protocol; the end is always tested)")
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

    if args.protocol == "published":
        root = DATA / "ml-1m-gsasrec" / "test"
        pub_hist = [[int(x) - 1 for x in line.split()]
                    for line in (root / "input.txt").read_text().splitlines()]
        pub_seen = [np.asarray(h) for h in pub_hist]
        pub_targets = np.array([int(line.split()[0]) - 1
                                for line in (root / "output.txt").read_text().splitlines()])
    marks = sorted(float(m) for m in args.marks.split(",") if m)
    kept: dict[float, dict] = {}  # mark -> the best-validation state and epoch by then
    best_state: dict = {}

    def evaluate(hists, targets, seen) -> dict:
        p = last_states(model, hists, args.max_len, args.pad)
        scores = (p @ model.item.weight[1:].detach().T).numpy()
        return metrics(scores, targets, seen)

    start, epoch, steps = time.monotonic(), 0, 0
    paused = 0.0  # seconds spent testing, not training
    best = {"val": -1.0}
    history = []
    while time.monotonic() - start - paused < args.minutes * 60:
        order = rng.permutation(len(windows))
        loss_sum = 0.0
        for b in range(0, len(order), args.batch):
            if time.monotonic() - start - paused >= args.minutes * 60:
                break  # the budget ends mid-epoch: validate what was learned so far
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
        t_test = time.monotonic()
        test = evaluate(test_hist, data.test[vu], test_seen) if args.protocol == "512" else None
        paused += time.monotonic() - t_test
        minutes = (time.monotonic() - start - paused) / 60
        row = {"epoch": epoch, "min": round(minutes, 1), "loss": round(loss_sum / len(windows), 4),
               "val": val["ndcg@10"], "test": test}
        history.append(row)
        print(json.dumps(row), flush=True)
        if val["ndcg@10"] > best["val"]:
            best = {"val": val["ndcg@10"], "epoch": epoch, "min": row["min"], "test": test}
            if args.protocol == "published":
                best_state = {k: v.detach().clone() for k, v in model.state_dict().items()}
        while marks and minutes >= marks[0] - 1e-9:
            kept[marks.pop(0)] = {"state": best_state, "epoch": best["epoch"], "min": row["min"]}
    if args.protocol == "published":
        for mark in marks:  # marks the run did not reach: the end's model
            kept[mark] = {"state": best_state, "epoch": best["epoch"], "min": row["min"]}
        kept["end"] = {"state": best_state, "epoch": best["epoch"], "min": row["min"]}
        tests = {}
        for mark, k in kept.items():
            model.load_state_dict(k["state"])
            tests[str(mark)] = {"kept_epoch": k["epoch"], "trained_min": k["min"],
                                **evaluate(pub_hist, pub_targets, pub_seen)}
            print("  published test at", mark, tests[str(mark)], flush=True)
        best["published"] = tests
    print("RESULT", json.dumps({"probe": args.name, "args": vars(args), "epochs": epoch,
                                "steps": steps, "best": best}), flush=True)


if __name__ == "__main__":
    main()
