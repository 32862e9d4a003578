"""``shoprec demo``: ShopRec's main job on the built-in demo shop.

Generate the demo shop's exports, import them into a fresh demo workspace, train the default
strategy, show a few customers' lists and export them. With a display (and without
``--terminal``) the desktop app then opens on the demo workspace; on a machine with no display
everything happens in this terminal.
"""

from __future__ import annotations

import datetime as dt
import importlib
import os
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from .. import demo as demo_shop
from ..contracts.progress import Cancelled
from .base import State, TerminalProgress, cli, emit_json

if TYPE_CHECKING:
    from ..store.workspace import Workspace

#: Tried in this order when ``--strategy`` is not given: the first one installed is trained.
DEFAULT_STRATEGIES: tuple[str, ...] = ("transformer", "ease", "als", "itemknn", "popularity")
#: Demo-sized settings: the demo must finish in a minute or two on a 2-core laptop. The
#: transformer gets a one-minute training budget (its own default is 30 minutes).
DEMO_PARAMS: dict[str, dict[str, Any]] = {"transformer": {"time_budget_min": 1.0}}
#: The demo lists as `shoprec train` does by default: θ off, every customer a full top-N.
DEMO_THRESHOLD = 0.0
EXPORTS: tuple[tuple[str, str], ...] = (
    ("csv", "recommendations.csv"),
    ("shopify-products", "shopify-products.csv"),
    ("email-feed", "email-feed.csv"),
)


def has_display() -> bool:
    """True when a window can be shown: always on Windows/macOS, DISPLAY/WAYLAND on Linux/BSD."""
    if sys.platform in ("win32", "darwin"):
        return True
    return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))


def _desktop_runner() -> Any | None:
    """The desktop's ``run(workspace_path)`` when the desktop app and Qt are installed."""
    try:
        module = importlib.import_module("shoprec.desktop.app")
    except ImportError:
        return None
    return getattr(module, "run", None)


def _window_problem() -> str | None:
    """Why Qt could not open a window here (a missing system library), checked before Qt loads."""
    try:
        preflight = importlib.import_module("shoprec.desktop.preflight")
    except ImportError:
        return None
    return preflight.platform_problem(then='open it with the "Desktop app" command above')


@cli.command("demo")
@click.option("--folder", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Where to write the demo shop (default: demo-shop in your user data folder).")
@click.option("--terminal", is_flag=True, help="Stay in the terminal even when a display exists.")
@click.option("--strategy", default=None,
              help=f"Strategy to train (default: the first installed of {', '.join(DEFAULT_STRATEGIES)}).")
@click.option("--device", default="auto", show_default=True, help="auto, cpu, cuda or mps.")
@click.option("--show", "n_show", type=click.IntRange(0, 50), default=3, show_default=True,
              help="How many customers' lists to print.")
@click.option("--seed", type=int, default=demo_shop.DEFAULT_SEED, show_default=True,
              help="Seed of the generated shop (the same seed writes the same files).")
@click.option("--customers", "n_customers", type=click.IntRange(10, 200_000), default=1500,
              show_default=True, help="Number of customers in the generated shop.")
@click.option("--json", "as_json", is_flag=True, help="Print a JSON summary instead of the tour.")
@click.pass_context
def demo(
    ctx: click.Context,
    folder: Path | None,
    terminal: bool,
    strategy: str | None,
    device: str,
    n_show: int,
    seed: int,
    n_customers: int,
    as_json: bool,
) -> None:
    """Run ShopRec on the built-in demo shop: generate, import, train, recommend, export."""
    state: State = ctx.find_object(State)
    started = time.perf_counter()
    _tolerant_stdout()
    folder = folder or demo_shop.default_demo_folder()
    # The demo never touches the user's own shop workspace unless --workspace names one.
    explicit = ctx.parent is not None and ctx.parent.params.get("workspace") is not None
    workspace = state.workspace_path if explicit else folder / demo_shop.DEMO_WORKSPACE
    say = (lambda *a, **k: None) if as_json else _echo
    want_gui = not terminal and not as_json and has_display()
    run_gui = _desktop_runner() if want_gui else None
    summary: dict[str, Any] = {"folder": str(folder), "workspace": str(workspace)}
    if strategy is not None:  # fail before minutes of work, not after
        try:
            from .. import engine

            known = engine.strategy_specs()
        except ImportError:
            known = {}
        if known and strategy not in known:
            raise click.ClickException(f"unknown strategy {strategy!r}; known: {', '.join(known)}")

    say(click.style(f"ShopRec demo: {demo_shop.SHOP_NAME}", bold=True)
        + ", an invented home & lifestyle shop (generated, no real customers).")
    say("")
    say(f"1/5 Writing the shop's exports (Shopify products, customers, orders; a browsing log) to {folder}")
    shop = demo_shop.generate_demo_shop(folder, seed=seed, n_customers=n_customers)
    say(f"    {shop.products} products ({shop.variants} variants), {shop.customers} customers, "
        f"{shop.orders} orders ({shop.line_items} line items, {shop.cancelled_orders} cancelled), "
        f"{shop.events} product views and add-to-carts")
    summary["shop"] = {k: getattr(shop, k) for k in ("products", "variants", "customers", "orders",
                                                     "line_items", "cancelled_orders", "events",
                                                     "seed")}

    say("")
    say(f"2/5 Importing into a fresh demo workspace: {workspace}")
    bar = TerminalProgress("    import", enabled=not as_json)

    def show_import(s: Any) -> None:
        bar.close()
        bar._last = ""
        say(f"    {Path(s.file).name:<22} {s.format:<18} {s.rows_read:>6} rows read = "
            f"{s.imported} imported + {s.duplicates} duplicates + {s.rejected} rejected "
            f"({s.seconds:.1f} s)")

    try:
        from ..importing import ImportFailed
    except ImportError:  # pragma: no cover - the importer ships with the core
        ImportFailed = RuntimeError  # noqa: N806
    try:
        summaries = demo_shop.import_demo_shop(shop, workspace, on_file=show_import, progress=bar)
    except (ImportFailed, Cancelled, OSError) as exc:
        bar.close()
        raise click.ClickException(f"importing the demo shop failed: {exc}") from exc
    summary["imports"] = [s.as_dict() for s in summaries]
    if state._ws is not None:  # the group may have opened the same file; reopen fresh
        state.close()
        state._ws = None

    from ..store.workspace import Workspace

    with Workspace(workspace) as ws:
        # with a window to follow, a failed strategy may give way to the next one (said loudly);
        # in the terminal it is an error: the demo never shows a fallback as if it were the real thing
        run_id = _train(ws, strategy, device, say, as_json, summary, fall_back=want_gui)
        if run_id is not None:
            example = _show_lists(ws, run_id, n_show, say)
            if example:
                summary["example_customer"] = example
            _export(ws, run_id, folder / "exports", say, summary)

    seconds = time.perf_counter() - started
    summary["seconds"] = round(seconds, 1)
    if as_json:
        emit_json(summary)
        return
    say("")
    say(click.style(f"Done in {seconds:.0f} s.", bold=True)
        + f" The demo workspace is {workspace}")
    ws_arg = f'--workspace "{workspace}"'
    # the name the user typed: shoprec from a source install, shoprec-cli in the installers
    prog = ctx.find_root().info_name or ""
    prog = prog if prog.startswith("shoprec") else "shoprec"
    say(f"  See it again:      {prog} {ws_arg} info")
    if run_id is not None:
        say(f"  One customer:      {prog} {ws_arg} recommend --strategy {summary['strategy']} "
            f"--customer {summary.get('example_customer', 'ID')}")
        others = ",".join(s for s in ("popularity", "ease") if s != summary["strategy"])
        say(f"  Compare:           {prog} {ws_arg} evaluate --strategy "
            f"{others},{summary['strategy']}")
    say(f"  Desktop app:       {prog} {ws_arg} gui")
    say(f"  Your own shop:     {prog} import orders_export.csv products_export.csv ...")
    if want_gui:
        if run_gui is None:
            say("The desktop app is not available in this installation (PySide6 missing); "
                "everything above ran in the terminal instead.")
        elif problem := _window_problem():
            say(f"(Everything above ran in the terminal: {problem}.)")
        else:
            say("Opening the desktop app on the demo workspace...")
            raise SystemExit(run_gui(workspace))
    elif not terminal:
        say("(No display found, so the demo ran in the terminal; on a desktop it opens the app.)")


def _tolerant_stdout() -> None:
    """A Windows pipe or an old console is cp1252: print "?" for θ or "Yılmaz", never crash."""
    encoding = (getattr(sys.stdout, "encoding", "") or "").lower().replace("-", "")
    if encoding != "utf8" and hasattr(sys.stdout, "reconfigure"):
        try:
            sys.stdout.reconfigure(errors="replace")
        except (ValueError, OSError):  # a stream that cannot be reconfigured: leave it
            pass


def _echo(text: str = "") -> None:
    click.echo(text)
    sys.stdout.flush()  # a pipe (CI, a log file) sees each step as it happens


def _train(ws: Workspace, strategy: str | None, device: str, say: Any, as_json: bool,
           summary: dict[str, Any], fall_back: bool = False) -> int | None:
    """Train the strategy asked for (or the default) and return its run id; None if no engine.

    When the default strategy fails, the next one is tried only with ``fall_back`` (and the
    switch is printed in bold and recorded in the summary); otherwise the failure is an error.
    """
    from ..store import queries

    try:
        from .. import engine
    except ImportError:
        say("")
        say("3/5 Training: the engine is not part of this installation yet; stopping after import.")
        return None
    specs = engine.strategy_specs(ws=ws)
    if strategy is not None and strategy not in specs:
        raise click.ClickException(f"unknown strategy {strategy!r}; known: {', '.join(specs)}")
    candidates = [strategy] if strategy else [s for s in DEFAULT_STRATEGIES if s in specs]
    if not candidates:
        raise click.ClickException("no recommendation strategy is installed")
    say("")
    for i, name in enumerate(candidates):
        params = DEMO_PARAMS.get(name)
        shown = ", ".join(f"{k}={v}" for k, v in (params or {}).items())
        say(f"3/5 Training {name} ({specs[name].title}) on device {device}"
            + (f" with demo settings {shown}" if shown else ""))
        bar = TerminalProgress(f"    {name}", enabled=not as_json)
        try:
            # the shop owner's training as `shoprec train` runs it, the final pass included
            result = engine.train(ws, name, params, device=device, seed=0,
                                  settings=engine.ListSettings(threshold=DEMO_THRESHOLD),
                                  progress=bar)
        except Cancelled as exc:
            raise click.ClickException("training cancelled") from exc
        except Exception as exc:
            bar.close()
            if strategy is not None or not fall_back or i == len(candidates) - 1:
                raise click.ClickException(f"training {name} failed: {exc}") from exc
            summary.setdefault("failed_strategies", []).append(
                {"strategy": name, "error": f"{type(exc).__name__}: {exc}"})
            say(click.style(f"    {name} FAILED ({type(exc).__name__}: {exc}); the demo uses "
                            f"{candidates[i + 1]} instead", bold=True, fg="red"))
            continue
        bar.close()
        break
    cal = result.calibration
    fit = sum(v for v in result.timings.values() if isinstance(v, (int, float)))
    say(f"    run {result.run_id} stored after {fit:.0f} s of work")
    say(f"    a score estimates the probability that {cal.event or 'the customer takes the item'}"
        + (f" (calibration error ECE {cal.ece:.3f})" if cal.ece is not None else ""))
    lists = result.metrics.get("lists", {})
    best = queries.best_listed_score(ws, result.run_id)
    if lists:
        full = lists.get("full_lists")
        say(f"    lists for {int(lists.get('customers', 0))} customers"
            + (f" ({int(full)} with a full top {result.settings.top_n})" if full is not None else "")
            + f", {lists.get('mean_length', 0):.1f} items each on average, "
            f"{100 * lists.get('coverage', 0):.0f}% of the catalog recommended to someone; "
            f"best score {best or 0:.3f}")
    summary["strategy"] = result.strategy
    summary["run_id"] = result.run_id
    summary["calibration"] = {"event": cal.event, "ece": cal.ece}
    summary["lists"] = lists
    return result.run_id


def _fmt_day(ts: int) -> str:
    return dt.datetime.fromtimestamp(int(ts), dt.timezone.utc).strftime("%d %b")


def _show_lists(ws: Workspace, run_id: int, n_show: int, say: Any) -> str | None:
    """A few customers with a real history: what they bought lately and what they get."""
    from ..store import queries

    say("")
    say(f"4/5 Recommendations (run {run_id}): a few customers")
    if n_show == 0:
        return None
    picks = queries.regulars_with_lists(ws, run_id, min_orders=3)
    if not picks:
        say("    (no customer with three or more orders has a list)")
        return None
    # spread over the customer base rather than the first few ids
    step = max(1, len(picks) // n_show)
    chosen = picks[::step][:n_show]
    for key, ext, name, orders in chosen:
        say("")
        say(click.style(f"    {name or ext}", bold=True) + f"  <{ext}>, {orders} orders")
        bought = queries.recent_purchases(ws, key, 4)
        say("      recently bought: " + "; ".join(f"{t} ({_fmt_day(ts)})" for t, ts in bought))
        recs = queries.stored_list_head(ws, run_id, key, 5)
        for rank, title, sku, score, reason in recs:
            why = f"  - {reason}" if reason else ""
            say(f"      {rank:>2}. {score:.3f}  {title} [{sku}]{why}")
    say("")
    say("    (score = calibrated probability; `--threshold` θ keeps only items at least that likely)")
    return str(chosen[0][1])  # an id the user can paste into `shoprec recommend --customer`


def _export(ws: Workspace, run_id: int, folder: Path, say: Any, summary: dict[str, Any]) -> None:
    from ..contracts.exporters import ExportError
    from ..shop.exporting import export

    say("")
    say(f"5/5 Exporting to {folder}")
    done = []
    for name, filename in EXPORTS:
        try:
            result = export(ws, name, folder / filename, run_id=run_id)
        except ExportError as exc:
            say(f"    {filename}: skipped ({exc})")
            continue
        done.append(result.as_dict())
        say(f"    {filename:<24} {result.rows} rows")
    summary["exports"] = done
