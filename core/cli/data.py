"""Data commands: ``import``, ``info``, ``rejects``, ``formats``."""

from __future__ import annotations

from pathlib import Path

import click

from ..contracts.progress import Cancelled
from .base import State, TerminalProgress, cli, emit_json, pass_state


def _parse_maps(pairs: tuple[str, ...]) -> dict[str, str]:
    from ..importing import FIELDS  # here, not at the top: `shoprec --help` stays instant

    mapping: dict[str, str] = {}
    for pair in pairs:
        col, sep, fld = pair.rpartition("=")
        if not sep or not col.strip() or not fld.strip():
            raise click.BadParameter(f"{pair!r} is not COLUMN=FIELD", param_hint="--map")
        if fld.strip().lower() not in FIELDS:
            raise click.BadParameter(
                f"unknown field {fld.strip()!r} in {pair!r}; fields: {', '.join(FIELDS)}",
                param_hint="--map",
            )
        mapping[col.strip()] = fld.strip().lower()
    return mapping


@cli.command("import")
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--format", "format_name", default=None, metavar="NAME",
              help="Read the files as this format (see `shoprec formats`); default: detect.")
@click.option("--map", "maps", multiple=True, metavar="COLUMN=FIELD",
              help='Map a column to a field, e.g. --map "Customer Email=customer". Repeatable.')
@click.option("--encoding", default=None, metavar="NAME",
              help="The files' text encoding, e.g. utf-8, cp1252, gb18030, shift_jis; default: detect.")
@click.option("--json", "as_json", is_flag=True, help="Print the summaries as JSON.")
@pass_state
def import_command(state: State, files: tuple[Path, ...], format_name: str | None,
                   maps: tuple[str, ...], encoding: str | None, as_json: bool) -> None:
    """Import shop exports (CSV and similar) into the workspace.

    Each file is imported whole or not at all. Every row read is imported, skipped as a
    duplicate, or rejected with its line number and reason (see `shoprec rejects`).
    """
    from ..importing import ImportFailed, import_file
    from ..store.reimport import reimport_guard

    mapping = _parse_maps(maps)
    ws = state.create(announce=not as_json)
    summaries = []
    failures = []
    kept_out = 0
    for path in files:
        bar = TerminalProgress(f"import {path.name}", enabled=not as_json)
        try:
            summary = import_file(ws, path, format=format_name, mapping=mapping or None, progress=bar,
                                  encoding=encoding)
        except ImportFailed as exc:
            bar.close()
            failures.append(str(exc))
            click.echo(f"Error: {exc}", err=True)
            continue
        except (Cancelled, KeyboardInterrupt):
            bar.close()
            raise click.ClickException(f"{path}: import cancelled; the workspace is unchanged") from None
        bar.close()
        summaries.append(summary)
        if not as_json:
            click.echo(str(summary))
        guard = reimport_guard(ws)
        if guard is not None and guard.kept_out_customers > kept_out:
            click.echo(f"{guard.kept_out_customers - kept_out} customer(s) erased earlier were kept "
                       "out, with their rows (`shoprec forget --allow-again ID` undoes it)",
                       err=as_json)
            kept_out = guard.kept_out_customers
    if as_json:
        emit_json({"imports": [s.as_dict() for s in summaries], "errors": failures})
    if failures:
        raise SystemExit(1)


@cli.command("info")
@click.option("--json", "as_json", is_flag=True, help="Print as JSON.")
@pass_state
def info_command(state: State, as_json: bool) -> None:
    """Counts of customers, items, events by type, imports and rejects."""
    ws = state.reader
    info = ws.info()
    if info["items"]:
        from ..data.dataset import Dataset
        from ..data.merchandise import list_non_products

        info["not_recommended"] = len(list_non_products(Dataset.from_workspace(ws)))
    if as_json:
        emit_json(info)
        return
    click.echo(f"workspace:  {info['workspace']}")
    click.echo(f"customers:  {info['customers']:,}")
    click.echo(f"items:      {info['items']:,}")
    if info.get("not_recommended"):
        click.echo(f"            {info['not_recommended']:,} not recommended (postage, fees, vouchers..."
                   "; see `shoprec exclude --list`)")
    by_type = ", ".join(f"{t} {n:,}" for t, n in info["events_by_type"].items())
    click.echo(f"events:     {info['events']:,}" + (f" ({by_type})" if by_type else ""))
    if info.get("anonymous_lines"):
        click.echo(f"anonymous:  {info['anonymous_lines']:,} order lines in {info['anonymous_orders']:,} "
                   "orders without a customer (used for bought-together and similar items)")
    click.echo(f"imports:    {info['imports']:,}")
    again = info.get("rejects_all_imports", info["rejects"]) - info["rejects"]
    click.echo(f"rejects:    {info['rejects']:,}"
               + (f" distinct rows ({again:,} more are the same rows imported again)" if again else ""))


@cli.command("rejects")
@click.option("--import", "import_id", type=int, default=None, metavar="ID",
              help="Only the rejects of this import (default: all).")
@click.option("--limit", type=int, default=100, show_default=True, help="Show at most this many (0: all).")
@click.option("--json", "as_json", is_flag=True, help="Print as JSON.")
@pass_state
def rejects_command(state: State, import_id: int | None, limit: int, as_json: bool) -> None:
    """Rows that were not imported: file, line number, reason and raw text."""
    ws = state.reader
    if import_id is not None and not ws.count("imports", "id = ?", (import_id,)):
        raise click.ClickException(f"no import with id {import_id} (see `shoprec info`)")
    from ..store.queries import rejects

    rows = rejects(ws, import_id, limit)
    if as_json:
        emit_json([
            {"import_id": r[0], "file": r[1], "line": r[2], "reason": r[3], "raw": r[4]} for r in rows
        ])
        return
    if not rows:
        click.echo("no rejects")
        return
    for _imp, name, line, reason, raw in rows:
        raw_one = " ".join((raw or "").split())
        click.echo(f"{name}:{line}: {reason}  | {raw_one[:100]}")


@cli.command("formats")
@click.option("--json", "as_json", is_flag=True, help="Print as JSON.")
def formats_command(as_json: bool) -> None:
    """The file formats ShopRec recognises (built-in and from plugins)."""
    from ..importing import FIELDS, known_formats

    specs = known_formats()
    if as_json:
        emit_json([
            {"name": s.name, "title": s.title, "kind": s.kind, "description": s.description,
             "fields": list(s.columns), "headerless": bool(s.headerless)}
            for s in specs
        ])
        return
    width = max(len(s.name) for s in specs)
    for s in sorted(specs, key=lambda s: (s.priority < 0, s.name)):
        click.echo(f"{s.name.ljust(width)}  {s.kind:<9}  {s.title}: {s.description}")
    click.echo(f"\nfields for --map COLUMN=FIELD: {', '.join(FIELDS)}")
