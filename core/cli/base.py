"""The ``shoprec`` click group, its global options and shared helpers for the command modules."""

from __future__ import annotations

import errno
import json
import sqlite3
import sys
import time
from pathlib import Path
from typing import Any

import click

from .. import __version__
from ..progress import ProgressUpdate
from ..workspace import Workspace, WorkspaceError, default_workspace_path, describe_sqlite_error


def _say_waiting(message: str) -> None:
    click.echo(message, err=True)


class State:
    """Per-invocation state shared by all commands (the workspace is opened lazily).

    ``ws``: opened for writing, an existing workspace only; ``create()``: for writing, created
    when missing (``import``); ``reader``: read-only, never writes a byte (``info``, ``export``,
    ``rejects``, ``recommend`` without ``--save``).
    """

    def __init__(self, workspace_path: Path) -> None:
        self.workspace_path = workspace_path
        self._ws: Workspace | None = None
        self._reader: Workspace | None = None

    def _open(self, **kwargs: object) -> Workspace:
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


class ShopRecGroup(click.Group):
    """Turns failures of the workspace itself (disk full, read-only file, damaged file, another
    process holding the lock too long) into one line with the real cause, never a traceback."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except WorkspaceError as exc:
            raise click.ClickException(str(exc)) from None
        except sqlite3.Error as exc:
            where = getattr(ctx.obj, "workspace_path", "workspace")
            raise click.ClickException(f"{where}: {describe_sqlite_error(exc)}") from None
        except OSError as exc:
            if exc.errno == errno.ENOSPC:
                raise click.ClickException(
                    f"{exc.filename or 'disk'}: the disk is full; nothing was changed") from None
            if exc.errno in (errno.EROFS, errno.EACCES) and exc.filename:
                raise click.ClickException(f"{exc.filename}: cannot write there ({exc.strerror})") from None
            raise


@click.group(cls=ShopRecGroup, context_settings={"help_option_names": ["-h", "--help"]})
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
    state = State(workspace or default_workspace_path())
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
    cli(prog_name="shoprec")
