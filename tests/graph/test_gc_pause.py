"""The collector pauses of an import: restored afterwards, whatever happens, and nothing left frozen."""

from __future__ import annotations

import gc
from collections.abc import Callable
from pathlib import Path

import pytest
from rdflib import Literal

from graph.gc_pause import collection_paused
from graph.importer import ImportOptions, import_records
from graph.iris import IriMinter
from graph.mapping import _plain, _zh
from graph.store import OxigraphStore

RecordsWriter = Callable[..., Path]


def test_the_collector_is_off_inside_and_back_on_after_an_error() -> None:
    assert gc.isenabled()
    with pytest.raises(RuntimeError), collection_paused():
        assert not gc.isenabled()
        raise RuntimeError("boom")
    assert gc.isenabled()


def test_a_collector_that_was_off_stays_off() -> None:
    gc.disable()
    try:
        with collection_paused():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_an_import_leaves_the_collector_on_and_nothing_frozen(minter: IriMinter, write_records: RecordsWriter) -> None:
    rows = [{"id": f"r{i}", "title": f"数据资源{i}", "publisher": "上海市徐汇区消防救援支队"} for i in range(5)]
    store = OxigraphStore(None)
    import_records(store, write_records(rows, name="records.jsonl"), minter, ImportOptions(batch_size=2))
    store.close()

    assert gc.isenabled()
    assert gc.get_freeze_count() == 0


@pytest.mark.parametrize("text", ["行道树信息表", "plain", "", "2024-05-01", "  spaced\n"])
def test_record_literals_are_the_terms_rdflib_makes_by_default(text: str) -> None:
    for made, expected in ((_zh(text), Literal(text, lang="zh")), (_plain(text), Literal(text))):
        assert made == expected
        assert (made.language, made.datatype, made.value, made.ill_typed) == (
            expected.language,
            expected.datatype,
            expected.value,
            expected.ill_typed,
        )
