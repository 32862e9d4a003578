"""Before Qt loads: a missing X11 library is a one-line error naming it, not Qt's abort."""

from __future__ import annotations

import sys

from click.testing import CliRunner
from shoprec.core.cli import cli
from shoprec.core.cli import demo as demo_cmd
from shoprec.desktop import preflight

LDD = """\
\tlinux-vdso.so.1 (0x00007ffd)
\tlibQt6XcbQpa.so.6 => /venv/PySide6/Qt/lib/libQt6XcbQpa.so.6 (0x00007f1)
\tlibxcb-icccm.so.4 => not found
\tlibxcb-keysyms.so.1 => not found
\tlibxcb.so.1 => /lib/x86_64-linux-gnu/libxcb.so.1 (0x00007f2)
\tlibxcb-icccm.so.4 => not found
"""


def test_the_platform_qt_will_pick():
    assert preflight.qt_platform({}, "linux") == "xcb"
    assert preflight.qt_platform({"DISPLAY": ":0"}, "linux") == "xcb"
    assert preflight.qt_platform({"QT_QPA_PLATFORM": "offscreen"}, "linux") == "offscreen"
    assert preflight.qt_platform({"QT_QPA_PLATFORM": "wayland;xcb"}, "linux") == "wayland"
    assert preflight.qt_platform({"QT_QPA_PLATFORM": "xcb:dpi=96"}, "linux") == "xcb"
    wayland = {"WAYLAND_DISPLAY": "wayland-0", "XDG_SESSION_TYPE": "wayland"}
    assert preflight.qt_platform(wayland, "linux") == "wayland"
    # XWayland only (an X session that happens to export WAYLAND_DISPLAY): still xcb
    assert preflight.qt_platform({"WAYLAND_DISPLAY": "w", "XDG_SESSION_TYPE": "x11"}, "linux") == "xcb"
    assert preflight.qt_platform({}, "win32") is None
    assert preflight.qt_platform({}, "darwin") is None


def test_unresolved_libraries_are_read_off_ldd_once_each():
    assert preflight.unresolved(LDD) == ["libxcb-icccm.so.4", "libxcb-keysyms.so.1"]
    assert preflight.unresolved("\tlibc.so.6 => /lib/libc.so.6 (0x1)\n") == []


def test_debian_package_names_follow_debian_rules():
    assert preflight.debian_package("libxcb-icccm.so.4") == "libxcb-icccm4"
    assert preflight.debian_package("libxcb-cursor.so.0") == "libxcb-cursor0"
    assert preflight.debian_package("libxkbcommon-x11.so.0") == "libxkbcommon-x11-0"
    assert preflight.debian_package("libxcb-render-util.so.0") == "libxcb-render-util0"
    assert preflight.debian_package("libEGL.so.1") == "libegl1"
    assert preflight.debian_package("libfoo.so") == "libfoo"


def test_missing_libraries_add_what_qt_loads_at_run_time(tmp_path):
    plugin = tmp_path / "libqxcb.so"
    found = preflight.missing_libraries(plugin, ldd=lambda p: LDD, find_library=lambda n: None)
    assert found == ["libxcb-icccm.so.4", "libxcb-keysyms.so.1", "libxcb-cursor.so.0"]
    present = preflight.missing_libraries(plugin, ldd=lambda p: "", find_library=lambda n: "x.so")
    assert present == []


def test_without_ldd_the_plugin_is_loaded_and_a_broken_file_names_nothing(tmp_path):
    plugin = tmp_path / "libqxcb.so"
    plugin.write_bytes(b"not an ELF file")
    found = preflight.missing_libraries(plugin, ldd=lambda p: None, find_library=lambda n: "x.so")
    assert found == []  # an unreadable plugin is Qt's to report, not guessed at here


def test_the_problem_is_one_line_naming_libraries_and_packages(tmp_path):
    plugin = tmp_path / "libqxcb.so"

    def missing(p):
        assert p == plugin
        return ["libxcb-icccm.so.4", "libxcb-cursor.so.0"]

    text = preflight.platform_problem({"DISPLAY": ":0"}, "linux", plugin=plugin, missing=missing)
    assert text is not None and "\n" not in text
    assert "libxcb-icccm.so.4, libxcb-cursor.so.0" in text
    assert "sudo apt install libxcb-icccm4 libxcb-cursor0" in text
    assert text.endswith("run `shoprec gui` again")
    assert preflight.platform_problem({"QT_QPA_PLATFORM": "offscreen"}, "linux", plugin=plugin,
                                      missing=missing) is None
    assert preflight.platform_problem({}, "darwin", plugin=plugin, missing=missing) is None
    assert preflight.platform_problem({}, "linux", plugin=plugin, missing=lambda p: []) is None


def test_this_machines_plugin_is_found_and_checked_without_loading_qt():
    before = {m for m in sys.modules if m.startswith("PySide6")}
    plugin = preflight.xcb_plugin()
    if plugin is not None:
        assert plugin.name == "libqxcb.so" and plugin.exists()
        assert isinstance(preflight.missing_libraries(plugin), list)
    assert {m for m in sys.modules if m.startswith("PySide6")} == before


def test_gui_command_names_the_missing_libraries_and_stops(monkeypatch, tmp_path):
    import shoprec.desktop.app as app

    opened = []
    monkeypatch.setattr(app, "run", lambda path: opened.append(path) or 0)
    monkeypatch.setattr(preflight, "platform_problem",
                        lambda **kw: "the desktop app cannot open a window: libxcb-icccm.so.4")
    result = CliRunner().invoke(cli, ["--workspace", str(tmp_path / "w.shoprec"), "gui"])
    assert result.exit_code == 1 and opened == []
    assert "libxcb-icccm.so.4" in result.output and "Traceback" not in result.output


def test_the_demo_ends_in_the_terminal_when_no_window_can_open(tmp_path, monkeypatch):
    monkeypatch.setenv("DISPLAY", ":0")
    monkeypatch.setattr(demo_cmd.sys, "platform", "linux")
    opened = []
    monkeypatch.setattr(demo_cmd, "_desktop_runner", lambda: (lambda path: opened.append(path) or 0))
    monkeypatch.setattr(preflight, "platform_problem",
                        lambda **kw: "the desktop app cannot open a window: " + kw["then"])
    res = CliRunner().invoke(cli, ["demo", "--folder", str(tmp_path), "--customers", "30",
                                   "--strategy", "popularity", "--show", "0"])
    assert res.exit_code == 0, res.output
    assert opened == [] and "Opening the desktop app" not in res.output
    assert "Everything above ran in the terminal" in res.output
    assert 'the "Desktop app" command above' in res.output
