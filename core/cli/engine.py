"""``shoprec train | recommend | evaluate | plugins``: thin commands over :mod:`shoprec.core.engine`."""

from __future__ import annotations

from typing import Any

import click

from ..contracts.progress import Cancelled
from ..runtime.devices import DEVICE_CHOICES
from .base import State, TerminalProgress, cli, emit_json, pass_state

# The engine (torch, pandas, every strategy) is imported inside each command, never at the top:
# `shoprec --help` and each command's --help stay instant. These mirror shoprec.core.ranking.evaluation's
# (tests/test_build.py checks they agree) so the options can be declared without importing it.
PROTOCOLS = ("loo", "temporal")
SETTINGS = ("defaults", "trained")


#: θ is an opt-in filter: off by default, every customer with history gets a full top-N.
THRESHOLD_HELP = (
    "θ: only list items at least this likely (a probability, e.g. 0.05 = 5 %). "
    "0 (the default) is off: every customer gets a full top-N."
)


def _parse_params(pairs: tuple[str, ...]) -> dict[str, str]:
    out = {}
    for pair in pairs:
        if "=" not in pair:
            raise click.BadParameter(f"{pair!r} is not NAME=VALUE", param_hint="--param")
        key, value = pair.split("=", 1)
        out[key.strip()] = value.strip()
    return out


def _run_engine(label: str, as_json: bool, call: Any) -> Any:
    """Run a core call with a terminal progress bar; user-fixable errors become one line."""
    from .. import engine
    from ..data.split import EvaluationError
    from ..store.runs import RunNotFound

    bar = TerminalProgress(label, enabled=not as_json)
    try:
        return call(bar)
    except (engine.EngineError, EvaluationError, RunNotFound, ValueError) as exc:
        raise click.ClickException(str(exc)) from exc
    except Cancelled as exc:
        raise click.ClickException(f"{label} cancelled") from exc
    finally:
        bar.close()


def _percent(x: float | None) -> str:
    return "n/a" if x is None else f"{100 * x:.1f}%"


# -------------------------------------------------------------------------------------------
@cli.command("train")
@click.option("--strategy", "strategy", required=True, metavar="NAME", help="Strategy to train.")
@click.option("--param", "params", multiple=True, metavar="NAME=VALUE",
              help="A strategy parameter (repeatable); see `shoprec plugins --params`.")
@click.option("--device", type=click.Choice(DEVICE_CHOICES), default="auto", show_default=True,
              help="Where to compute: auto = CUDA, then Apple MPS, then CPU.")
@click.option("--seed", type=int, default=0, show_default=True, help="Random seed.")
@click.option("--horizon", type=click.IntRange(1, 100), default=10, show_default=True,
              help="Scores estimate an interaction within the customer's next N interactions.")
@click.option("--top", "top_n", type=click.IntRange(1, 1000), default=10, show_default=True,
              help="Length of the stored lists.")
@click.option("--threshold", type=click.FloatRange(0, 1), default=0.0, show_default=True,
              help=THRESHOLD_HELP)
@click.option("--json", "as_json", is_flag=True, help="Print the run as JSON (no progress bar).")
@pass_state
def train_cmd(
    state: State, strategy: str, params: tuple[str, ...], device: str, seed: int, horizon: int,
    top_n: int, threshold: float, as_json: bool,
) -> None:
    """Train a strategy on the workspace and store the run with every customer's list."""
    from .. import engine

    settings = engine.ListSettings(top_n=top_n, threshold=threshold)
    result = _run_engine(
        f"train {strategy}",
        as_json,
        lambda bar: engine.train(
            state.ws, strategy, _parse_params(params), device=device, seed=seed, horizon=horizon,
            settings=settings, progress=bar,
        ),
    )
    if as_json:
        emit_json(result.as_dict())
        return
    cal = result.calibration
    lists = result.metrics["lists"]
    seconds = sum(result.timings.values())
    click.echo(f"Trained {result.strategy} as run {result.run_id} on {result.device} in {seconds:.1f} s.")
    if result.training.get("epochs"):
        click.echo(learning_line(result.training))
    if cal.calibrated:
        click.echo(f"Scores estimate the probability that {cal.event} (ECE {cal.ece:.3f}; "
                   f"logits mapped by {cal.describe()}).")
    else:
        click.echo(f"Scores are raw σ(logit): {cal.note}.")
    click.echo(lists_line(lists, top_n, threshold))
    if threshold > 0 and lists["empty_lists"]:
        click.echo(_fuller_lists_tip(lists, result.strategy, top_n))


def learning_line(training: dict) -> str:
    """One line on how a training loop ended."""
    why = {"early": "it had stopped improving", "budget": "its time budget was spent",
           "max_epochs": "it had made all its epochs"}.get(training.get("stopped", ""), "")
    return (f"Learned for {training.get('seconds', 0.0) / 60:.1f} min, {training['epochs']} "
            f"epochs (best: {training.get('best_epoch', '?')})" + (f"; it stopped as {why}."
                                                                  if why else "."))


def lists_line(lists: dict, top_n: int, threshold: float) -> str:
    """One line on the stored lists: how many customers got a full list, and θ when it is on."""
    customers = int(lists["customers"])
    full = lists.get("full_lists")
    cut = f"only items at least {threshold:g} likely" if threshold > 0 else "θ off"
    head = (f"Lists: {full:,} of {customers:,} customers have a full top {top_n}"
            if full is not None else f"Lists: {customers:,} customers")
    return (f"{head} ({cut}), {lists['mean_length']:.1f} items on average, "
            f"{lists['empty_lists']:,} empty, catalog coverage {_percent(lists['coverage'])}.")


def _fuller_lists_tip(lists: dict, strategy: str, top_n: int) -> str:
    """How to store fuller lists for export, with a θ that fills half the customers' lists."""
    from ..ranking.scoring import half_full_theta

    best, theta = lists.get("median_best_score"), half_full_theta(lists)
    where = (f"half the customers have an item scored at least {best:.3g} and would get a full "
             f"top {top_n} at θ {theta:g}. " if best is not None and theta is not None else "")
    theta = 0.1 if theta is None else theta
    return (f"Tip: {where}To store fuller lists for `shoprec export`: `shoprec recommend "
            f"--strategy {strategy} --top {top_n} --threshold {theta:g} --save` (θ 0, the default, "
            f"keeps every customer's top {top_n}).")


# -------------------------------------------------------------------------------------------
@cli.command("recommend")
@click.option("--strategy", default=None, metavar="NAME",
              help="Use the newest run of this strategy (trained first if there is none).")
@click.option("--run", "run_id", type=int, default=None, help="Use this run id.")
@click.option("--customer", "customers", multiple=True, metavar="ID",
              help="Shop customer id (repeatable; default: every customer).")
@click.option("--top", "top_n", type=click.IntRange(1, 1000), default=10, show_default=True)
@click.option("--threshold", type=click.FloatRange(0, 1), default=0.0, show_default=True,
              help=THRESHOLD_HELP)
@click.option("--diversity", type=click.FloatRange(0, 1), default=0.0, show_default=True,
              help="Balance strength: 0 = score order, 1 = as varied as possible.")
@click.option("--include-category", multiple=True, metavar="PATH",
              help="Only items in this category (and below); repeatable.")
@click.option("--exclude-category", multiple=True, metavar="PATH",
              help="Never items in this category (and below); repeatable.")
@click.option("--min-price", type=float, default=None)
@click.option("--max-price", type=float, default=None)
@click.option("--max-per-category", type=click.IntRange(0, 1000), default=0,
              help="At most N items of one category per list (0: no cap).")
@click.option("--keep-viewed", is_flag=True, help="Items only viewed (not bought) may come back.")
@click.option("--save", is_flag=True, help="Store these lists in the run (every customer only).")
@click.option("--device", type=click.Choice(DEVICE_CHOICES), default="auto", show_default=True)
@click.option("--json", "as_json", is_flag=True, help="Print the lists as JSON.")
@pass_state
def recommend_cmd(
    state: State, strategy: str | None, run_id: int | None, customers: tuple[str, ...],
    top_n: int, threshold: float, diversity: float, include_category: tuple[str, ...],
    exclude_category: tuple[str, ...], min_price: float | None, max_price: float | None,
    max_per_category: int, keep_viewed: bool, save: bool, device: str, as_json: bool,
) -> None:
    """Print recommendation lists (ids are the shop's own customer and item ids)."""
    from .. import engine

    if (strategy is None) == (run_id is None):
        raise click.UsageError("give --strategy NAME or --run ID")
    rules = engine.ListRules(
        include_categories=include_category, exclude_categories=exclude_category,
        min_price=min_price, max_price=max_price, max_per_category=max_per_category,
        keep_viewed=keep_viewed,
    )
    ws = state.ws if save else state.reader
    target: int | str = run_id if run_id is not None else str(strategy)
    if run_id is None and engine.latest_run(ws, strategy) is None:
        ws = state.ws  # training first writes
        if not as_json:
            click.echo(f"No run of {strategy} yet: training one first.", err=True)
        result = _run_engine(
            f"train {strategy}", as_json,
            lambda bar: engine.train(ws, str(strategy), device=device, progress=bar),
        )
        target = result.run_id

    def call(bar: TerminalProgress) -> tuple[engine.LoadedRun, list]:
        loaded = engine.load_run(ws, engine.resolve_run(ws, target), device=device)
        lists = engine.recommend(
            ws, loaded.record.id, list(customers) or None, top_n=top_n, threshold=threshold,
            rules=rules, diversity=diversity, save=save, loaded=loaded, progress=bar,
        )
        return loaded, lists

    loaded, lists = _run_engine("recommend", as_json, call)
    if as_json:
        emit_json(
            {
                "run_id": loaded.record.id,
                "strategy": loaded.record.strategy,
                "event": loaded.calibration.event,
                "threshold": threshold,
                "top": top_n,
                "new_items": loaded.new_items,
                "customers": [
                    {
                        "customer_id": cl.customer_id,
                        "source": cl.source,
                        "above_threshold": cl.candidates_above_threshold,
                        "best_score": cl.best_score,  # whatever θ: how low it must go
                        "full_list_score": cl.nth_score,
                        "items": [
                            {"rank": r.rank, "item_id": r.item_id, "title": r.title,
                             "score": round(r.score, 6), "reason": r.reason}
                            for r in cl.items
                        ],
                    }
                    for cl in lists
                ],
            }
        )
        return
    click.echo(f"Run {loaded.record.id} ({loaded.record.strategy}); score = P({loaded.calibration.event}).")
    if loaded.new_items:
        click.echo(f"{loaded.new_items} items are newer than this run: train again to include them.")
    empty = 0
    for cl in lists:
        note = {"fallback": " (no history: popular items)", "unknown": " (unknown customer: popular items)"}
        click.echo(f"\n{cl.customer_id}{note.get(cl.source, '')}")
        if not cl.items:
            empty += 1
            best = f" (their best item scores {cl.best_score:.3g})" if cl.best_score is not None else ""
            click.echo(f"  no item reaches θ={threshold}{best}")
        for r in cl.items:
            click.echo(f"  {r.rank:>2}. {r.item_id}  {r.title[:40]:<40}  {r.score:.3f}  {r.reason}")
    if empty:
        click.echo(f"\n{empty} of {len(lists)} lists are empty at θ={threshold}: try a lower --threshold "
                   "(0 = off).")


def capped_note(result: dict) -> str:
    """What a learning cap did to one strategy's measurement, in words."""
    cap = result["learning_cap_min"]
    stopped = (result.get("training") or {}).get("stopped")
    if stopped == "budget":
        return (f"stopped learning after {cap:g} min, its share of the comparison's time, before "
                "it had finished; it may do better than shown (measure it alone with "
                "--minutes none)")
    if stopped in ("early", "max_epochs"):
        return f"finished learning within its {cap:g} min share of the comparison's time"
    return f"learned for at most {cap:g} min (its share of the comparison's time)"


# -------------------------------------------------------------------------------------------
@cli.command("evaluate")
@click.option("--strategy", "strategies", required=True, metavar="A,B,...",
              help="Comma-separated strategy names, or all.")
@click.option("--protocol", type=click.Choice(PROTOCOLS), default="loo", show_default=True,
              help="loo: each customer's last interaction; temporal: everything after --cutoff.")
@click.option("--cutoff", default=None, metavar="DATE",
              help="Temporal protocol: train before this date (default: last 10% of events after).")
@click.option("--k", type=click.IntRange(1, 1000), default=10, show_default=True)
@click.option("--diversity", type=click.FloatRange(0, 1), default=0.0, show_default=True,
              help="Balance strength applied to the measured lists.")
@click.option("--max-users", type=click.IntRange(1), default=None,
              help="Measure on a random sample of this many customers.")
@click.option("--seed", type=int, default=0, show_default=True)
@click.option("--device", type=click.Choice(DEVICE_CHOICES), default="auto", show_default=True)
@click.option("--reliability", is_flag=True,
              help="Also print each strategy's reliability tables (score bins, and tenths of the "
                   "listed items by score, against what happened).")
@click.option("--final-pass/--no-final-pass", default=True, show_default=True,
              help="After calibrating, learn the held-back validation interactions as `train` "
                   "learns all data (refit, or one short pass); without it they only update "
                   "the histories.")
@click.option("--settings", type=click.Choice(SETTINGS), default="trained", show_default=True,
              help="trained: each strategy with the settings of its newest `shoprec train` run "
                   "in this workspace (its defaults where it has none); defaults: every "
                   "strategy with its defaults.")
@click.option("--minutes", "budget", default="auto", show_default=True, metavar="M|auto|none",
              help="Time for the whole comparison: the quick methods first, then the long-"
                   "trained ones share what is left (auto: 10 minutes up to 200,000 events, "
                   "else 30; none: each learns to its own time budget).")
@click.option("--json", "as_json", is_flag=True, help="Print the full report as JSON.")
@pass_state
def evaluate_cmd(
    state: State, strategies: str, protocol: str, cutoff: str | None, k: int, diversity: float,
    max_users: int | None, seed: int, device: str, reliability: bool, final_pass: bool,
    settings: str, budget: str, as_json: bool,
) -> None:
    """Measure strategies with full ranking (HR, NDCG, MRR at K, coverage, diversity, ECE).

    Ctrl+C stops it and prints what finished."""
    import signal

    from .. import engine
    from ..contracts.progress import CancelToken

    names = [s.strip() for s in strategies.split(",") if s.strip()]
    if names == ["all"]:
        names = sorted(engine.strategy_specs(ws=state.ws))
    if protocol != "temporal" and cutoff is not None:
        raise click.UsageError("--cutoff goes with --protocol temporal")
    minutes: float | str | None
    if budget.strip().lower() in ("auto", "none"):
        minutes = None if budget.strip().lower() == "none" else "auto"
    else:
        try:
            minutes = float(budget)
        except ValueError:
            raise click.UsageError(f"--minutes {budget!r} is not a number, auto or none") from None
    token = CancelToken()

    def stop(_signum: int, _frame: Any) -> None:
        if token.cancelled:  # a second Ctrl+C: stop at once
            raise KeyboardInterrupt
        token.cancel()
        click.echo("\nstopping: keeping the methods that finished (Ctrl+C again to quit)",
                   err=True)

    try:
        previous = signal.signal(signal.SIGINT, stop)
    except ValueError:  # not the main thread (tests calling the command in a thread)
        previous = None
    try:
        report = _run_engine(
            "evaluate",
            as_json,
            lambda bar: engine.evaluate(
                state.ws, names, protocol=protocol, k=k, cutoff=cutoff, seed=seed,
                device=device, diversity=diversity, max_users=max_users,
                final_pass=final_pass, settings=settings, budget_min=minutes, progress=bar,
                cancel=token,
            ),
        )
    finally:
        if previous is not None:
            signal.signal(signal.SIGINT, previous)
    if as_json:
        emit_json(report)
        return
    if report.get("stopped"):
        left = report.get("not_measured") or []
        click.echo("Stopped: showing the methods that finished"
                   + (f"; not measured: {', '.join(left)}" if left else "") + ".")
    where = f", cutoff {report['cutoff']}" if report.get("cutoff") else ""
    click.echo(f"{protocol} on {report['users']} customers, {report['items']} items, K={k}{where}")
    runs = {name: r["settings_run"] for name, r in report["results"].items() if r.get("settings_run")}
    if runs:
        click.echo("settings of the newest run: "
                   + ", ".join(f"{name} (run {run})" for name, run in runs.items())
                   + "; any others: defaults")
    head = f"{'strategy':<16}{'HR':>8}{'NDCG':>8}{'MRR':>8}{'cover':>8}{'ILD':>8}{'ECE':>8}{'train s':>9}"
    click.echo(f"took {report['seconds'] / 60:.1f} min"
               + (f" (budget {report['budget_min']:g} min)" if report.get("budget_min") else ""))
    click.echo(head)
    for name, r in report["results"].items():
        if "error" in r:
            click.echo(f"{name:<16}  failed: {r['error']}")
            continue

        def f(x: float | None) -> str:
            return "   n/a" if x is None else f"{x:.4f}"

        click.echo(
            f"{name:<16}{f(r[f'hr@{k}']):>8}{f(r[f'ndcg@{k}']):>8}{f(r['mrr']):>8}"
            f"{f(r['coverage']):>8}{f(r['intra_list_diversity']):>8}{f(r['ece']):>8}"
            f"{r['fit_seconds'] + r.get('update_seconds', 0.0):>9.1f}"
            + ("  (measured earlier, same settings and data)" if r.get("reused") else "")
        )
    notes = [f"  {name}: {r['note']}" for name, r in report["results"].items() if r.get("note")]
    notes += [f"  {name}: {capped_note(r)}" for name, r in report["results"].items()
              if r.get("learning_cap_min")]
    if notes:
        click.echo("\n".join(notes))
    if reliability:
        for name, r in report["results"].items():
            if "error" in r:
                continue
            click.echo(f"\n{name}: P({r['calibration']['event']}), "
                       f"logits mapped by {r['calibration']['method']}")
            click.echo(f"  {'score bin':<12}{'items':>8}{'predicted':>11}{'observed':>10}")
            for row in r["reliability"]:
                if row["count"]:
                    click.echo(
                        f"  {row['lo']:.1f}-{row['hi']:.1f}     {int(row['count']):>8}"
                        f"{row['predicted']:>11.4f}{row['observed']:>10.4f}"
                    )
            shares = r.get("reliability_by_share") or []
            if shares:
                gap = r.get("ece_by_share")
                click.echo("  the listed items in tenths by score"
                           + (f" (gap {gap:.4f})" if gap is not None else "") + ":")
                click.echo(f"  {'scores':<17}{'items':>8}{'predicted':>11}{'observed':>10}")
                for row in shares:
                    click.echo(
                        f"  {row['lo']:.4f}-{row['hi']:.4f}  {int(row['count']):>8}"
                        f"{row['predicted']:>11.4f}{row['observed']:>10.4f}"
                    )


# -------------------------------------------------------------------------------------------
@cli.command("plugins")
@click.option("--disable", "disable", metavar="NAME", default=None,
              help="Disable a plugin in this workspace.")
@click.option("--enable", "enable", metavar="NAME", default=None,
              help="Re-enable a plugin disabled in this workspace.")
@click.option("--params", "show_params", is_flag=True, help="Also list each strategy's parameters.")
@click.option("--json", "as_json", is_flag=True, help="Print as JSON.")
@pass_state
def plugins_cmd(
    state: State, disable: str | None, enable: str | None, show_params: bool, as_json: bool
) -> None:
    """List plugins: name, kind, source, version, status and error.

    Disable one by name here (per workspace) or with SHOPREC_DISABLE_PLUGINS=name1,name2.
    """
    from .. import engine

    ws = (state.ws if (disable or enable)
          else state.reader if state.workspace_path.exists() else None)
    if ws is not None and disable:
        engine.set_plugin_disabled(ws, disable, True)
    if ws is not None and enable:
        engine.set_plugin_disabled(ws, enable, False)
    pm = engine.plugin_manager(ws)
    pm.check_all()  # call every plugin's hooks: a plugin whose hook fails shows as failed
    specs = engine.strategy_specs(pm) if show_params or as_json else {}
    infos = pm.plugin_infos()
    if as_json:
        from ..contracts.strategy import describe_params

        emit_json(
            {
                "plugins": [i.as_dict() for i in infos],
                "strategies": {
                    name: {
                        "title": spec.title,
                        "family": spec.family,
                        "description": spec.description,
                        "params": [
                            {"name": p.name, "type": getattr(p.type, "__name__", str(p.type)),
                             "default": p.default, "min": p.min, "max": p.max,
                             "choices": list(p.choices) if p.choices else None, "help": p.help}
                            for p in describe_params(spec.params)
                        ],
                    }
                    for name, spec in specs.items()
                },
            }
        )
        return
    width = max((len(i.name) for i in infos), default=4)
    click.echo(f"{'name':<{width}}  {'kind':<18}{'source':<13}{'version':<10}status")
    for i in infos:
        kind = ",".join(i.kinds) or "-"
        line = f"{i.name:<{width}}  {kind:<18}{i.source:<13}{i.version:<10}{i.status}"
        click.echo(line + (f"  {i.error}" if i.error else ""))
    if show_params:
        from ..contracts.strategy import describe_params

        for name, spec in specs.items():
            click.echo(f"\n{name}: {spec.title}")
            for p in describe_params(spec.params):
                rng = "" if p.min is None and p.max is None else f" [{p.min}..{p.max}]"
                click.echo(f"  --param {p.name}={p.default!r}{rng}  {p.help}")
