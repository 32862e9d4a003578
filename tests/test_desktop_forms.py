"""The generic settings form built from a params dataclass (no strategy-specific code)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest

pytest.importorskip("PySide6")

from PySide6.QtCore import Qt  # noqa: E402
from PySide6.QtWidgets import (  # noqa: E402
    QCheckBox,
    QComboBox,
    QDoubleSpinBox,
    QLabel,
    QLineEdit,
    QSpinBox,
)
from shoprec.core.contracts.strategy import param  # noqa: E402
from shoprec.desktop.forms import ParamsForm, label_for  # noqa: E402

pytestmark = pytest.mark.gui


@dataclass
class DemoParams:
    factors: int = param(64, help="Size of each vector", min=8, max=512)
    learning_rate: float = param(0.0003, help="Step size", min=1e-5, max=0.1)
    use_gpu: bool = param(True, help="Run on the GPU when there is one")
    loss: str = param("gbce", help="Training loss", choices=("bce", "gbce", "ce"))
    text_model: Path = param(Path(""), help="A local model folder")
    note: str = param("", help="Free text")
    max_items: int | None = param(None, help="Cap on catalog size")
    seed_depth: int = param(3, help="Rarely needed", min=0, max=10, advanced=True)


@pytest.fixture
def form(qtbot):
    widget = ParamsForm(DemoParams)
    qtbot.addWidget(widget)
    widget.show()
    return widget


def test_each_type_gets_the_right_editor_with_range_and_tooltip(form):
    e = form.editors
    assert isinstance(e["factors"], QSpinBox)
    assert (e["factors"].minimum(), e["factors"].maximum(), e["factors"].value()) == (8, 512, 64)
    assert isinstance(e["learning_rate"], QDoubleSpinBox)
    assert e["learning_rate"].value() == pytest.approx(0.0003)
    assert e["learning_rate"].decimals() >= 5  # 3e-4 is not shown as 0.00
    assert isinstance(e["use_gpu"], QCheckBox) and e["use_gpu"].isChecked()
    assert isinstance(e["loss"], QComboBox)
    # choices read in plain words where the desktop knows them, else as the plugin names them
    assert [e["loss"].itemText(i) for i in range(3)] == [
        "bce", "sample, scores kept as probabilities", "compare with every product (best)"]
    assert [e["loss"].itemData(i) for i in range(3)] == ["bce", "gbce", "ce"]
    assert e["loss"].currentData() == "gbce"
    assert isinstance(e["note"], QLineEdit)
    assert isinstance(e["max_items"], QLineEdit) and e["max_items"].text() == ""
    assert e["factors"].toolTip() == "Size of each vector"
    labels = {w.text(): w for w in form.findChildren(QLabel)}
    assert labels["Learning rate"].toolTip() == "Step size"


def test_edits_come_back_as_a_validated_dataclass(form, qtbot):
    e = form.editors
    e["factors"].setValue(128)
    e["learning_rate"].setValue(0.01)
    qtbot.mouseClick(e["use_gpu"], Qt.MouseButton.LeftButton)
    e["loss"].setCurrentIndex(2)
    e["max_items"].setText("5000")
    params = form.params()
    assert params == DemoParams(factors=128, learning_rate=0.01, use_gpu=False, loss="ce",
                                max_items=5000)


def test_spin_boxes_cannot_leave_the_declared_range(form):
    form.editors["factors"].setValue(100_000)
    assert form.params().factors == 512


def test_a_bad_number_names_the_field(form):
    form.editors["max_items"].setText("lots")
    with pytest.raises(ValueError, match="Max items"):
        form.params()


def test_reset_restores_defaults_and_set_params_fills_the_form(form):
    form.set_params(DemoParams(factors=16, loss="bce", use_gpu=False, note="hello"))
    assert form.params().factors == 16 and form.params().note == "hello"
    form.reset()
    assert form.params() == DemoParams()


def test_changed_fires_on_edit(form, qtbot):
    with qtbot.waitSignal(form.changed, timeout=1000):
        form.editors["factors"].setValue(65)


def test_advanced_fields_stay_hidden_until_asked_for(form):
    assert not form.editors["seed_depth"].isVisible()
    form.advanced_toggle.click()
    assert form.editors["seed_depth"].isVisible()


def test_a_strategy_without_parameters_says_so(qtbot):
    @dataclass
    class NoParams:
        pass

    widget = ParamsForm(NoParams)
    qtbot.addWidget(widget)
    assert widget.params() == NoParams()
    assert any("no settings" in w.text() for w in widget.findChildren(QLabel))


def test_label_for():
    assert label_for("learning_rate") == "Learning rate"


def test_set_values_from_stored_json_tolerates_odd_values(form):
    form.set_values({"factors": 32.0, "learning_rate": None, "loss": "nope", "unknown": 1})
    params = form.params()
    assert params.factors == 32  # a JSON float for an int field
    assert params.learning_rate == pytest.approx(0.0003)  # None left the editor alone
    assert params.loss == "gbce"  # an unknown choice left the editor alone


@dataclass
class AutoParams:
    l2: float = param(0.0, help="0 tunes it on validation", min=0.0, max=1e4, zero="auto")
    neighbours: int = param(0, help="0 tunes it", min=0, max=500, zero="auto")
    plain: float = param(0.0, help="a real zero", min=0.0, max=1.0)
    shrink: float = param(-1.0, help="-1 tunes it; 0 is a value", min=-1.0, max=10.0, zero="auto")


def test_a_zero_that_means_auto_reads_auto_and_still_comes_back_as_zero(qtbot):
    widget = ParamsForm(AutoParams)
    qtbot.addWidget(widget)
    e = widget.editors
    assert e["l2"].text() == "automatic" and e["neighbours"].text() == "automatic"
    assert e["plain"].text() != "automatic"
    assert widget.params() == AutoParams()
    e["l2"].setValue(300.0)
    assert e["l2"].text() != "automatic" and widget.params().l2 == 300.0
    # a sentinel below a range that includes 0 reads "auto" too, and 0 stays a number
    assert e["shrink"].text() == "automatic" and widget.params().shrink == -1.0
    e["shrink"].setValue(0.0)
    assert e["shrink"].text() != "automatic" and widget.params().shrink == 0.0


def test_a_list_of_strategy_names_is_edited_as_ticks(qtbot):
    import dataclasses

    from shoprec.core.contracts.strategy import param
    from shoprec.desktop.forms import ParamsForm

    @dataclasses.dataclass
    class BlendLike:
        members: str = param("ease,popularity", help="Strategies to combine")
        note: str = param("a,b", help="Not strategy names: stays a text box")

    strategies = [("ease", "Shoppers like you"), ("itemknn", "Customers also bought"),
                  ("popularity", "Best sellers")]
    form = ParamsForm(BlendLike, strategies=strategies)
    qtbot.addWidget(form)
    ticks = form.editors["members"]
    assert [ticks.item(i).text() for i in range(ticks.count())] == [t for _, t in strategies]
    assert [ticks.item(i).checkState() == Qt.CheckState.Checked
            for i in range(ticks.count())] == [True, False, True]
    assert isinstance(form.editors["note"], QLineEdit)
    ticks.item(1).setCheckState(Qt.CheckState.Checked)
    ticks.item(2).setCheckState(Qt.CheckState.Unchecked)
    assert form.params().members == "ease,itemknn"
    form.reset()
    assert form.params().members == "ease,popularity"
