"""``shoprec gui``: open the desktop app over the workspace.

The desktop is imported only inside the command (by module name), so the core and every other
command run without Qt installed or loaded.
"""

from __future__ import annotations

import importlib
import os

import click

from .base import State, cli, pass_state


@cli.command("gui")
@pass_state
def gui(state: State) -> None:
    """Open the ShopRec desktop app on this workspace."""
    try:
        desktop = importlib.import_module("shoprec.desktop.app")
    except ImportError as exc:
        raise click.ClickException(
            f"the desktop app needs PySide6 ({exc}); install it with: pip install pyside6-essentials"
        ) from exc
    if os.name == "posix" and not (
        os.environ.get("DISPLAY")
        or os.environ.get("WAYLAND_DISPLAY")
        or os.environ.get("QT_QPA_PLATFORM")
        or os.uname().sysname == "Darwin"
    ):
        raise click.ClickException(
            "no display found (DISPLAY is not set); run the app on a desktop session, "
            "or use the other shoprec commands in this terminal"
        )
    problem = importlib.import_module("shoprec.desktop.preflight").platform_problem()
    if problem:
        raise click.ClickException(problem)
    raise SystemExit(desktop.run(state.workspace_path))
