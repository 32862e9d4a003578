"""The command line starts without torch, transformers, pandas or any strategy: commands load lazily.

Timings are in bench/cli_startup.py; here: what is imported, and that the table of commands is whole.
"""

from __future__ import annotations

import importlib
import subprocess
import sys

import pytest
from click.testing import CliRunner

HEAVY = ("torch", "transformers", "pandas", "scipy", "sqlite_utils", "PySide6",
         "shoprec.core.engine", "shoprec.plugins.strategies")


def _loaded_after(code: str) -> set[str]:
    """The heavy modules loaded after running ``code`` in a fresh interpreter."""
    probe = (f"{code}\nimport sys\n"
             f"print(','.join(m for m in {HEAVY!r} if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    lines = out.stdout.splitlines()
    return set(filter(None, (lines[-1] if lines else "").split(",")))


def test_importing_the_cli_loads_nothing_heavy():
    assert _loaded_after("import shoprec.core.cli") == set()


def test_every_commands_help_loads_nothing_heavy():
    code = (
        "from click.testing import CliRunner\n"
        "from shoprec.core.cli import COMMANDS, cli\n"
        "runner = CliRunner()\n"
        "for args in [['--help'], ['--version'], *[[name, '--help'] for name in COMMANDS]]:\n"
        "    result = runner.invoke(cli, args)\n"
        "    assert result.exit_code == 0, (args, result.output)\n"
    )
    assert _loaded_after(code) == set()


def test_a_command_that_needs_the_engine_still_gets_it(tmp_path):
    # laziness must not lose anything: `plugins` imports the engine when it runs
    code = ("from click.testing import CliRunner\nfrom shoprec.core.cli import cli\n"
            f"r = CliRunner().invoke(cli, ['--workspace', {str(tmp_path / 'w.shoprec')!r}, 'plugins'])\n"
            "assert r.exit_code == 0, r.output\nassert 'transformer' in r.output, r.output")
    assert "shoprec.core.engine" in _loaded_after(code)


def test_the_table_lists_every_command_with_its_own_help():
    from shoprec.core.cli import COMMANDS, cli

    for name, (module, help_text) in COMMANDS.items():
        importlib.import_module(f"shoprec.core.cli.{module}")
        assert name in cli.commands, f"{module}.py does not register `{name}`"
        assert cli.commands[name].get_short_help_str(1000) == help_text, (
            f"COMMANDS[{name!r}] says {help_text!r}; the command's docstring says "
            f"{cli.commands[name].get_short_help_str(1000)!r}")
    assert set(cli.commands) == set(COMMANDS), "a command is registered but not in COMMANDS"


def test_top_level_help_lists_every_command_with_its_help():
    from shoprec.core.cli import COMMANDS, cli

    result = CliRunner().invoke(cli, ["--help"], terminal_width=200)
    assert result.exit_code == 0
    for name, (_module, help_text) in COMMANDS.items():
        assert f"  {name}  " in result.output or f"  {name} " in result.output
        assert help_text[:40] in result.output, name


def test_unknown_command_is_a_one_line_error():
    from shoprec.core.cli import cli

    result = CliRunner().invoke(cli, ["fly"])
    assert result.exit_code == 2
    assert "No such command 'fly'" in result.output


def test_option_choices_mirror_the_core():
    from shoprec.core.cli import engine as engine_cli
    from shoprec.core.data import split
    from shoprec.core.engine import compare

    assert engine_cli.PROTOCOLS == split.PROTOCOLS
    assert engine_cli.SETTINGS == compare.SETTINGS


@pytest.mark.parametrize("args", [["--version"], ["--help"]])
def test_the_installed_command_answers_at_once(args):
    out = subprocess.run([sys.executable, "-c", "from shoprec.core.cli import main; main()", *args],
                         capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    assert ("version 0." in out.stdout) if args == ["--version"] else ("Commands:" in out.stdout)
