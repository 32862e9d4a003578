"""``shoprec export``: write a stored run's lists (or item-to-item tables) for a shop or tool."""

from __future__ import annotations

from pathlib import Path

import click

from ..contracts.progress import Cancelled
from ..ranking.reasons import LANGUAGES
from .base import State, TerminalProgress, cli, emit_json, pass_state


@cli.command("export")
@click.option("--exporter", "exporter_name", metavar="NAME",
              help="Exporter to use (see --list).")
@click.option("--out", "out", type=click.Path(dir_okay=False, path_type=Path),
              help="File to write (default: <exporter>.<extension> in the current folder).")
@click.option("--run", "run_id", type=int, default=None, help="Run id (default: the newest run).")
@click.option("--strategy", default=None, help="Use the newest run of this strategy.")
@click.option("--top", type=click.IntRange(1, 1000), default=None,
              help="Keep at most N items per customer.")
@click.option("--threshold", type=click.FloatRange(0, 1), default=0.0, show_default=True,
              help="θ: only export items at least this likely (0 = off: the stored lists as they are).")
@click.option("--language", type=click.Choice(LANGUAGES), default="en", show_default=True,
              help="Language of the reasons in the file (zh_CN: Simplified Chinese).")
@click.option("--shop-url", default="",
              help="Your shop's address (https://shop.example) for product links in e-mail feeds.")
@click.option("--list", "list_only", is_flag=True, help="List the available exporters and exit.")
@click.option("--json", "as_json", is_flag=True, help="Print a JSON summary.")
@pass_state
def export_cmd(
    state: State,
    exporter_name: str | None,
    out: Path | None,
    run_id: int | None,
    strategy: str | None,
    top: int | None,
    threshold: float,
    language: str,
    shop_url: str,
    list_only: bool,
    as_json: bool,
) -> None:
    """Export recommendation lists: CSV, Excel, JSON, Shopify, WooCommerce, Magento, e-mail tools.

    Per-customer exporters (csv, xlsx, json, email-feed) need a stored run; product feeds
    (shopify-products, woocommerce-products, magento-catalog) and bought-together work from the
    imported orders alone.
    """
    from ..contracts.exporters import ExportError
    from ..shop.exporting import export, exporters

    known = exporters()
    if list_only:
        if as_json:
            emit_json([{"name": s.name, "title": s.title, "extension": s.extension,
                        "needs_run": s.needs_run, "platform": s.platform,
                        "description": s.description} for s in known.values()])
        else:
            width = max((len(n) for n in known), default=0)
            for spec in known.values():
                click.echo(f"{spec.name.ljust(width)}  {spec.title}")
        return
    if not exporter_name:
        raise click.UsageError(f"--exporter is required; one of: {', '.join(known)}")
    if run_id is not None and strategy is not None:
        raise click.UsageError("give --run or --strategy, not both")
    if exporter_name not in known:
        raise click.ClickException(
            f"unknown exporter {exporter_name!r}; known: {', '.join(known)}"
        )
    spec = known[exporter_name]
    path = out or Path(f"{spec.name}.{spec.extension}")
    bar = TerminalProgress("export", enabled=not as_json)
    try:
        result = export(state.reader, spec, path, run_id=run_id, strategy=strategy, top=top,
                        threshold=threshold, language=language, shop_url=shop_url, progress=bar)
    except ExportError as exc:
        raise click.ClickException(str(exc)) from exc
    except Cancelled as exc:
        raise click.ClickException("export cancelled") from exc
    except OSError as exc:
        raise click.ClickException(f"{path}: cannot write ({exc.strerror or exc})") from exc
    finally:
        bar.close()
    if as_json:
        emit_json(result.as_dict())
        return
    theta = f", only items at least {result.threshold:g} likely" if result.threshold > 0 else ""
    what = (f"{result.rows:,} rows for {result.customers_with_items:,} customers{theta}"
            if spec.needs_run else f"{result.rows:,} rows")
    run = f" from run {result.run_id}" if result.run_id is not None and spec.needs_run else ""
    click.echo(f"Wrote {result.path} ({spec.title}): {what}{run}.")
    if result.related_source:
        click.echo(f"Related items from: {result.related_source}.")
    for note in result.notes:
        click.echo(f"Note: {note}.")

