"""ShopRec's log file: where it is, what the CLI writes there on an unexpected error, rotation."""

from __future__ import annotations

import logging
import os
import subprocess
import sys

from shoprec.core.runtime import logs


def _close_handlers_to(folder):
    root = logging.getLogger()
    for handler in list(root.handlers):
        if str(getattr(handler, "baseFilename", "")).startswith(str(folder)):
            root.removeHandler(handler)
            handler.close()


def test_log_goes_to_the_user_log_folder_and_rotates(tmp_path, monkeypatch):
    monkeypatch.setenv("SHOPREC_LOG_DIR", str(tmp_path / "logs"))
    monkeypatch.setattr(logs, "MAX_BYTES", 2000)
    try:
        path = logs.setup_logging("cli")
        assert path == tmp_path / "logs" / "cli.log"
        assert logs.setup_logging("cli") == path  # once per file, not twice
        log = logging.getLogger("shoprec.test")
        for i in range(100):
            log.info("line %d of a long day of imports", i)
        for handler in logging.getLogger().handlers:
            handler.flush()
        text = path.read_text(encoding="utf-8")
        assert "line 99 of a long day" in text
        assert (tmp_path / "logs" / "cli.log.1").is_file()  # rotated, old lines kept aside
        assert len(list((tmp_path / "logs").glob("cli.log*"))) <= 1 + logs.BACKUPS
        first = (tmp_path / "logs" / "cli.log.3").read_text(encoding="utf-8")
        assert "started" in first or "line" in first
    finally:
        _close_handlers_to(tmp_path)


def test_an_unwritable_log_folder_does_not_stop_the_app(tmp_path, monkeypatch):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the folder should be")
    monkeypatch.setenv("SHOPREC_LOG_DIR", str(blocker / "logs"))
    assert logs.setup_logging("cli") is None


def test_default_folder_is_the_platforms_user_log_folder(monkeypatch):
    import platformdirs

    monkeypatch.delenv("SHOPREC_LOG_DIR", raising=False)
    assert str(logs.log_folder()) == platformdirs.user_log_dir("ShopRec", appauthor=False)


def test_cli_writes_an_unexpected_error_with_its_traceback_to_the_log(tmp_path):
    code = (
        "import click\n"
        "from shoprec.core.cli import cli, main\n"
        "@cli.command('explode')\n"
        "def explode():\n"
        "    raise RuntimeError('the disk went away')\n"
        "import sys; sys.argv = ['shoprec', 'explode']\n"
        "main()\n"
    )
    env = {**os.environ, "SHOPREC_LOG_DIR": str(tmp_path / "logs")}
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env,
                         timeout=60)
    assert out.returncode != 0
    text = (tmp_path / "logs" / "cli.log").read_text(encoding="utf-8")
    assert "ERROR" in text and "unexpected error in shoprec explode" in text
    assert "Traceback" in text and "RuntimeError: the disk went away" in text


def test_a_user_error_is_not_logged_as_unexpected(tmp_path):
    from shoprec.core.store.workspace import Workspace

    Workspace(tmp_path / "w.shoprec").close()  # (reading commands need a workspace that exists)
    env = {**os.environ, "SHOPREC_LOG_DIR": str(tmp_path / "logs")}
    out = subprocess.run([sys.executable, "-c", "from shoprec.core.cli import main; main()",
                          "--workspace", str(tmp_path / "w.shoprec"), "rejects", "--import", "7"],
                         capture_output=True, text=True, env=env, timeout=60)
    assert out.returncode == 1 and "no import with id 7" in out.stderr
    assert "unexpected error" not in (tmp_path / "logs" / "cli.log").read_text(encoding="utf-8")
