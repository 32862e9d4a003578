"""``shoprec update`` (refresh customer profiles after an import) and ``shoprec portrait``."""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

import click

from ..contracts.progress import Cancelled
from ..runtime.devices import DEVICE_CHOICES
from .base import State, TerminalProgress, cli, emit_json, pass_state

if TYPE_CHECKING:  # the engine (torch, pandas) is imported inside the commands
    from .. import engine
    from ..store.workspace import Workspace


def _load(state: State, run_id: int | None, strategy: str, device: str,
          ws: Workspace | None = None) -> engine.LoadedRun:
    from .. import engine
    from ..store.runs import RunNotFound

    ws = ws if ws is not None else state.ws
    try:
        rid = run_id if run_id is not None else engine.resolve_run(ws, strategy)
        return engine.load_run(ws, rid, device=device)
    except (engine.EngineError, RunNotFound, ValueError) as exc:
        raise click.ClickException(str(exc)) from exc


@cli.command("update")
@click.option("--strategy", default="transformer", show_default=True, metavar="NAME",
              help="Refresh the newest run of this strategy.")
@click.option("--run", "run_id", type=int, default=None, help="Refresh this run instead.")
@click.option("--fine-tune", "fine_tune", type=click.IntRange(0, 100), default=0,
              show_default=True, help="Also train this many passes over the changed customers' "
              "events (0: forward pass only).")
@click.option("--lists/--no-lists", default=True, show_default=True,
              help="Rebuild the run's stored lists with the refreshed profiles.")
@click.option("--device", type=click.Choice(DEVICE_CHOICES), default="auto", show_default=True)
@click.option("--json", "as_json", is_flag=True, help="Print what was done as JSON.")
@pass_state
def update_cmd(state: State, strategy: str, run_id: int | None, fine_tune: int, lists: bool,
               device: str, as_json: bool) -> None:
    """Refresh customer profiles after new events were imported: seconds, no retraining.

    Customers whose history changed since the profiles were computed (and new customers) get a
    new profile by a forward pass of the stored model; --fine-tune N trains briefly on their
    events first. Items added after training stay new to the run until the next `shoprec train`.
    """
    from .. import engine
    from ..store import runs as runstore

    t0 = time.perf_counter()
    loaded = _load(state, run_id, strategy, device)
    refreshed = getattr(loaded.strategy, "last_refreshed", None)
    changed = [] if refreshed is None else [int(u) for u in refreshed]
    seconds = time.perf_counter() - t0
    bar = TerminalProgress("fine-tuning", enabled=not as_json)
    try:
        if fine_tune and changed:
            if not hasattr(loaded.strategy, "fine_tune"):
                raise click.ClickException(f"{loaded.record.strategy} cannot be fine-tuned")
            loaded.strategy.fine_tune(loaded.dataset, changed, epochs=fine_tune, progress=bar)
    except Cancelled as exc:
        raise click.ClickException("fine-tuning cancelled") from exc
    finally:
        bar.close()
    model_state = loaded.strategy.to_bytes() if loaded.record.model_id is not None else None
    rebuilt = 0
    if not lists and model_state is not None:
        runstore.replace_model_state(state.ws, loaded.record.model_id, model_state)
    if lists:
        settings = engine.stored_settings(loaded.record)
        # Only the refreshed customers' lists change; a strategy that does not say whose
        # profiles it refreshed gets every list rebuilt. The refreshed model and the lists it
        # gives go in together (one transaction).
        who = (None if refreshed is None
               else [str(loaded.dataset.user_ids[u]) for u in changed if u < loaded.dataset.n_users])
        if who is None or who:
            rebuilt = len(engine.recommend(state.ws, loaded.record.id, who, settings=settings,
                                           save=True, loaded=loaded, model_state=model_state))
        elif model_state is not None:
            runstore.replace_model_state(state.ws, loaded.record.model_id, model_state)
    out = {
        "run": loaded.record.id,
        "strategy": loaded.record.strategy,
        "customers_refreshed": len(changed),
        "refresh_seconds": round(seconds, 3),
        "fine_tune_epochs": fine_tune if changed else 0,
        "new_items_waiting_for_training": loaded.new_items,
        "lists_rebuilt": lists,
        "lists_rebuilt_for": rebuilt,
        "seconds": round(time.perf_counter() - t0, 3),
    }
    if as_json:
        emit_json(out)
        return
    click.echo(f"Run {out['run']} ({out['strategy']}): refreshed {len(changed)} customer "
               f"profile(s) in {out['seconds']:.1f} s"
               + (f" and rebuilt {rebuilt} list(s)" if lists else ""))
    if loaded.new_items:
        click.echo(f"{loaded.new_items} item(s) added since training are not recommended yet: "
                   "train again to include them")


@cli.command("portrait")
@click.option("--customer", "customer", required=True, metavar="ID",
              help="The shop's customer id.")
@click.option("--strategy", default="transformer", show_default=True, metavar="NAME",
              help="Nearest items from the newest run of this strategy (none when not trained).")
@click.option("--top", "top_n", type=click.IntRange(1, 50), default=5, show_default=True)
@click.option("--device", type=click.Choice(DEVICE_CHOICES), default="auto", show_default=True)
@click.option("--json", "as_json", is_flag=True, help="Print the portrait as JSON.")
@pass_state
def portrait_cmd(state: State, customer: str, strategy: str, top_n: int, device: str,
                 as_json: bool) -> None:
    """A customer's portrait: top categories and brands, price band, RFM segment, nearest items."""
    from .. import engine
    from ..data.dataset import Dataset
    from ..shop.portrait import customer_portrait

    fitted = None
    ws = state.reader
    if engine.latest_run(ws, strategy) is not None:
        loaded = _load(state, None, strategy, device, ws)
        ds, fitted = loaded.dataset, loaded.strategy
    else:
        ds = Dataset.from_workspace(ws)
    index = int(ds.user_index([customer])[0])
    if index < 0:
        raise click.ClickException(f"unknown customer {customer!r} in {state.workspace_path}")
    p = customer_portrait(ds, index, fitted, n=top_n)
    if as_json:
        emit_json(p.as_dict())
        return
    click.echo(f"Customer {p.customer_id}: {p.events} events, {p.purchases} purchases, "
               f"segment {p.segment} (RFM {p.rfm or '-'})")
    if p.top_categories:
        click.echo("  categories: " + ", ".join(f"{c} {w:.0%}" for c, w in p.top_categories))
    if p.top_brands:
        click.echo("  brands: " + ", ".join(f"{b} {w:.0%}" for b, w in p.top_brands))
    click.echo(f"  price band: {p.price_band}"
               + (f" (median {p.median_price:.2f})" if p.median_price is not None else ""))
    if p.nearest_items:
        click.echo("  nearest items: " + ", ".join(t or i for i, t, _ in p.nearest_items))
