"""The ``shoprec`` click group, its global options and shared helpers for the command modules."""

from __future__ import annotations

import errno
import importlib
import json
import sqlite3
import sys
import time
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from .. import __version__
from ..contracts.progress import ProgressUpdate

if TYPE_CHECKING:
    from ..store.workspace import Workspace

class LazyGroup(click.Group):
    """A click group whose commands live in modules imported only when that command runs, and
    that turns failures of the workspace itself (disk full, read-only file, damaged file, another
    process holding the lock too long) into one line with the real cause, never a traceback.

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

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except sqlite3.Error as exc:
            from ..store.workspace import describe_sqlite_error

            where = getattr(ctx.obj, "workspace_path", "workspace")
            raise click.ClickException(f"{where}: {describe_sqlite_error(exc)}") from None
        except click.ClickException:
            raise
        except Exception as exc:
            # (the workspace module, and sqlite-utils with it, stays unloaded for --help: a
            # WorkspaceError can only come from a command that loaded it)
            workspace = sys.modules.get(f"{__package__.rsplit('.', 1)[0]}.store.workspace")
            if workspace is not None and isinstance(exc, workspace.WorkspaceError):
                raise click.ClickException(str(exc)) from None
            if not isinstance(exc, OSError):
                raise
            if exc.errno == errno.ENOSPC:
                raise click.ClickException(
                    f"{exc.filename or 'disk'}: the disk is full; nothing was changed") from None
            if exc.errno in (errno.EROFS, errno.EACCES) and exc.filename:
                raise click.ClickException(f"{exc.filename}: cannot write there ({exc.strerror})") from None
            raise


def _say_waiting(message: str) -> None:
    click.echo(message, err=True)


class State:
    """Per-invocation state shared by all commands (the workspace is opened lazily).

    ``ws``: opened for writing, an existing workspace only; ``create()``: for writing, created
    when missing (``import``); ``reader``: read-only, never writes a byte (``info``, ``export``,
    ``rejects``, ``recommend`` without ``--save``).
    """

    def __init__(self, workspace_path: Path | None) -> None:
        self._workspace_path = workspace_path
        self._ws: Workspace | None = None
        self._reader: Workspace | None = None

    @property
    def workspace_path(self) -> Path:
        if self._workspace_path is None:
            from ..store.workspace import default_workspace_path

            self._workspace_path = default_workspace_path()
        return self._workspace_path

    def _open(self, **kwargs: object) -> Workspace:
        from ..store.workspace import Workspace, WorkspaceError

        try:
            return Workspace(self.workspace_path, on_wait=_say_waiting, **kwargs)  # type: ignore[arg-type]
        except WorkspaceError as exc:
            raise click.ClickException(str(exc)) from exc

    @property
    def ws(self) -> Workspace:
        if self._ws is None:
            self._ws = self._open(create=False)
        return self._ws

    def create(self, announce: bool = True) -> Workspace:
        """The workspace for writing, created (and said so) when it does not exist yet."""
        if self._ws is None:
            new = not self.workspace_path.exists()
            self._ws = self._open(create=True)
            if new and announce:
                click.echo(f"Created a new workspace: {self.workspace_path}")
        return self._ws

    @property
    def reader(self) -> Workspace:
        if self._ws is not None:
            return self._ws
        if self._reader is None:
            self._reader = self._open(readonly=True)
        return self._reader

    def close(self) -> None:
        for ws in (self._ws, self._reader):
            if ws is not None:
                ws.close()


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


def _time_left(seconds: float) -> str:
    if seconds >= 90:
        return f"about {seconds / 60:.0f} min left"
    return f"about {max(1, round(seconds))} s left"


class TerminalProgress:
    """Adapts core progress updates for a person watching: a one-line bar on a terminal, and a
    whole line every ``every`` seconds (and at each new phase) when the output is a log file or
    a pipe, once the work has run that long, so that a long training is never silent."""

    def __init__(self, label: str, enabled: bool = True, *, every: float = 15.0) -> None:
        self.label = label
        self.tty = sys.stderr.isatty()
        self.enabled = enabled
        self.every = every
        self._last = ""
        self._logged_at = float("-inf")
        self._phase = ""
        self._started: float | None = None

    def _text(self, update: ProgressUpdate) -> tuple[str, str]:
        frac = update.fraction
        pct = f"{frac * 100:5.1f}% " if frac is not None else ""
        eta = update.metrics.get("eta_s")
        left = f" ({_time_left(float(eta))})" if isinstance(eta, (int, float)) and eta > 0 else ""
        return pct, f"{update.message}{left}"

    def __call__(self, update: ProgressUpdate) -> None:
        if not self.enabled:
            return
        pct, text = self._text(update)
        if not self.tty:
            # Quick work stays quiet (an error is then the only line); long work gets a line
            # every ``every`` seconds and at each new phase, once it has run that long.
            phase = update.message.split(":", 1)[0]
            now = time.monotonic()
            if self._started is None:
                self._started = now
            if now - self._started < self.every:
                self._phase = phase
                return
            if phase != self._phase or now - self._logged_at >= self.every:
                self._phase, self._logged_at = phase, now
                sys.stderr.write(f"{self.label}: {pct}{text}".rstrip() + "\n")
                sys.stderr.flush()
            return
        bar = ""
        frac = update.fraction
        if frac is not None:
            filled = int(frac * 30)
            bar = f"[{'#' * filled}{'.' * (30 - filled)}] {pct}"
        line = f"\r{self.label}: {bar}{text}".rstrip()
        if line != self._last:
            sys.stderr.write(line[:160].ljust(len(self._last)))
            sys.stderr.flush()
            self._last = line

    def close(self) -> None:
        if self.enabled and self.tty and self._last:
            sys.stderr.write("\n")
            sys.stderr.flush()


def main() -> None:
    """Run the command line. Usage lines name the program as typed: ``shoprec`` from a source
    install, ``shoprec-cli`` in the installers (a name that cannot clash with ``ShopRec``).

    Unexpected errors are written to the log file (``shoprec.core.runtime.logs``) with their traceback.
    """
    import logging

    from ..runtime.logs import setup_logging

    setup_logging("cli")
    try:
        cli()
    except Exception:
        logging.getLogger("shoprec.cli").exception("unexpected error in %s", " ".join(sys.argv))
        raise
