"""The main window on an empty workspace and with degenerate data: tabs, empty states, closing."""

from __future__ import annotations

import pytest

pytest.importorskip("PySide6")

from PySide6.QtCore import Qt  # noqa: E402
from PySide6.QtWidgets import QLabel, QMenu  # noqa: E402
from shoprec.core import hookimpl  # noqa: E402
from shoprec.core.registry import get_plugin_manager  # noqa: E402
from shoprec.core.store.workspace import Workspace  # noqa: E402
from shoprec.desktop.tabs.plugins import PluginsTab  # noqa: E402
from shoprec.desktop.widgets import EmptyState  # noqa: E402

pytestmark = pytest.mark.gui


def visible_texts(widget) -> str:
    return "\n".join(w.text() for w in widget.findChildren(QLabel) if w.isVisible())




def test_window_has_the_pages_a_shop_owner_thinks_in(make_window):
    window = make_window()
    titles = [window.tabs.tabText(i) for i in range(window.tabs.count())]
    assert titles == ["Start", "Data", "Customers", "Recommendations", "Compare", "Campaigns", "Export"]
    assert window.tabs.currentWidget() is window.tab("start")  # an empty workspace starts here
    # Every strategy is a choice inside Recommendations, in plain words, one marked recommended.
    rec = window.show_tab("Recommendations")
    names = [rec.picker.item(i).data(Qt.ItemDataRole.UserRole) for i in range(rec.picker.count())]
    assert sorted(names) == sorted(s.name for s in window.session.strategy_specs())
    texts = [rec.picker.item(i).text() for i in range(rec.picker.count())]
    assert texts[0].startswith("Next-purchase predictor") and "recommended" in texts[0]
    assert sum("recommended" in t for t in texts) == 1
    popular = texts[names.index("popularity")]
    assert popular.startswith("Best sellers\n") and "What many customers chose" in popular
    assert "nothing leaves this computer" in window.offline_label.text()
    assert window.windowTitle() == "ShopRec — shop.shoprec"


def test_a_plugins_strategy_appears_with_no_gui_code(make_window, qtbot):
    import dataclasses

    from shoprec.core.contracts.strategy import StrategySpec, param

    @dataclasses.dataclass
    class Params:
        boost: float = param(1.0, help="How much to boost", min=0.0, max=5.0)

    class Acme:
        @hookimpl
        def shoprec_strategies(self):
            return [StrategySpec(name="acme", title="Acme picks", params=Params,
                                 factory=lambda p: None, description="Picks from Acme.")]

    pm = get_plugin_manager()
    pm.load(Acme(), "acme", "entry point", "0.1")
    window = make_window(pm=pm)
    rec = window.show_tab("Recommendations")
    texts = [rec.picker.item(i).text() for i in range(rec.picker.count())]
    assert "Acme picks\nPicks from Acme." in texts  # the plugin's own words, no table needed
    page = window.strategy_page("acme")
    assert rec.pages.currentWidget() is page
    assert "How much to boost" in page.form.editors["boost"].toolTip()


def test_every_tab_on_an_empty_workspace_shows_a_helpful_note(make_window, qtbot):
    window = make_window()
    for tab in window.tab_widgets():
        window.tabs.setCurrentWidget(tab)
        tab.refresh()  # never raises on an empty workspace
        assert not (tab.message.isVisible() and tab.message.kind == "error"), tab.message.text()
    data = window.show_tab("Data")
    assert "No data yet" in visible_texts(data)
    customers = window.show_tab("Customers")
    assert "No customers yet" in visible_texts(customers)


def test_degenerate_workspace_items_but_no_events(make_window, tmp_path):
    path = tmp_path / "catalog-only.shoprec"
    ws = Workspace(path)
    with ws.atomic():
        ws.conn.execute("INSERT INTO items (external_id, title) VALUES ('SKU-1', 'Mug')")
        ws.conn.execute("INSERT INTO customers (external_id) VALUES ('0042')")
    ws.close()
    window = make_window(path)
    for tab in window.tab_widgets():
        window.tabs.setCurrentWidget(tab)
        tab.refresh()
        assert not (tab.message.isVisible() and tab.message.kind == "error"), tab.message.text()
    customers = window.show_tab("Customers")
    assert customers.customers_model.rowCount() == 1
    assert customers.customers_model.raw(0, 1) == "0042"  # the shop's id exactly as written
    assert "No events for this customer yet" in customers.portrait.text()


class _BrokenStrategies:
    @hookimpl
    def shoprec_strategies(self):
        raise RuntimeError("model file missing")


def test_plugins_tab_lists_a_broken_plugin_first_with_its_error(make_window):
    pm = get_plugin_manager(builtins=(), entry_points=False, paths=())
    pm.load(_BrokenStrategies(), "acme-recs", "entry point", "1.2.3")
    window = make_window(pm=pm)
    tab = window.show_plugins().findChild(PluginsTab)
    first = tab.model.row(0)
    assert first[0] == "acme-recs"
    assert first[2:5] == ("entry point", "1.2.3", "failed")
    assert "model file missing" in first[5]
    assert "1 failed" in tab.summary.text()
    # The rest of ShopRec keeps working.
    assert window.tab("Compare") is not None and window.tab("Data") is not None


def test_window_switches_workspace_and_closes_cleanly(make_window, tmp_path, qtbot):
    window = make_window()
    other = tmp_path / "second.shoprec"
    assert window.switch_workspace(str(other))
    assert window.windowTitle() == "ShopRec — second.shoprec"
    assert window.session.path == other
    window.close()
    assert not window.isVisible()


def test_keyboard_shortcuts_switch_tabs(make_window, qtbot):
    window = make_window()
    actions = {a.text(): a for a in window.tab_actions_menu.actions()}
    assert actions["Customers"].shortcut().toString() == "Alt+3"
    actions["Export"].trigger()
    assert window.tabs.tabText(window.tabs.currentIndex()) == "Export"
    assert window.action_import.shortcut().toString() == "Ctrl+I"


def test_empty_state_is_a_muted_centered_label(qtbot):
    note = EmptyState("Nothing here")
    qtbot.addWidget(note)
    assert note.text() == "Nothing here" and note.wordWrap()


def test_gui_command_without_a_display_says_so_in_one_line(monkeypatch, tmp_path):
    from click.testing import CliRunner
    from shoprec.core.cli import cli

    for var in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setattr("os.uname", lambda: type("U", (), {"sysname": "Linux"})())
    result = CliRunner().invoke(cli, ["--workspace", str(tmp_path / "w.shoprec"), "gui"])
    assert result.exit_code != 0
    assert "no display found" in result.output and "Traceback" not in result.output


def test_gui_command_opens_the_app_on_the_chosen_workspace(monkeypatch, tmp_path):
    import shoprec.desktop.app as app
    from click.testing import CliRunner
    from shoprec.core.cli import cli

    opened = []
    monkeypatch.setattr(app, "run", lambda path: opened.append(path) or 0)
    path = tmp_path / "mine.shoprec"
    result = CliRunner().invoke(cli, ["--workspace", str(path), "gui"])
    assert result.exit_code == 0, result.output
    assert opened == [path]


def _offered(window) -> list[str]:
    rec = window.tab("recommendations")
    rec.refresh()
    return [rec.picker.item(i).data(Qt.ItemDataRole.UserRole) for i in range(rec.picker.count())]


def test_disabling_a_strategy_plugin_removes_its_choice_until_enabled_again(make_window, qtbot):
    window = make_window()
    if "popularity" not in _offered(window):
        pytest.skip("popularity strategy not registered")
    window.show_tab("Compare")
    tab = window.show_plugins().findChild(PluginsTab)
    row = [r[0] for r in tab.model.rows].index("popularity")
    tab.table.selectRow(row)
    assert tab.toggle_button.text() == "Disable"
    qtbot.mouseClick(tab.toggle_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "popularity" not in _offered(window), timeout=5_000)
    assert window.tabs.currentWidget() is window.tab("Compare")  # still where the person was
    tab.refresh()
    status = {r[0]: r[4] for r in tab.model.rows}
    assert status["popularity"] == "disabled"
    tab.table.selectRow([r[0] for r in tab.model.rows].index("popularity"))
    assert tab.toggle_button.text() == "Enable"
    tab.toggle_button.click()
    qtbot.waitUntil(lambda: "popularity" in _offered(window), timeout=5_000)


def test_menu_shortcuts_work_on_every_platform(make_window):
    window = make_window()
    shortcuts = {a.text().replace("&", ""): a.shortcut().toString()
                 for menu in window.menuBar().findChildren(QMenu) for a in menu.actions()}
    assert shortcuts["Quit"] == "Ctrl+Q"
    assert shortcuts["Refresh"] == "F5"
    assert shortcuts["Open workspace…"] == "Ctrl+O"
    assert shortcuts["Keyboard shortcuts"] == "F1"


def test_hidden_tabs_refresh_only_when_shown(make_window):
    window = make_window()
    window.show_tab("Data")
    calls = []
    customers = window.tab("Customers")
    original = customers.refresh
    customers.refresh = lambda: (calls.append(1), original())
    window.session.notify_data_changed()
    assert customers.stale and calls == []  # a hidden tab does no work after a change
    window.show_tab("Customers")
    assert calls == [1] and not customers.stale
    window.show_tab("Data")
    window.show_tab("Customers")
    assert calls == [1]  # nothing changed since: no second refresh
