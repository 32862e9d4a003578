"""Text-model folders are untrusted: safetensors only, never remote code, and a folder that only a
workspace names is loaded after the owner confirmed it on this computer."""

from __future__ import annotations

import json
import os
import pickle

import pytest
from click.testing import CliRunner
from shoprec.core.cli import cli
from shoprec.core.models.text import TextEncoderError, encode_items, is_trusted, trust_folder


class _Payload:
    def __init__(self, marker):
        self.marker = marker

    def __reduce__(self):
        return (os.system, (f"touch {self.marker}",))


@pytest.fixture
def hostile_folder(tmp_path):
    folder = tmp_path / "nice-chinese-model"
    folder.mkdir()
    (folder / "config.json").write_text(json.dumps({"model_type": "bert", "hidden_size": 8}))
    marker = tmp_path / "pwned"
    (folder / "pytorch_model.bin").write_bytes(pickle.dumps(_Payload(marker)))
    return folder, marker


def test_pickle_weights_are_refused_in_one_line_and_never_run(hostile_folder):
    folder, marker = hostile_folder
    trust_folder(folder)  # even a folder the owner chose
    with pytest.raises(TextEncoderError) as err:
        encode_items(["Green tea"], encoder=str(folder))
    message = str(err.value)
    assert "\n" not in message
    assert "pytorch_model.bin" in message and "pickle format" in message
    assert "safe_serialization=True" in message  # says how to convert
    assert not marker.exists()


def test_a_folder_not_chosen_on_this_computer_is_not_loaded(tmp_path):
    folder = tmp_path / "from-a-workspace"
    folder.mkdir()
    (folder / "config.json").write_text("{}")
    (folder / "model.safetensors").write_bytes(b"\x00" * 16)
    assert not is_trusted(folder)
    with pytest.raises(TextEncoderError, match="was not chosen on this computer.*shoprec trust-model"):
        encode_items(["Green tea"], encoder=str(folder))


def test_trust_model_command_confirms_a_folder_and_refuses_pickle(tmp_path, hostile_folder):
    folder, marker = hostile_folder
    res = CliRunner().invoke(cli, ["trust-model", str(folder)])
    assert res.exit_code == 1 and "pickle format" in res.output and "Traceback" not in res.output
    assert not is_trusted(folder)
    good = tmp_path / "good"
    good.mkdir()
    (good / "config.json").write_text("{}")
    (good / "model.safetensors").write_bytes(b"\x00" * 16)
    res = CliRunner().invoke(cli, ["trust-model", str(good)])
    assert res.exit_code == 0 and is_trusted(good)
    assert not marker.exists()
