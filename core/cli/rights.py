"""``shoprec forget | backup | restore | check``: customers' data rights and a workspace's health."""

from __future__ import annotations

import time
from pathlib import Path

import click

from .base import State, TerminalProgress, cli, emit_json, pass_state


@cli.command("forget")
@click.option("--customer", "customers", multiple=True, metavar="ID",
              help="The shop's customer id or e-mail (repeatable).")
@click.option("--file", "file", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="A text file with one customer id or e-mail per line.")
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
@click.option("--dry-run", is_flag=True, help="Only say what would be removed.")
@click.option("--allow-again", is_flag=True,
              help="Undo: let these ids or e-mails be imported again (removes nothing).")
@click.option("--log", "show_log", is_flag=True, help="Show the log of erasures and exit.")
@click.option("--no-backup", is_flag=True, help="Skip the automatic backup made first.")
@click.option("--json", "as_json", is_flag=True, help="Print what was done as JSON.")
@pass_state
def forget_cmd(state: State, customers: tuple[str, ...], file: Path | None, yes: bool, dry_run: bool,
               allow_again: bool, show_log: bool, no_backup: bool, as_json: bool) -> None:
    """Erase customers: their events, lists, profiles and every row naming them.

    The workspace file itself forgets them too (secure delete, journal emptied, file rebuilt).
    Runs trained before are marked and their models removed: train again. Their ids and e-mails
    are remembered only as salted hashes, so importing an old export keeps them out. Your own
    raw export files are not touched: delete or edit those yourself.
    """
    from ..store import erasure as forgetting
    from ..store.workspace import WorkspaceError
    if show_log:
        log = forgetting.erasure_log(state.reader)
        if as_json:
            emit_json(log)
            return
        if not log:
            click.echo("no erasures yet")
        for e in log:
            when = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime(e["at"]))
            click.echo(f"{e['id']:>4}  {when}  {e['command']}: {e['customers']} customer(s) erased "
                       f"of {e['identifiers']} asked, {e['rows'].get('events', 0)} events, "
                       f"{e['runs_marked']} run(s) marked")
        return
    wanted = list(customers)
    if file is not None:
        try:
            wanted += forgetting.read_identifiers(file)
        except WorkspaceError as exc:
            raise click.ClickException(str(exc)) from exc
    if not wanted:
        raise click.UsageError("give --customer ID (repeatable) or --file FILE")
    if allow_again:
        n = forgetting.allow_again(state.ws, wanted)
        click.echo(f"{n} remembered id(s)/e-mail(s) lifted: they can be imported again.")
        return
    ws = state.reader if dry_run else state.ws
    try:
        plan = forgetting.plan(ws, wanted)
    except WorkspaceError as exc:
        raise click.ClickException(str(exc)) from exc
    what = plan.describe()
    if dry_run:
        if as_json:
            emit_json({"customers": len(plan.customer_keys), "not_found": len(plan.not_found),
                       "rows": plan.rows, "runs": list(plan.runs)})
        else:
            click.echo(f"Would remove {what}.")
        return
    if not yes and not as_json:
        click.confirm(f"Permanently remove {what} from {state.workspace_path}?", abort=True,
                      err=True)
    bar = TerminalProgress("forget", enabled=not as_json)
    try:
        result = forgetting.forget(ws, wanted, command="shoprec forget", backup=not no_backup,
                                   progress=bar)
    except WorkspaceError as exc:
        raise click.ClickException(str(exc)) from exc
    finally:
        bar.close()
    if as_json:
        emit_json(result.as_dict())
        return
    click.echo(f"Erased {result.customers} customer(s): {result.rows.get('events', 0):,} events, "
               f"{result.rows.get('run_lists', 0):,} list rows; the file was rebuilt without them "
               f"({result.seconds:.1f} s).")
    if result.not_found:
        click.echo(f"{len(result.not_found)} id(s)/e-mail(s) were not in the workspace; they are "
                   "remembered so that a later import keeps them out.")
    if result.runs_marked:
        click.echo(f"Run(s) {', '.join(map(str, result.runs_marked))} learned from them: their "
                   "models were removed (stored lists stay, without them). Train again to "
                   "recommend from the remaining data.")
    if result.backup:
        click.echo(f"A backup made just before is at {result.backup}; it still holds these "
                   "customers: delete it once you no longer need it.")
    click.echo("Your own export files (CSV) are not changed: delete or edit them yourself.")


@cli.command("backup")
@click.argument("target", type=click.Path(dir_okay=False, path_type=Path))
@pass_state
def backup_cmd(state: State, target: Path) -> None:
    """Copy the workspace to TARGET (safe while ShopRec is open elsewhere)."""
    from ..store import maintenance
    from ..store.workspace import WorkspaceError
    try:
        result = maintenance.backup(state.reader, target)
    except WorkspaceError as exc:
        raise click.ClickException(str(exc)) from exc
    except OSError as exc:
        raise click.ClickException(f"{target}: cannot write ({exc.strerror or exc})") from exc
    click.echo(f"Backed up {state.workspace_path} to {result.path} "
               f"({result.bytes / 1e6:.1f} MB, {result.seconds:.1f} s).")


@cli.command("restore")
@click.argument("source", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
@pass_state
def restore_cmd(state: State, source: Path, yes: bool) -> None:
    """Replace the workspace with the backup SOURCE (the current one is backed up first)."""
    from ..store import maintenance
    from ..store.workspace import WorkspaceError
    if not yes and state.workspace_path.exists():
        click.confirm(f"Replace {state.workspace_path} with {source}?", abort=True, err=True)
    state.close()
    try:
        out = maintenance.restore(state.workspace_path, source)
    except WorkspaceError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"Restored {state.workspace_path} from {source}.")
    if out["backup_of_current"]:
        click.echo(f"The workspace as it was is at {out['backup_of_current']}.")
    if out["kept_out"]:
        click.echo(f"{out['kept_out']} customer(s) erased since that backup stay erased.")


@cli.command("check")
@click.option("--repair", is_flag=True,
              help="Remove what can safely go: orphan models, triggers/views ShopRec did not make.")
@click.option("--json", "as_json", is_flag=True, help="Print the findings as JSON.")
@pass_state
def check_cmd(state: State, repair: bool, as_json: bool) -> None:
    """Check the workspace: integrity, links between tables, models, import accounting."""
    from ..store import maintenance
    from ..store.workspace import Workspace, WorkspaceError

    try:
        ws = Workspace(state.workspace_path, create=False, allow_unknown_schema=True)
    except WorkspaceError as exc:
        raise click.ClickException(str(exc)) from exc
    try:
        report = maintenance.check(ws, repair=repair)
    finally:
        ws.close()
    if as_json:
        emit_json(report.as_dict())
    else:
        click.echo(report.line())
    if not report.ok:
        raise SystemExit(1)


@cli.command("trust-model")
@click.argument("folder", type=click.Path(file_okay=False, exists=True, path_type=Path))
def trust_model_cmd(folder: Path) -> None:
    """Allow ShopRec to load the text model in FOLDER on this computer.

    A model folder named inside a workspace (one you received, or a run's settings) is never
    loaded until you confirm it here. Only .safetensors weights are ever loaded.
    """
    from ..models.text import TextEncoderError, _model_folder, check_weights, trust_folder

    try:
        check_weights(_model_folder(folder.resolve()))
    except TextEncoderError as exc:
        raise click.ClickException(str(exc)) from exc
    path = trust_folder(folder)
    click.echo(f"ShopRec may now load the text model in {path} on this computer.")
