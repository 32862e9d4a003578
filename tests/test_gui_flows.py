"""What a shop owner does in the app: import a file, train a strategy, read a customer's list."""

from __future__ import annotations

import pytest

pytest.importorskip("PySide6")

from PySide6.QtCore import Qt  # noqa: E402
from shoprec.core.store.workspace import Workspace  # noqa: E402
from shoprec.desktop.main_window import MainWindow  # noqa: E402
from shoprec.desktop.session import Session  # noqa: E402

pytestmark = pytest.mark.gui

DAY = 86_400
T0 = 1_700_000_000


def fill_small_shop(path) -> None:
    """24 customers in two taste groups over 12 items (mugs vs. seeds), views and purchases."""
    ws = Workspace(path)
    with ws.atomic() as conn:
        for i in range(12):
            cat = "Kitchen > Mugs" if i < 6 else "Garden > Seeds"
            conn.execute(
                "INSERT INTO items (id, external_id, title, category, price) VALUES (?, ?, ?, ?, ?)",
                (i + 1, f"SKU-{i:03d}", f"{'Mug' if i < 6 else 'Seed packet'} no. {i}", cat, 9.5),
            )
        for c in range(24):
            conn.execute("INSERT INTO customers (id, external_id, email) VALUES (?, ?, ?)",
                         (c + 1, f"{c:04d}", f"c{c}@example.com"))
            base = 0 if c < 12 else 6
            for k in range(4 + c % 3):
                item = base + (c + k) % 6
                kind = "purchase" if k % 2 else "view"
                conn.execute(
                    "INSERT INTO events (customer_id, item_id, type, ts, order_id) "
                    "VALUES (?, ?, ?, ?, ?)",
                    (c + 1, item + 1, kind, T0 + (c * 10 + k) * DAY,
                     f"#{c}-{k}" if kind == "purchase" else ""),
                )
    ws.close()


@pytest.fixture
def window(qtbot, tmp_path):
    session = Session(tmp_path / "shop.shoprec")
    win = MainWindow(session)
    qtbot.addWidget(win)
    win.show()
    yield win
    win.close()


@pytest.fixture
def shop_window(qtbot, tmp_path):
    path = tmp_path / "shop.shoprec"
    fill_small_shop(path)
    win = MainWindow(Session(path))
    qtbot.addWidget(win)
    win.show()
    yield win
    win.close()


def write_event_log(path, rows: int = 40, bad_line: bool = True) -> None:
    lines = ["customer_id,item_id,event_type,timestamp,quantity"]
    for r in range(rows):
        lines.append(f"{r % 7:03d},P{r % 5},purchase,2024-03-{1 + r % 28:02d} 10:00:00,1")
    if bad_line:
        lines.append("042,P1,purchase,not a date,1")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def test_import_shows_the_accounting_and_the_rejected_line(window, qtbot, tmp_path):
    csv = tmp_path / "events.csv"
    write_event_log(csv)
    data = window.show_tab("Data")
    data.import_files([csv])
    assert data.progress.isVisible() or data.current_job is None
    qtbot.waitUntil(lambda: data.current_job is None and not data.queue, timeout=30_000)
    text = data.message.text()
    assert data.message.kind == "ok", text
    assert "events.csv: 41 rows read = 40 imported + 0 duplicates + 1 rejected" in text
    # The imports table shows the file; its reject is listed with line number and reason.
    assert data.imports_model.rowCount() == 1
    assert data.imports_model.raw(0, 1) == "events.csv"
    assert data.rejects_model.rowCount() == 1
    line, reason, raw = data.rejects_model.row(0)
    assert line == 42 and "date" in reason.lower() and "not a date" in raw
    assert "Rejected rows in events.csv: <b>1</b>" in data.rejects_label.text()
    # Other tabs heard about the new data.
    customers = window.show_tab("Customers")  # other tabs heard about it, and refresh when shown
    assert customers.customers_model.rowCount() == 7


def test_reimporting_the_same_file_adds_only_duplicates(window, qtbot, tmp_path):
    csv = tmp_path / "events.csv"
    write_event_log(csv, bad_line=False)
    data = window.show_tab("Data")
    data.import_files([csv, csv])
    qtbot.waitUntil(lambda: data.current_job is None and not data.queue, timeout=30_000)
    assert "0 imported + 40 duplicates" in data.message.text()
    assert data.imports_model.rowCount() == 2


def test_a_bad_file_is_one_line_with_details_and_the_next_file_still_imports(
        window, qtbot, tmp_path):
    bad = tmp_path / "picture.csv"
    bad.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 40)
    good = tmp_path / "events.csv"
    write_event_log(good, bad_line=False)
    data = window.show_tab("Data")
    data.import_files([bad, good])
    qtbot.waitUntil(lambda: data.current_job is None and not data.queue, timeout=30_000)
    assert data.message.kind == "error"
    first, second = data.message.text().splitlines()[:2]
    assert first.startswith("✗") and "picture.csv" in first and "Traceback" not in first
    assert "events.csv: 40 rows read = 40 imported" in second
    assert data.message.details_button.isVisible()
    assert window.session.ws.count("events") > 0


def test_cancelled_import_leaves_the_workspace_unchanged(window, qtbot, tmp_path):
    csv = tmp_path / "events.csv"
    write_event_log(csv, rows=100_000, bad_line=False)
    data = window.show_tab("Data")
    data.import_files([csv])
    qtbot.mouseClick(data.progress.cancel_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: data.current_job is None, timeout=30_000)
    if data.message.kind == "ok":  # the import won the race; nothing to assert about cancel
        pytest.skip("import finished before the cancel arrived")
    assert "cancelled; the workspace is unchanged" in data.message.text()
    assert window.session.ws.count("events") == 0
    assert window.session.ws.count("imports") == 0


def _popularity_tab(win: MainWindow):
    if "popularity" not in {s.name for s in win.session.strategy_specs()}:
        pytest.skip("popularity strategy not registered")
    return win.strategy_page("popularity")


def test_learn_then_read_a_customers_full_list_and_filter_it_on_demand(shop_window, qtbot):
    tab = _popularity_tab(shop_window)
    assert "Not learned yet" in tab.list_empty.text()
    assert not tab.theta_check.isEnabled()
    tab.top_spin.setValue(3)
    qtbot.mouseClick(tab.train_button, Qt.MouseButton.LeftButton)
    assert not tab.train_button.isEnabled()  # no double training
    qtbot.waitUntil(lambda: tab.train_job is None, timeout=60_000)
    assert tab.message.kind == "ok", tab.message.text()
    # Completion says, truthfully, how many customers got a list.
    assert "Best sellers learned in" in tab.message.text()
    assert "Lists for 24 of 24 customers" in tab.message.text()
    assert "Chances</b> checked against what customers really did" in tab.run_info.text()
    # The newest run is loaded and the first customer's list shown, chances as percentages.
    qtbot.waitUntil(lambda: tab.loaded is not None and tab.list_job is None, timeout=30_000)
    assert not tab.theta_check.isChecked() and tab.threshold() == 0.0  # θ is opt-in
    qtbot.waitUntil(lambda: tab.list_model.rowCount() > 0, timeout=10_000)
    assert tab.top_spin.value() == 3  # the run's stored list settings come back
    assert tab.list_model.rowCount() == 3  # off: a full top-N list
    score_text = tab.list_model.data(tab.list_model.index(0, 3))
    assert score_text.endswith("%")
    scores = [tab.list_model.raw(r, 3) for r in range(tab.list_model.rowCount())]
    assert scores == sorted(scores, reverse=True) and all(0 <= s <= 1 for s in scores)
    # Selecting an item says what is similar to it (or that this strategy cannot tell).
    assert "Select an item" in tab.similar_label.text()
    tab.list_view.selectRow(0)
    qtbot.waitUntil(lambda: "Similar to" in tab.similar_label.text()
                    or "does not tell" in tab.similar_label.text(), timeout=10_000)
    # The filter on at 100 % leaves nothing, and the page says why instead of an empty table.
    tab.theta_check.setChecked(True)
    assert tab.theta_spin.isEnabled()
    tab.theta_spin.setValue(100.0)
    assert tab.threshold() == 1.0
    qtbot.waitUntil(lambda: "No item is at least 100.0% likely" in tab.list_empty.text(),
                    timeout=10_000)
    assert tab.list_stack.currentIndex() == 0
    # ... and says how low it must go for this customer.
    assert f"Their likeliest item is {scores[0]:.1%}" in tab.list_empty.text()
    # Stored for everyone with the filter on: the message says how many customers got lists.
    tab.apply_to_all()
    qtbot.waitUntil(lambda: not tab.busy() and "Lists for" in tab.message.text(), timeout=30_000)
    assert "Lists for 0 of 24 customers stored" in tab.message.text()
    # ... and off again: everyone gets one.
    tab.theta_check.setChecked(False)
    assert tab.threshold() == 0.0 and not tab.theta_spin.isEnabled()
    tab.apply_to_all()
    qtbot.waitUntil(lambda: not tab.busy() and "24 of 24" in tab.message.text(), timeout=30_000)
    # The Customers tab now offers the stored lists of this method, by its plain name.
    customers = shop_window.show_tab("Customers")
    assert customers.run_combo.count() >= 1, customers.message.text()
    assert "Best sellers" in customers.run_combo.itemText(0)


def test_train_can_be_cancelled(shop_window, qtbot):
    tab = _popularity_tab(shop_window)
    tab.train()
    assert tab.progress.isVisible() and "Getting ready to learn Best sellers" in \
        tab.progress.status.text()
    tab.progress.cancel_button.click()
    qtbot.waitUntil(lambda: tab.train_job is None, timeout=60_000)
    if tab.message.kind == "ok":
        pytest.skip("training finished before the cancel arrived")
    assert "Learning cancelled" in tab.message.text()
    assert shop_window.session.ws.count("runs") == 0
    assert tab.train_button.isEnabled()


def test_invalid_settings_are_reported_not_trained(shop_window, qtbot):
    tab = _popularity_tab(shop_window)
    first = next(iter(tab.form.editors.values()))
    if hasattr(first, "setText"):
        pytest.skip("first field is not numeric")
    from shoprec.desktop.forms import ParamsForm

    def broken_params(self):  # noqa: ANN001
        raise ValueError("half_life_days=-1 is below its minimum 0")

    original = ParamsForm.params
    ParamsForm.params = broken_params
    try:
        tab.train()
    finally:
        ParamsForm.params = original
    assert tab.message.kind == "error" and "below its minimum" in tab.message.text()
    assert tab.train_job is None


def test_the_demo_shop_button_fills_an_empty_workspace(window, qtbot, monkeypatch):
    import functools

    from shoprec.core import demo

    # A smaller demo shop keeps the test quick; the button's flow is what is under test.
    monkeypatch.setattr(demo, "generate_demo_shop",
                        functools.partial(demo.generate_demo_shop, n_customers=120))
    first = window.session.path
    data = window.show_tab("Data")
    assert data.demo_button.isVisible()
    qtbot.mouseClick(data.demo_button, Qt.MouseButton.LeftButton)
    # The demo gets its own workspace beside this one; the shop's own stays untouched.
    qtbot.waitUntil(lambda: window.session.path.name == "demo-shop.shoprec", timeout=300_000)
    data = window.show_tab("Data")
    qtbot.waitUntil(lambda: data.current_job is None and not data.queue and
                    window.session.ws.count("imports") == 4, timeout=300_000)
    assert data.message.kind == "ok", data.message.text()
    with Workspace(first) as original:
        assert original.count("events") == 0
    lines = data.message.text().splitlines()
    assert len(lines) == 4 and all("0 rejected" in line for line in lines)
    assert data.stack.currentIndex() == 1  # the empty state gave way to the imports table
    assert window.show_tab("Customers").customers_model.rowCount() > 0


def test_customer_portrait_appears_for_the_selected_customer(shop_window, qtbot):
    tab = shop_window.show_tab("Customers")
    assert tab.customers_model.rowCount() == 24
    tab.customers_view.selectRow(13)  # a seed-packet customer
    qtbot.waitUntil(lambda: "Likes:" in tab.portrait.text(), timeout=30_000)
    text = tab.portrait.text()
    assert "Seeds (100%)" in text and "Kind of customer:" in text and "RFM" not in text
    assert "0013" in text  # the shop's own customer id, leading zeros kept
    assert tab.history_model.rowCount() == 4 + 13 % 3


def test_customer_search_filters_by_id_or_email(shop_window, qtbot):
    tab = shop_window.show_tab("Customers")
    assert tab.count_label.text() == "24 customers"
    qtbot.keyClicks(tab.search, "c13@")
    qtbot.waitUntil(lambda: tab.customers_model.rowCount() == 1, timeout=5_000)
    assert tab.customers_model.raw(0, 1) == "0013"
    assert tab.count_label.text() == "1 of 24 match"
    tab.search.clear()
    qtbot.keyClicks(tab.search, "nobody")
    qtbot.waitUntil(lambda: tab.customers_model.rowCount() == 0, timeout=5_000)
    assert "No customer matches “nobody”" in tab.portrait.text()


def _record(lists, threshold=0.0, ece=0.014, calibrated=True, training=None):
    from types import SimpleNamespace

    return SimpleNamespace(
        calibration={"strategy": {"event": "the customer buys it", "method": "isotonic"}},
        metrics={"ece": ece, "calibrated": calibrated, "lists": lists}, timings={"fit": 1.0},
        info={"device": "cpu", "lists": {"threshold": threshold}, "training": training or {}},
        params={"time_budget_min": 30.0}, created_at=0, id=3)


def test_the_run_summary_speaks_plainly_and_counts_the_customers_with_lists():
    from shoprec.desktop.tabs.strategy import StrategyTab

    lists = {"customers": 1500, "mean_length": 9.9, "coverage": 0.41, "empty_lists": 2}
    text = StrategyTab.run_summary(None, _record(lists))
    assert "Lists for 1,498 of 1,500 customers" in text
    assert "Learning" not in text  # nothing to say without a training loop
    learned = StrategyTab.run_summary(None, _record(lists, training={"epochs": 38,
                                                                     "stopped": "budget"}))
    assert "used all of its 30 min (38 rounds through the history)" in learned
    assert "off by 1.4 percentage points on average" in text
    for jargon in ("ECE", "isotonic", "sigmoid", "θ", "calibrat"):
        assert jargon not in text
    rough = StrategyTab.run_summary(None, _record(lists, calibrated=False))
    assert "rough" in rough


def test_the_run_summary_names_a_filter_that_fills_half_the_lists_when_most_are_empty():
    from shoprec.desktop.tabs.strategy import StrategyTab

    empty = {"customers": 100, "mean_length": 0.2, "coverage": 0.1, "empty_lists": 90,
             "median_best_score": 0.21, "median_full_list_score": 0.0834}
    text = StrategyTab.run_summary(None, _record(empty, threshold=0.5))
    assert "Most lists are empty with the filter at 50.0%" in text
    assert "At 8.3% half the customers get a full list" in text  # rounded down
    older = {k: v for k, v in empty.items() if not k.startswith("median")}  # runs before it
    assert "half the customers" not in StrategyTab.run_summary(None, _record(older, 0.5))
    # With the filter off (the default) nothing is said about it.
    assert "filter" not in StrategyTab.run_summary(None, _record(empty, threshold=0.0))


def test_how_the_learning_ended_is_told_in_plain_words():
    from shoprec.desktop.tabs.strategy import learning_sentence

    assert learning_sentence({}, 30.0) == ""  # no training loop (best sellers, EASE, ...)
    assert learning_sentence({"epochs": 38, "stopped": "budget"}, 30.0) == (
        "<b>Learning</b> used all of its 30 min (38 rounds through the history): with more time "
        "it may learn more")
    assert "ended by itself after 12 rounds" in learning_sentence({"epochs": 12, "stopped": "early"},
                                                                  30.0)
    assert "all of its 5 rounds" in learning_sentence({"epochs": 5, "stopped": "max_epochs"}, None)
    assert "(one round through the history)" in learning_sentence({"epochs": 1,
                                                                   "stopped": "budget"}, 0.3)
