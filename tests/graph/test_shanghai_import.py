"""Importing the 2,232 unique records of the Shanghai open-data portal (CN-PDS crawl, shared/peer data)."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest

from graph.catalogue import import_source
from graph.importer import ImportOptions, ImportStatus
from graph.iris import IriMinter
from graph.store import OxigraphStore

pytestmark = pytest.mark.slow


@pytest.fixture
def shanghai_records(peer_dir: Path) -> Path:
    path = peer_dir / "cn-gov-open-data" / "shanghai_data_sh_gov_cn.jsonl"
    if not path.is_file():
        pytest.skip(f"the Shanghai portal records are missing: {path}")
    return path


def unique_records_per_publisher(path: Path) -> Counter[str]:
    """Counted straight from the JSON Lines: records that are no crawler repeat, by publisher."""
    records = (json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip())
    return Counter(record["publisher"] for record in records if record["duplicate_of"] is None)


def test_shanghai_datasets_per_publisher_match_the_records_file(
    store: OxigraphStore, minter: IriMinter, shanghai_records: Path
) -> None:
    expected = unique_records_per_publisher(shanghai_records)

    report = import_source(store, shanghai_records, minter, ImportOptions())

    assert report.status is ImportStatus.CREATED
    assert report.rejected == []
    assert report.written == sum(expected.values())
    rows = store.query(
        "SELECT ?name (COUNT(DISTINCT ?d) AS ?n) WHERE { ?d a dcat:Dataset ; dct:publisher ?p . ?p foaf:name ?name } "
        "GROUP BY ?name"
    ).rows
    assert {str(row["name"]): int(row["n"]) for row in rows} == dict(expected)
