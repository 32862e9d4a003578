"""``shoprec campaign``: audiences, campaigns with a holdout, their export, report and backtest.

The core does the work (:mod:`shoprec.core.shop.campaigns`, loaded lazily so ``--help`` stays fast).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from .base import State, TerminalProgress, cli, emit_json, pass_state

KIND_HELP = ("items: customers most likely to buy the chosen products; reorder: customers due to "
             "buy a repeat product again; winback: customers away unusually long")


def _audience_options(func: Callable) -> Callable:
    options = [
        click.option("--kind", type=click.Choice(["items", "reorder", "winback"]),
                     default="items", show_default=True, help=KIND_HELP),
        click.option("--item", "items", multiple=True, metavar="SKU",
                     help="A product (SKU, id or handle); repeat for several."),
        click.option("--category", default="", help="Every product under this category path."),
        click.option("--size", type=click.IntRange(1), default=None,
                     help="At most this many customers (the likeliest first)."),
        click.option("--min-probability", type=click.FloatRange(0, 1), default=0.0,
                     help="Only customers at least this likely to buy (0 to 1)."),
        click.option("--recent-days", type=click.FloatRange(0), default=30.0, show_default=True,
                     help="Leave out customers who bought the product within this many days."),
        click.option("--window", "window_days", type=click.FloatRange(1), default=14.0,
                     show_default=True,
                     help="Days after sending in which a purchase counts (and reorders are due)."),
        click.option("--run", "run", default=None,
                     help="Run id or strategy name whose probabilities choose (default: newest)."),
        click.option("--no-window-check", "no_window_check", is_flag=True,
                     help="Skip measuring the shop's last window (one extra fit of the strategy, "
                     "kept for next time): chances then keep the run's own meaning instead of "
                     "\"buys it within the window\"."),
    ]
    for option in reversed(options):
        func = option(func)
    return func


def _preview(state: State, kw: dict[str, Any], as_json: bool):
    from ..shop.campaigns import CampaignError, preview

    bar = TerminalProgress("audience", enabled=not as_json)
    try:
        return preview(state.ws, kw["kind"], item_ids=kw["items"], category=kw["category"],
                       size=kw["size"], min_probability=kw["min_probability"],
                       recent_days=kw["recent_days"], window_days=kw["window_days"],
                       run=kw["run"], window_check=not kw["no_window_check"], progress=bar)
    except CampaignError as exc:
        raise click.ClickException(str(exc)) from exc
    finally:
        bar.close()


def _pct(p: float) -> str:
    from ..shop.experiments import pct

    return pct(p)


@cli.group("campaign")
def campaign() -> None:
    """E-mail campaigns: who to send what, with a holdout that shows whether it worked.

    \b
    shoprec campaign audience --item SKU --size 500        who, and how many buyers to expect
    shoprec campaign create NAME --item SKU --size 500 --holdout 0.2
    shoprec campaign export NAME --exporter klaviyo --out audience.csv
    shoprec campaign report NAME                            after importing the next orders
    shoprec campaign backtest --item SKU --as-of 2024-03-01 --size 200
    """


@campaign.command("audience")
@_audience_options
@click.option("--holdout", type=click.FloatRange(0, 0.95), default=0.2, show_default=True,
              help="Share of the audience a campaign would keep back (for the power calculation).")
@click.option("--show", type=click.IntRange(0), default=10, show_default=True,
              help="How many customers to list.")
@click.option("--json", "as_json", is_flag=True, help="Print the whole audience as JSON.")
@pass_state
def audience_cmd(state: State, holdout: float, show: int, as_json: bool, **kw: Any) -> None:
    """Show an audience without storing anything."""
    chosen = _preview(state, kw, as_json)
    aud = chosen.audience
    power = chosen.plan(holdout)
    if as_json:
        emit_json({**aud.as_dict(chosen.scorer.dataset), "run_id": chosen.run_id,
                   "strategy": chosen.strategy, "power": power.as_dict()})
        return
    click.echo(aud.summary())
    width = min(max((len(m.customer_id) for m in aud.members[:show]), default=0), 40)
    for member in aud.members[:show]:
        click.echo(f"  {member.customer_id:<{width}} {_pct(member.probability):>7}  {member.reason}")
    if aud.size > show:
        click.echo(f"  … and {aud.size - show:,} more")
    left_out = {k: v for k, v in aud.excluded.items() if v}
    if left_out:
        click.echo("Left out: " + ", ".join(f"{v:,} {k}" for k, v in left_out.items()) + ".")
    click.echo(f"Probabilities from run {chosen.run_id} ({chosen.strategy}): {aud.event}.")
    click.echo(power.text())


@campaign.command("create")
@click.argument("name")
@_audience_options
@click.option("--holdout", type=click.FloatRange(0, 0.95), default=0.2, show_default=True,
              help="Share of the audience kept back at random to compare with.")
@click.option("--seed", type=int, default=None,
              help="Seed of the random split (the same seed gives the same split).")
@click.option("--start", default=None, metavar="DATE",
              help="When the e-mail goes out, YYYY-MM-DD (default: now).")
@click.option("--json", "as_json", is_flag=True, help="Print the stored campaign as JSON.")
@pass_state
def create_cmd(state: State, name: str, holdout: float, seed: int | None, start: str | None,
               as_json: bool, **kw: Any) -> None:
    """Store a campaign: its audience, each customer's probability and send / holdout group."""
    from ..shop.campaigns import CampaignError, create, parse_date

    chosen = _preview(state, kw, as_json)
    try:
        starts_at = parse_date(start) if start else None
        if not as_json:
            click.echo(chosen.audience.summary())
            click.echo(chosen.plan(holdout).text())
        stored = create(state.ws, name, chosen, holdout=holdout, seed=seed, starts_at=starts_at)
    except CampaignError as exc:
        raise click.ClickException(str(exc)) from exc
    if as_json:
        emit_json(stored.as_dict())
        return
    click.echo(f"Stored campaign {stored.name!r}: {stored.sizes['send']:,} to send, "
               f"{stored.sizes['holdout']:,} held back (seed {stored.seed}). "
               f"Next: shoprec campaign export {stored.name} --exporter klaviyo --out FILE")


@campaign.command("export")
@click.argument("name")
@click.option("--exporter", "exporter_name", default="csv", show_default=True,
              help="csv, klaviyo, mailchimp or shopify-email (see --list).")
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="File to write (default: <campaign>-<exporter>.csv).")
@click.option("--shop-url", default="", help="Your shop's address, for product links.")
@click.option("--list", "list_only", is_flag=True, help="List the campaign exporters and exit.")
@click.option("--json", "as_json", is_flag=True, help="Print a JSON summary.")
@pass_state
def export_cmd(state: State, name: str, exporter_name: str, out: Path | None, shop_url: str,
               list_only: bool, as_json: bool) -> None:
    """Write the campaign's send group (never the holdout) for an e-mail tool."""
    from ..shop.campaigns import CampaignError, export_campaign
    from ..shop.exporting import campaign_exporters

    if list_only:
        for spec in campaign_exporters().values():
            click.echo(f"{spec.name:<14} {spec.title}: {spec.description}")
        return
    path = out or Path(f"{name}-{exporter_name}.csv")
    try:
        result = export_campaign(state.ws, name, exporter_name, path, shop_url=shop_url)
    except CampaignError as exc:
        raise click.ClickException(str(exc)) from exc
    except OSError as exc:
        raise click.ClickException(f"{path}: cannot write ({exc.strerror or exc})") from exc
    if as_json:
        emit_json(result)
        return
    extra = (f"; {result['left_out_without_email']:,} without an e-mail address left out"
             if result["left_out_without_email"] else "")
    click.echo(f"Wrote {result['path']}: {result['rows']:,} customers of the send group{extra}.")


@campaign.command("report")
@click.argument("name")
@click.option("--window", "window_days", type=click.FloatRange(1), default=None,
              help="Days after the start in which a purchase counts (default: the campaign's).")
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON.")
@pass_state
def report_cmd(state: State, name: str, window_days: float | None, as_json: bool) -> None:
    """Send against holdout: who bought, the difference with its 95 % interval, a verdict."""
    from ..shop.campaigns import CampaignError, report

    try:
        rep = report(state.ws, name, window_days=window_days)
    except CampaignError as exc:
        raise click.ClickException(str(exc)) from exc
    if as_json:
        emit_json(rep)
        return
    w = rep["window"]
    click.echo(f"Campaign {rep['campaign']} ({rep['kind']}), {w['start']} to {w['end']}"
               f" (orders imported up to {w['data_until']}).")
    for label, key in (("e-mailed", "treated"), ("held back", "holdout")):
        g = rep[key]
        click.echo(f"  {label:<10} {g['size']:>6,} customers, {g['converted']:>5,} bought "
                   f"({_pct(g['rate'])}), expected {g['expected']:.1f}, revenue {g['revenue']:,.2f}")
    lo, hi = rep["lift"]["ci95"]
    click.echo(f"  difference {rep['lift']['difference'] * 100:+.1f} points "
               f"(95 % interval {lo * 100:+.1f} to {hi * 100:+.1f}); shop-wide "
               f"{_pct(rep['base_rate'])} of {rep['base_customers']:,} customers bought")
    click.echo(rep["verdict"][0].upper() + rep["verdict"][1:])


@campaign.command("list")
@click.option("--json", "as_json", is_flag=True, help="Print the campaigns as JSON.")
@pass_state
def list_cmd(state: State, as_json: bool) -> None:
    """Every campaign with its size and state."""
    from ..shop.campaigns import list_campaigns

    rows = list_campaigns(state.ws)
    if as_json:
        emit_json(rows)
        return
    if not rows:
        click.echo("No campaigns yet: shoprec campaign create NAME --item SKU --size N")
        return
    for c in rows:
        click.echo(f"{c['name']:<24} {c['kind']:<8} {c['starts_at']}  send {c['sizes']['send']:>6,}"
                   f"  holdout {c['sizes']['holdout']:>5,}  {c['state']}")


@campaign.command("delete")
@click.argument("name")
@pass_state
def delete_cmd(state: State, name: str) -> None:
    """Remove a campaign and its audience from the workspace."""
    from ..shop.campaigns import CampaignError, delete

    try:
        delete(state.ws, name)
    except CampaignError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"Deleted campaign {name!r}.")


@campaign.command("backtest")
@click.option("--item", "items", multiple=True, metavar="SKU",
              help="A product to backtest; repeat for several.")
@click.option("--top-items", type=click.IntRange(1, 100), default=None,
              help="Instead of --item: the N products most customers bought before the date.")
@click.option("--category", "categories", multiple=True, metavar="PATH",
              help="A whole category (buying anything in it counts); repeatable.")
@click.option("--top-categories", type=click.IntRange(1, 100), default=None,
              help="The N categories most customers bought from before the date.")
@click.option("--reorder", is_flag=True,
              help="Backtest reorder reminders instead: customers due on the date against "
              "everyone else who bought those products before.")
@click.option("--as-of", "as_of", required=True, metavar="DATE",
              help="Pretend it is this day (YYYY-MM-DD): learn from before, count after.")
@click.option("--size", type=click.IntRange(1), default=100, show_default=True,
              help="Audience size per product.")
@click.option("--window", "window_days", type=click.FloatRange(1), default=14.0,
              show_default=True, help="Days after the date in which a purchase counts.")
@click.option("--strategy", default="ease", show_default=True, help="Strategy to learn with.")
@click.option("--param", "params", multiple=True, metavar="KEY=VALUE",
              help="A strategy setting (repeatable).")
@click.option("--seed", type=int, default=0, show_default=True)
@click.option("--no-window-check", "no_window_check", is_flag=True,
              help="Keep the strategy's own probabilities instead of matching them to the "
              "purchases of the window before the date (saves one fit).")
@click.option("--json", "as_json", is_flag=True, help="Print the results as JSON.")
@pass_state
def backtest_cmd(state: State, items: tuple[str, ...], top_items: int | None,
                 categories: tuple[str, ...], top_categories: int | None, reorder: bool,
                 as_of: str,
                 size: int, window_days: float, strategy: str, params: tuple[str, ...],
                 seed: int, no_window_check: bool, as_json: bool) -> None:
    """Would the audiences have bought? Learn from the past, count purchases after a date."""
    from ..data.dataset import Dataset
    from ..shop.backtest import CATEGORY_PREFIX, backtest, popular_categories, popular_items
    from ..shop.campaigns import CampaignError, parse_date

    try:
        moment = parse_date(as_of)
        settings = dict(p.split("=", 1) for p in params if "=" in p)
        bad = [p for p in params if "=" not in p]
        if bad:
            raise click.UsageError(f"--param needs KEY=VALUE (got {bad[0]!r})")
        ds = Dataset.from_workspace(state.ws)
        if reorder:
            _backtest_reorder(ds, moment, window_days, strategy, settings or None, seed,
                              not no_window_check, as_json)
            return
        chosen = list(items)
        if top_items:
            chosen += [i for i in popular_items(ds, moment, top_items) if i not in chosen]
        cats = list(categories) + (popular_categories(ds, moment, top_categories)
                                   if top_categories else [])
        chosen += [CATEGORY_PREFIX + c for c in dict.fromkeys(cats)]
        if not chosen:
            raise click.UsageError("give --item SKU or --category PATH (repeatable), "
                                   "--top-items N or --top-categories N")
        bar = TerminalProgress("backtest", enabled=not as_json)
        try:
            result = backtest(ds, chosen, as_of=moment, size=size, strategy=strategy,
                              params=settings or None, window_days=window_days, seed=seed,
                              window_check=not no_window_check, progress=bar)
        finally:
            bar.close()
    except CampaignError as exc:
        raise click.ClickException(str(exc)) from exc
    if as_json:
        emit_json(result.as_dict())
        return
    click.echo(f"Learned {strategy} from events before {result.as_of}; purchases counted for "
               f"{window_days:g} days after. rate = share of the audience who bought; shop = "
               "share of every customer it could have picked; lift = rate / shop; random and "
               "popular = buyers among as many random / recently active customers; A/A = "
               "send minus holdout of a random split (nothing was sent: should be near 0).")
    click.echo(result.table())


def _backtest_reorder(ds: Any, moment: int, window_days: float, strategy: str,
                      params: dict | None, seed: int, window_check: bool, as_json: bool) -> None:
    from ..shop.backtest import backtest_reorder

    bar = TerminalProgress("backtest", enabled=not as_json)
    try:
        r = backtest_reorder(ds, as_of=moment, strategy=strategy, params=params,
                             window_days=window_days, seed=seed, window_check=window_check,
                             progress=bar)
    finally:
        bar.close()
    if as_json:
        emit_json(r)
        return
    lo, hi = r["difference_ci95"]
    click.echo(
        f"Reminders due on {r['as_of']} ({r['products']} repeat products, {strategy}): "
        f"{r['due_bought']} of {r['due']:,} due customers bought one of their products within "
        f"{window_days:g} days ({_pct(r['due_rate'])}, expected {r['expected']:.1f}); of "
        f"{r['others']:,} other earlier buyers, {r['others_bought']} did ({_pct(r['others_rate'])})."
        f" Difference {r['difference'] * 100:+.1f} points ({lo * 100:+.1f} to {hi * 100:+.1f}).")
