"""The ``shoprec`` click group, its global options and shared helpers for the command modules."""

from __future__ import annotations

import importlib
import json
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from .. import __version__
from ..progress import ProgressUpdate

if TYPE_CHECKING:
    from ..workspace import Workspace

class LazyGroup(click.Group):
    """A click group whose commands live in modules imported only when that command runs.

    ``lazy`` maps a command name to ``(module, one-line help)``; the module (under
    ``shoprec.core.cli``) registers the command with ``@cli.command(name)`` when imported. The
    one-line help is shown by ``shoprec --help`` without importing anything, so start-up never
    loads torch, transformers or pandas; a test checks it matches the command's own docstring.
    """

    def __init__(self, *args: Any, lazy: Mapping[str, tuple[str, str]] | None = None,
                 **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.lazy: dict[str, tuple[str, str]] = dict(lazy or {})

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*self.commands, *self.lazy})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in self.commands and cmd_name in self.lazy:
            module = self.lazy[cmd_name][0]
            importlib.import_module(f"{__package__}.{module}")  # registers it with @cli.command
        return self.commands.get(cmd_name)

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        names = self.list_commands(ctx)
        limit = formatter.width - 6 - max((len(name) for name in names), default=0)
        rows = []
        for name in names:
            if name in self.commands:
                cmd = self.commands[name]
                if cmd.hidden:
                    continue
                rows.append((name, cmd.get_short_help_str(limit)))
            else:
                # the same shortening click applies to a loaded command's help
                stub = click.Command(name, help=self.lazy[name][1])
                rows.append((name, stub.get_short_help_str(limit)))
        if rows:
            with formatter.section("Commands"):
                formatter.write_dl(rows)


class State:
    """Per-invocation state shared by all commands (the workspace is opened lazily)."""

    def __init__(self, workspace_path: Path | None) -> None:
        self._workspace_path = workspace_path
        self._ws: Workspace | None = None

    @property
    def workspace_path(self) -> Path:
        if self._workspace_path is None:
            from ..workspace import default_workspace_path

            self._workspace_path = default_workspace_path()
        return self._workspace_path

    @property
    def ws(self) -> Workspace:
        if self._ws is None:
            from ..workspace import Workspace, WorkspaceError

            try:
                self._ws = Workspace(self.workspace_path)
            except WorkspaceError as exc:
                raise click.ClickException(str(exc)) from exc
        return self._ws

    def close(self) -> None:
        if self._ws is not None:
            self._ws.close()


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="shoprec")
@click.option(
    "--workspace",
    "workspace",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Workspace file (default: $SHOPREC_WORKSPACE or shop.shoprec in your user data folder).",
)
@click.pass_context
def cli(ctx: click.Context, workspace: Path | None) -> None:
    """ShopRec: offline recommendations for small shops.

    Import your shop's CSV exports, learn customer profiles, and export recommendation lists.
    """
    state = State(workspace)
    ctx.obj = state
    ctx.call_on_close(state.close)


pass_state = click.make_pass_decorator(State)


def emit_json(data: Any) -> None:
    click.echo(json.dumps(data, indent=2, ensure_ascii=False, default=str))


class TerminalProgress:
    """Adapts core progress updates to a one-line bar on a terminal; silent when not a TTY."""

    def __init__(self, label: str, enabled: bool = True) -> None:
        self.label = label
        self.enabled = enabled and sys.stderr.isatty()
        self._last = ""

    def __call__(self, update: ProgressUpdate) -> None:
        if not self.enabled:
            return
        frac = update.fraction
        bar = ""
        if frac is not None:
            filled = int(frac * 30)
            bar = f"[{'#' * filled}{'.' * (30 - filled)}] {frac * 100:5.1f}% "
        extra = " ".join(
            f"{k}={v:.4g}" if isinstance(v, float) else f"{k}={v}" for k, v in update.metrics.items()
        )
        line = f"\r{self.label}: {bar}{update.message} {extra}".rstrip()
        if line != self._last:
            sys.stderr.write(line[:160].ljust(len(self._last)))
            sys.stderr.flush()
            self._last = line

    def close(self) -> None:
        if self.enabled and self._last:
            sys.stderr.write("\n")
            sys.stderr.flush()


def main() -> None:
    """Run the command line. Usage lines name the program as typed: ``shoprec`` from a source
    install, ``shoprec-cli`` in the installers (a name that cannot clash with ``ShopRec``).

    Unexpected errors are written to the log file (``shoprec.core.logs``) with their traceback.
    """
    import logging

    from ..logs import setup_logging

    setup_logging("cli")
    try:
        cli()
    except Exception:
        logging.getLogger("shoprec.cli").exception("unexpected error in %s", " ".join(sys.argv))
        raise
