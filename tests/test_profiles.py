"""The reusable encoder and training loop of core/models/transformer.py, on tiny data."""

from __future__ import annotations

import dataclasses
import json

import numpy as np
import pytest
import torch
from shoprec.core.contracts.progress import Cancelled, CancelToken
from shoprec.core.data.dataset import TYPE_CODE, Dataset
from shoprec.core.models import transformer as prof
from shoprec.core.models.transformer import loop
from shoprec.core.ranking import metrics


def _cycles(n_users: int = 30, n_items: int = 6) -> Dataset:
    return Dataset.from_sequences(
        [[(u + k) % n_items for k in range(4 + u % 4)] for u in range(n_users)], n_items=n_items
    )


def _encoder(n_items: int = 6, max_len: int = 8, **kw) -> prof.SequenceEncoder:
    torch.manual_seed(0)
    cfg = prof.EncoderConfig(n_items=n_items, d_model=16, n_heads=1, max_len=max_len, **kw)
    return prof.SequenceEncoder(cfg)


FAST = prof.TrainConfig(lr=0.02, batch_size=4, max_epochs=8, patience=8, warmup_steps=1)


def test_windows_cover_every_next_event_once_even_for_long_histories():
    ds = Dataset.from_sequences([list(range(25)), [0, 1], [3]], n_items=25)
    seqs = prof.EventSequences(ds)
    windows = prof.training_windows(seqs, max_len=8, holdout=np.zeros(3, dtype=int))
    targets = [t for s, e in windows for t in range(s + 1, e)]
    assert sorted(targets) == [*range(1, 25), 26]  # user 0: events 1..24, user 1: event 26
    assert all(e - s <= 9 for s, e in windows)


def test_latest_windows_keep_each_customers_latest_events_only():
    ds = Dataset.from_sequences([list(range(25)), [0, 1], [3], [4, 5, 6]], n_items=25)
    seqs = prof.EventSequences(ds)
    holdout = np.array([0, 0, 0, 1])
    windows = prof.training_windows(seqs, max_len=8, holdout=holdout, latest_only=True)
    # user 0: its last 9 events; user 1: both; user 2: too short; user 3: without the held-out
    assert windows.tolist() == [[16, 25], [25, 27], [28, 30]]
    with pytest.raises(ValueError, match="windows"):
        prof.train_encoder(_encoder(n_items=25), seqs, prof.TrainConfig(windows="some"))


def test_profile_does_not_depend_on_the_batch_it_is_computed_in():
    ds = _cycles()
    seqs = prof.EventSequences(ds)
    enc = _encoder().eval()
    alone = prof.encode_users(enc, seqs, np.array([3]), device=torch.device("cpu"))
    together = prof.encode_users(enc, seqs, np.arange(10), device=torch.device("cpu"))
    torch.testing.assert_close(alone[0], together[3])


def test_event_features_change_the_profile():
    ds = _cycles()
    seqs = prof.EventSequences(ds)
    enc = _encoder()
    with torch.no_grad():
        enc.type_emb.weight.normal_()
    before = prof.encode_users(enc, seqs, np.array([0]), device=torch.device("cpu"))
    seqs.types[seqs.indptr[0] : seqs.indptr[1]] = TYPE_CODE["view"]
    after = prof.encode_users(enc, seqs, np.array([0]), device=torch.device("cpu"))
    assert not torch.allclose(before, after)


def test_scaled_item_vectors_enter_the_blocks_times_sqrt_d():
    ds = _cycles()
    seqs = prof.EventSequences(ds)
    batch = seqs.pad([(0, 5)], 8)
    seen = {}
    plain = _encoder(use_types=False, use_quantity=False, use_gaps=False)
    scaled = _encoder(use_types=False, use_quantity=False, use_gaps=False, scale_items=True)
    scaled.load_state_dict(plain.state_dict())
    for name, enc in (("plain", plain), ("scaled", scaled)):
        enc.backbone.register_forward_pre_hook(
            lambda _m, _a, kw, name=name: seen.__setitem__(name, kw["inputs_embeds"]),
            with_kwargs=True)
        enc.eval()(**batch)
    torch.testing.assert_close(seen["scaled"], seen["plain"] * 4.0)  # d_model 16
    assert seen["plain"].abs().sum() > 0


def test_encoder_configs_saved_before_item_scaling_load_without_it():
    cfg = prof.EncoderConfig(n_items=5, scale_items=True)
    old = {k: v for k, v in json.loads(cfg.to_json()).items() if k != "scale_items"}
    assert prof.EncoderConfig.from_json(json.dumps(old)).scale_items is False
    assert prof.EncoderConfig.from_json(cfg.to_json()).scale_items is True


def test_training_learns_the_next_item_and_reports_progress():
    ds = _cycles()
    seqs = prof.EventSequences(ds)
    enc = _encoder()
    updates = []
    result = prof.train_encoder(enc, seqs, FAST, progress=updates.append)
    epochs = [u for u in updates if "epoch" in u.metrics]
    assert [u.metrics["epoch"] for u in epochs] == list(range(1, result.epochs + 1))
    assert {"loss", "val_ndcg10", "eta_s"} <= set(epochs[-1].metrics)
    assert epochs[-1].metrics["loss"] < epochs[0].metrics["loss"]
    p = prof.encode_users(enc, seqs, np.arange(ds.n_users), device=torch.device("cpu"))
    guess = (p @ enc.item_vectors().detach().T).argmax(1).numpy()
    truth = np.array([(ds.history(u)[-1] + 1) % 6 for u in range(ds.n_users)])
    assert (guess == truth).mean() > 0.6  # chance is 1/6


def test_early_stopping_keeps_the_best_validation_epoch():
    ds = _cycles()
    cfg = prof.TrainConfig(lr=0.02, batch_size=16, max_epochs=40, patience=2, warmup_steps=1)
    result = prof.train_encoder(_encoder(), prof.EventSequences(ds), cfg)
    assert result.stopped == "early"
    best = max(r["val_ndcg10_smoothed"] for r in result.history)
    assert result.best_val_ndcg == best
    assert result.history[result.best_epoch - 1]["val_ndcg10_smoothed"] == best
    last_best = max(r["epoch"] for r in result.history if r["val_ndcg10_smoothed"] == best)
    assert result.best_epoch == last_best < result.epochs < cfg.max_epochs


def _scripted_validation(monkeypatch, scores: list[float]) -> None:
    it = iter(scores)
    monkeypatch.setattr(loop, "_validate", lambda *a, **k: (next(it), 0.0))


def test_one_lucky_validation_epoch_does_not_stop_a_run_that_still_improves(monkeypatch):
    # A slow rise, 0.001 an epoch, and one epoch 0.006 above it (ML-1M's are ±0.004 on 0.0005).
    rising = [0.100 + 0.001 * e + (0.006 if e == 6 else 0.0) for e in range(1, 21)]
    cfg = prof.TrainConfig(lr=0.02, batch_size=16, max_epochs=20, patience=5, warmup_steps=1)
    _scripted_validation(monkeypatch, rising)
    smoothed = prof.train_encoder(_encoder(), prof.EventSequences(_cycles()), cfg)
    assert smoothed.stopped == "max_epochs" and smoothed.best_epoch == 20
    _scripted_validation(monkeypatch, rising)  # each epoch alone: the lucky one stops the run
    alone = prof.train_encoder(_encoder(), prof.EventSequences(_cycles()),
                               dataclasses.replace(cfg, val_ema=1.0, cooldown=0.0))
    assert alone.stopped == "early" and alone.epochs == 11 and alone.best_epoch == 6


def test_a_falling_validation_still_stops_early_and_keeps_an_epoch_near_the_peak(monkeypatch):
    falling = [0.30, 0.35, 0.34, 0.32, 0.30, 0.28, 0.26, 0.24, 0.22, 0.20, 0.18, 0.16]
    _scripted_validation(monkeypatch, falling)
    cfg = prof.TrainConfig(lr=0.02, batch_size=16, max_epochs=12, patience=3, warmup_steps=1)
    result = prof.train_encoder(_encoder(), prof.EventSequences(_cycles()), cfg)
    assert result.stopped == "early" and result.epochs < 12  # after the cooldown
    assert result.best_epoch in (2, 3)


def test_a_flat_validation_keeps_the_latest_tied_epoch(monkeypatch):
    # 0.1 is a value where 0.3 * x + 0.7 * x rounds below x
    assert 0.3 * 0.1 + 0.7 * 0.1 < 0.1
    _scripted_validation(monkeypatch, [0.1] * 8)
    cfg = prof.TrainConfig(lr=0.02, batch_size=16, max_epochs=8, patience=3, warmup_steps=1,
                           cooldown=0.0)
    result = prof.train_encoder(_encoder(), prof.EventSequences(_cycles()), cfg)
    assert result.stopped == "early" and result.epochs == 4 and result.best_epoch == 4


def test_a_plateau_at_a_high_rate_cools_the_rate_down_then_stops(monkeypatch):
    # validation rises at epoch 2, then stays flat: a plateau from epoch 3
    _scripted_validation(monkeypatch, [0.1] + [0.2] * 39)
    cfg = prof.TrainConfig(lr=0.02, batch_size=16, max_epochs=40, patience=3, warmup_steps=1,
                           cooldown=0.5, min_lr_ratio=0.05, val_ema=1.0)
    rates: list[float] = []
    real = loop._learning_rate
    monkeypatch.setattr(loop, "_learning_rate", lambda *a, **k: rates.append(real(*a, **k))
                        or rates[-1])
    updates = []
    result = prof.train_encoder(_encoder(), prof.EventSequences(_cycles()), cfg,
                                progress=updates.append)
    # patience runs out at epoch 5 (three ties after epoch 2) with the cosine rate still near
    # its peak; the cooldown is max(patience, 0.5 * 5) = 3 epochs, then training stops
    assert result.stopped == "early" and result.epochs == 8 and result.best_epoch == 8
    assert result.cooldown_epoch == 5
    lr = [r["lr"] for r in result.history]
    assert lr[4] > 0.9 * cfg.lr  # the plateau came early in the cosine: the rate was high
    assert lr[5] > lr[6] > lr[7]
    assert lr[7] == pytest.approx(cfg.lr * cfg.min_lr_ratio)  # its last step: the floor
    assert min(rates) > 0.9 * cfg.lr  # the scheduled cosine alone never got there
    eta = [u.metrics["eta_s"] for u in updates if "eta_s" in u.metrics]
    assert eta[-1] == 0.0 and eta[5] > 0.0  # the time left counts the cooldown's epochs
    stages = [u.message for u in updates if "eta_s" in u.metrics]
    assert stages[3] == "epoch 4" and stages[5] == "epoch 6, final cooldown"


def test_a_plateau_at_a_low_rate_stops_at_once(monkeypatch):
    monkeypatch.setattr(loop, "COOLDOWN_MIN_RATE", 1.0)  # every rate counts as low
    _scripted_validation(monkeypatch, [0.1] + [0.2] * 39)
    cfg = prof.TrainConfig(lr=0.02, batch_size=16, max_epochs=40, patience=3, warmup_steps=1,
                           val_ema=1.0)
    result = prof.train_encoder(_encoder(), prof.EventSequences(_cycles()), cfg)
    assert result.stopped == "early" and result.epochs == 5 and result.cooldown_epoch == 0


@pytest.mark.parametrize("curve", [[0.1] * 40, [0.3] + [0.2] * 39],
                         ids=["flat from the first epoch", "below the first epoch"])
def test_no_cooldown_when_validation_never_rose_above_its_first_epoch(monkeypatch, curve):
    # the demo shop and the Taobao log: the kept model stays the first epoch's (or a tie with it)
    _scripted_validation(monkeypatch, curve)
    cfg = prof.TrainConfig(lr=0.02, batch_size=16, max_epochs=40, patience=3, warmup_steps=1)
    result = prof.train_encoder(_encoder(), prof.EventSequences(_cycles()), cfg)
    assert result.stopped == "early" and result.epochs == 4 and result.cooldown_epoch == 0
    assert result.history[-1]["lr"] > 0.9 * cfg.lr  # the rate was high: only the curve decided


@pytest.mark.parametrize(("after", "cools"), [(0.12, False), (0.17, True)],
                         ids=["falling: overfitting", "levelling off just below the best"])
def test_no_cooldown_when_validation_has_fallen_well_below_its_best(monkeypatch, after, cools):
    # the Taobao head: validation rose to epoch 3, then fell 16 % as the model overfit
    _scripted_validation(monkeypatch, [0.16, 0.17, 0.175] + [after] * 37)
    cfg = prof.TrainConfig(lr=0.02, batch_size=16, max_epochs=40, patience=3, warmup_steps=1,
                           val_ema=1.0)
    result = prof.train_encoder(_encoder(), prof.EventSequences(_cycles()), cfg)
    assert result.stopped == "early" and result.best_epoch == 3
    assert (result.cooldown_epoch == 6) is cools
    assert result.epochs == (6 + cfg.patience if cools else 6)


def test_a_cooldown_outside_its_range_is_refused():
    with pytest.raises(ValueError, match="cooldown"):
        prof.train_encoder(_encoder(), prof.EventSequences(_cycles()),
                           prof.TrainConfig(cooldown=-0.1))


def test_a_smoothing_weight_outside_0_1_is_refused():
    with pytest.raises(ValueError, match="val_ema"):
        prof.train_encoder(_encoder(), prof.EventSequences(_cycles()),
                           prof.TrainConfig(val_ema=0.0))


def test_a_time_budget_stops_training():
    ds = _cycles()
    cfg = prof.TrainConfig(lr=0.02, batch_size=16, max_epochs=1000, patience=1000,
                           time_budget_s=0.01)
    result = prof.train_encoder(_encoder(), prof.EventSequences(ds), cfg)
    assert result.stopped == "budget" and result.epochs <= 2


class _Clock:
    """A clock that moves on a fixed step at every reading: the loop's timing without the
    machine's speed in it."""

    def __init__(self, step: float) -> None:
        self.now, self.step = 0.0, step

    def monotonic(self) -> float:
        self.now += self.step
        return self.now


def test_loop_horizon_keeps_a_reserve_sized_from_the_epochs():
    cfg = prof.TrainConfig(time_budget_s=100.0, reserve_s=10.0, reserve_epochs=2.0,
                           reserve_max_s=30.0)
    assert loop.loop_horizon(cfg, []) == 90.0  # before an epoch was measured: the least reserve
    assert loop.loop_horizon(cfg, [3.0, 4.0]) == 90.0  # two short epochs: still the least
    assert loop.loop_horizon(cfg, [1.0, 12.0, 12.0, 12.0]) == 76.0  # the latest three epochs
    assert loop.loop_horizon(cfg, [40.0]) == 70.0  # never more than reserve_max_s
    assert loop.loop_horizon(prof.TrainConfig(time_budget_s=100.0), [40.0]) == 100.0


def test_the_loop_ends_its_reserve_early_and_decays_the_rate_by_then(monkeypatch):
    monkeypatch.setattr(loop, "time", _Clock(0.01))
    base = prof.TrainConfig(lr=0.02, batch_size=4, max_epochs=1000, patience=1000,
                            warmup_steps=1, time_budget_s=6.0)
    free = prof.train_encoder(_encoder(), prof.EventSequences(_cycles()), base)
    monkeypatch.setattr(loop, "time", _Clock(0.01))
    kept = prof.train_encoder(_encoder(), prof.EventSequences(_cycles()), dataclasses.replace(
        base, reserve_s=0.5, reserve_epochs=4.0, reserve_max_s=3.0))
    per_epoch = free.history[-1]["elapsed_s"] / free.epochs
    assert free.stopped == kept.stopped == "budget"
    assert free.history[-1]["elapsed_s"] > 6.0 - per_epoch  # no reserve: to the budget's end
    reserve = min(3.0, max(0.5, 4 * per_epoch))
    assert kept.history[-1]["elapsed_s"] <= 6.0 - reserve + per_epoch
    assert kept.epochs < free.epochs
    # the schedule's horizon is the loop's, so the rate is near its floor when the loop ends
    assert kept.history[-1]["lr"] < 0.1 * base.lr


def test_cancel_raises_promptly():
    token = CancelToken()
    token.cancel()
    with pytest.raises(Cancelled):
        prof.train_encoder(_encoder(), prof.EventSequences(_cycles()), FAST, cancel=token)


def test_checkpoint_resume_gives_the_same_model_as_one_uninterrupted_run(tmp_path):
    seqs = prof.EventSequences(_cycles())
    whole = _encoder()
    prof.train_encoder(whole, seqs, FAST, seed=1)

    ckpt = tmp_path / "train.safetensors"
    token = CancelToken()
    first = _encoder()

    def stop_after_epoch_3(update):
        if update.metrics.get("epoch") == 3:
            token.cancel()

    with pytest.raises(Cancelled):
        prof.train_encoder(first, seqs, FAST, seed=1, progress=stop_after_epoch_3, cancel=token,
                           checkpoint=ckpt)
    assert ckpt.exists()
    resumed = _encoder()  # a fresh process would start from scratch weights
    result = prof.train_encoder(resumed, seqs, FAST, seed=1, checkpoint=ckpt)
    assert result.epochs == FAST.max_epochs
    for (name, a), (_, b) in zip(whole.state_dict().items(), resumed.state_dict().items(),
                                 strict=True):
        torch.testing.assert_close(a, b, msg=name)


def test_a_checkpoint_of_other_data_is_ignored(tmp_path):
    ckpt = tmp_path / "train.safetensors"
    prof.train_encoder(_encoder(), prof.EventSequences(_cycles()), FAST, checkpoint=ckpt)
    other = prof.EventSequences(_cycles(n_users=20))
    result = prof.train_encoder(_encoder(), other, FAST, checkpoint=ckpt)
    assert result.history[0]["epoch"] == 1  # started afresh


def test_target_types_train_only_on_purchases():
    seqs = prof.EventSequences(_cycles())
    cfg = prof.TrainConfig(lr=0.02, batch_size=16, max_epochs=2, patience=5,
                           target_types=("purchase",))
    result = prof.train_encoder(_encoder(), seqs, cfg)
    assert result.epochs == 2  # from_sequences events are purchases: targets exist
    seqs.types[:] = TYPE_CODE["view"]
    assert prof.train_encoder(_encoder(), seqs, cfg).history[-1]["loss"] == 0.0


def test_seen_terms_leave_out_earlier_window_items_but_never_the_steps_target():
    tokens = torch.tensor([[0, 2, 5, 2]])  # item index + 1; 0 is padding
    targets = torch.tensor([[2, 5, 2, 4]])  # each step's next token
    idx, val = loop.seen_terms(tokens, targets)
    dense = torch.zeros(4, 6).scatter_add(1, idx[0], val[0])
    hidden = [set(np.flatnonzero(row.numpy() < 0).tolist()) for row in dense]
    # step 0 is padding; step 1 hides item 1 (token 2); step 2's target is item 1, so only
    # item 4 is hidden; step 3 hides items 1 and 4 (item 1 twice, still just hidden)
    assert hidden == [set(), {1}, {4}, {1, 4}]
    assert dense[3, 1] < dense[3, 4] < 0


def test_the_loss_without_seen_items_is_the_softmax_over_the_unseen_ones():
    torch.manual_seed(0)
    items, hidden = torch.randn(5, 3), torch.randn(2, 3)
    tokens, targets = torch.tensor([[1, 3]]), torch.tensor([[3, 5]])
    idx, val = loop.seen_terms(tokens, targets)
    cfg = prof.TrainConfig(exclude_seen=True)
    got = loop._loss(hidden, targets[0] - 1, items, cfg, torch.Generator(), (idx[0], val[0]))
    logits = hidden @ items.T
    keep = [[1, 2, 3, 4], [1, 3, 4]]  # step 0 leaves out item 0; step 1 items 0 and 2
    want = torch.stack([torch.nn.functional.cross_entropy(logits[r, keep[r]].unsqueeze(0),
                                                          torch.tensor([keep[r].index(t)]))
                        for r, t in enumerate([2, 4])]).mean()
    assert torch.allclose(got, want, atol=1e-5)


def test_training_without_seen_items_learns_the_next_new_item_and_needs_the_full_softmax():
    ds = _cycles(n_items=12)  # no history comes back to an item it had
    seqs = prof.EventSequences(ds)
    enc = _encoder(n_items=12)
    # slower than with every item in the softmax here: nothing pushes a cycle's neighbours apart
    prof.train_encoder(enc, seqs, dataclasses.replace(FAST, exclude_seen=True, max_epochs=40,
                                                      patience=40))
    p = prof.encode_users(enc, seqs, np.arange(ds.n_users), device=torch.device("cpu"))
    scores = p @ enc.item_vectors().detach().T
    for u in range(ds.n_users):  # ranked as the lists rank: what the customer had left out
        scores[u, ds.history(u)] = -torch.inf
    truth = np.array([(ds.history(u)[-1] + 1) % 12 for u in range(ds.n_users)])
    assert (scores.argmax(1).numpy() == truth).mean() > 0.6  # chance is 1/5 to 1/8
    with pytest.raises(ValueError, match="exclude_seen"):
        prof.train_encoder(_encoder(), seqs, prof.TrainConfig(loss="sce", exclude_seen=True))


def test_returning_items_stay_in_the_softmax_after_the_customer_had_them():
    tokens, targets = torch.tensor([[2, 5, 3]]), torch.tensor([[5, 3, 6]])
    returning = torch.tensor([False, True, False, False, False, False])  # item 1 (token 2)
    idx, val = loop.seen_terms(tokens, targets, returning)
    dense = torch.zeros(3, 6).scatter_add(1, idx[0], val[0])
    assert [set(np.flatnonzero(r.numpy() < 0).tolist()) for r in dense] == [set(), {4}, {2, 4}]


def test_metrics_exclude_seen_items_but_never_the_target():
    scores = torch.tensor([[5.0, 4.0, 3.0, 2.0]])
    ndcg, hr = prof.ndcg_hr_at_k(scores, np.array([2]), [np.array([0, 1, 2])], k=1)
    assert ndcg == 1.0 and hr == 1.0
    ndcg, hr = prof.ndcg_hr_at_k(scores, np.array([2]), [np.array([0])], k=1)
    assert hr == 0.0


def test_per_row_metrics_give_each_customer_its_own_rank():
    scores = torch.tensor([[5.0, 4.0, 3.0, 2.0], [5.0, 4.0, 3.0, 2.0]])
    ndcg, hit = prof.ndcg_hr_per_row(scores, np.array([1, 3]), [np.array([0]), np.array([])], k=3)
    assert ndcg.tolist() == [1.0, 0.0]  # row 0: item 0 excluded, so 1 ranks first; row 1: 4th
    assert hit.tolist() == [1.0, 0.0]
    assert metrics.target_ranks(scores, np.array([1, 3]), [np.array([0]), np.array([])]).tolist() == [0, 3]


def test_the_cosine_schedule_warms_up_then_decays_to_its_floor_over_the_horizon():
    cfg = prof.TrainConfig(lr=1.0, warmup_steps=10, min_lr_ratio=0.1)
    assert loop._learning_rate(cfg, 0, 0.0) == pytest.approx(0.1)  # first warm-up step
    assert loop._learning_rate(cfg, 50, 0.0) == pytest.approx(1.0)
    assert loop._learning_rate(cfg, 50, 0.5) == pytest.approx(0.55)
    assert loop._learning_rate(cfg, 50, 1.0) == pytest.approx(0.1)
    assert loop._learning_rate(cfg, 50, 3.0) == pytest.approx(0.1)  # never below the floor
    rates = [loop._learning_rate(cfg, 50, d / 10) for d in range(11)]
    assert rates == sorted(rates, reverse=True)
    flat = prof.TrainConfig(lr=1.0, warmup_steps=1, schedule="constant")
    assert loop._learning_rate(flat, 50, 0.9) == 1.0
    with pytest.raises(ValueError, match="schedule"):
        loop._learning_rate(prof.TrainConfig(schedule="step"), 0, 0.0)


def test_warm_up_ends_within_the_first_epoch_on_a_small_shop(monkeypatch):
    cfg = prof.TrainConfig(lr=0.02, batch_size=16, max_epochs=2, patience=5, warmup_steps=1000,
                           schedule="constant", n_val_users=0)
    rates: list[float] = []
    real = loop._learning_rate

    def spy(*args, **kw):
        rates.append(real(*args, **kw))
        return rates[-1]

    monkeypatch.setattr(loop, "_learning_rate", spy)
    prof.train_encoder(_encoder(), prof.EventSequences(_cycles()), cfg)
    steps = len(rates) // 2  # two epochs
    assert 1 < steps < 1000
    assert rates[0] < cfg.lr and rates[steps - 1] == pytest.approx(cfg.lr)
    assert rates[steps:] == pytest.approx([cfg.lr] * steps)


def test_flat_zero_validation_does_not_stop_training_while_the_loss_falls(monkeypatch):
    """A big catalog early on ranks no held-out event in the top 10: patience waits for the
    training loss to stop falling instead of counting the zero epochs."""
    monkeypatch.setattr(loop, "ndcg_hr_at_k", lambda *a, **k: (0.0, 0.0))
    ds = _cycles()
    cfg = prof.TrainConfig(lr=0.02, batch_size=16, max_epochs=8, patience=2, warmup_steps=1)
    learning = prof.train_encoder(_encoder(), prof.EventSequences(ds), cfg)
    assert learning.stopped == "max_epochs" and learning.epochs == 8
    stuck = prof.train_encoder(_encoder(), prof.EventSequences(ds),
                               prof.TrainConfig(**{**cfg.__dict__, "lr": 1e-9, "cooldown": 0.0}))
    assert stuck.stopped == "early" and stuck.epochs == 3


@pytest.mark.parametrize("repeat", [False, True])
def test_validation_ranks_the_history_too_when_the_encoder_has_the_repeat_term(monkeypatch, repeat):
    # With the repeat term, excluding the history left the target the only item with a bonus,
    # so validation hardly depended on the model (Taobao head: the same at every epoch).
    seen_by_validation = []

    def spy(encoder, seqs, users, mask, targets, seen, device):
        seen_by_validation.append([s.tolist() for s in seen])
        return 0.5, 0.5

    monkeypatch.setattr(loop, "_validate", spy)
    seqs = prof.EventSequences(_cycles())
    cfg = prof.TrainConfig(lr=0.01, batch_size=16, max_epochs=1, n_val_users=4, warmup_steps=1)
    prof.train_encoder(_encoder(repeat=repeat), seqs, cfg)
    history = [seqs.tokens[seqs.indptr[u] : seqs.indptr[u + 1] - 1] - 1
               for u in range(seqs.n_users)]
    (seen,) = seen_by_validation
    assert len(seen) == 4
    if repeat:
        assert all(s == [] for s in seen)
    else:
        assert all(s and s in [h.tolist() for h in history] for s in seen)


def test_repeat_bonus_counts_each_history_item_once_and_never_the_future():
    torch.manual_seed(0)
    scorer = prof.RepeatScorer(8)
    tokens = torch.tensor([[0, 0, 5, 7, 5, 9]])  # two padding slots, item 4 (token 5) twice
    types = torch.zeros_like(tokens)
    h = torch.randn(1, 6, 8)
    copy = scorer.bonus(h, types, tokens)[0]
    ev = scorer.evidence(h, types, tokens)[0]
    assert torch.all(copy[:, :2] == 0)  # padding
    assert torch.all(copy.triu(1) == 0)  # events after the state
    t = 5  # after the last event: token 5 counted once, on its last occurrence (slot 4)
    assert copy[t, 2] == 0 and copy[t, 4] > 0
    torch.testing.assert_close(copy[t, 4], torch.log1p(ev[t, 2] + ev[t, 4]))
    torch.testing.assert_close(copy[3, 2], torch.log1p(ev[3, 2]))  # before the repeat: slot 2
    assert prof.repeat_share(prof.EventSequences(Dataset.from_sequences([[4, 6, 4, 8]]))) == 0.25


def test_a_small_shop_trains_on_smaller_batches_so_an_epoch_has_enough_steps():
    cfg = prof.TrainConfig(batch_size=64, min_steps=40)
    assert loop.epoch_batch(cfg, 6040) == 64  # ML-1M: 95 steps an epoch as before
    assert loop.epoch_batch(cfg, 1500) == 38
    assert loop.epoch_batch(cfg, 610) == loop.MIN_BATCH  # never below 16
    assert loop.epoch_batch(prof.TrainConfig(batch_size=64), 610) == 64  # min_steps 0: as set
    assert loop.epoch_batch(prof.TrainConfig(batch_size=8, min_steps=40), 610) == 8
