"""The ``shoprec`` click group, its global options and shared helpers for the command modules."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import click

from .. import __version__
from ..progress import ProgressUpdate
from ..workspace import Workspace, WorkspaceError, default_workspace_path


class State:
    """Per-invocation state shared by all commands (the workspace is opened lazily)."""

    def __init__(self, workspace_path: Path) -> None:
        self.workspace_path = workspace_path
        self._ws: Workspace | None = None

    @property
    def ws(self) -> Workspace:
        if self._ws is None:
            try:
                self._ws = Workspace(self.workspace_path)
            except WorkspaceError as exc:
                raise click.ClickException(str(exc)) from exc
        return self._ws

    def close(self) -> None:
        if self._ws is not None:
            self._ws.close()


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
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
    cli(prog_name="shoprec")
