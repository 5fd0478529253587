"""Synthetic registration records built from the real ones, for scale benchmarks (1M datasets).

    python bench/synthetic_records.py OUT.jsonl.gz --total 1000000 --seed 7

Every synthetic record is a real CN-PDS record (``duplicate_of`` rows left out) with, chosen
deterministically from ``seed``: a new id, a title with a district and year suffix, sometimes a
district branch of the real publisher (so the number of departments grows with the scale, as in
a national catalogue), and issued/modified dates shifted by up to two years (modified never
before issued). Everything else — descriptions, domains, keywords, formats, access levels,
portals, and the real defects that get a record rejected (no publisher, …) — is kept as it is,
so the mapping and the validation gate see the real mix. Round 0 is the real records unchanged.
"""

from __future__ import annotations

import argparse
import gzip
import json
import random
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path
from typing import IO

ROOT = Path(__file__).resolve().parents[1]
PEER = ROOT.parent / "shared" / "peer" / "cn-gov-open-data"
REAL_RECORDS = PEER / "cn_open_data_catalogue.jsonl.gz"
DISTRICTS = (
    "徐汇", "杨浦", "静安", "闵行", "浦东", "黄浦", "长宁", "普陀", "虹口", "宝山", "嘉定", "松江", "青浦", "奉贤",
)  # fmt: skip
BRANCH_SHARE = 0.4
"""Share of synthetic records whose publisher becomes a district branch of the real one."""


def read_real_records(path: Path = REAL_RECORDS) -> list[dict[str, object]]:
    """The real records of ``path`` (JSON Lines, optionally gzip), without the rows marked ``duplicate_of``."""
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt", encoding="utf-8") as handle:
        rows = [json.loads(line) for line in handle if line.strip()]
    return [row for row in rows if not row.get("duplicate_of")]


def synthetic_records(real: list[dict[str, object]], total: int, seed: int = 7) -> Iterator[dict[str, object]]:
    """``total`` records: the real ones first, then varied copies of them (same ``seed`` → same records)."""
    generator = random.Random(seed)
    for index in range(total):
        base = real[index % len(real)]
        round_ = index // len(real)
        if round_ == 0:
            yield base
            continue
        yield _variant(base, round_, generator)


def _variant(base: dict[str, object], round_: int, generator: random.Random) -> dict[str, object]:
    row = dict(base)
    district = generator.choice(DISTRICTS)
    year = 2010 + generator.randrange(16)
    row["id"] = f"{base['id']}~s{round_}"
    if isinstance(base.get("title"), str) and base["title"]:
        row["title"] = f"{base['title']}({district}区{year}年第{round_}版)"
    if isinstance(base.get("publisher"), str) and base["publisher"] and generator.random() < BRANCH_SHARE:
        row["publisher"] = f"{base['publisher']}{district}分局"
    issued = _shifted(base.get("issued"), generator)
    modified = _shifted(base.get("modified"), generator)
    if issued and modified and modified < issued:
        issued, modified = modified, issued
    for name, value in (("issued", issued), ("modified", modified)):
        if value is not None:
            row[name] = row[f"{name}_raw"] = value
    return row


def _shifted(value: object, generator: random.Random) -> str | None:
    if not isinstance(value, str):
        return None
    try:
        day = date.fromisoformat(value[:10])
    except ValueError:
        return None
    return (day + timedelta(days=generator.randrange(-730, 731))).isoformat()


def write_synthetic_records(out: Path, total: int, seed: int = 7, real: Path = REAL_RECORDS) -> int:
    """Write ``total`` synthetic records to ``out`` (``.gz``: gzip); returns how many were written."""
    rows = read_real_records(real)
    temporary = out.with_name(out.name + ".partial")
    count = 0
    with _text_writer(temporary, compressed=out.suffix == ".gz") as handle:
        for row in synthetic_records(rows, total, seed):
            handle.write(json.dumps(row, ensure_ascii=False) + "\n")
            count += 1
    temporary.replace(out)
    return count


def _text_writer(path: Path, *, compressed: bool) -> IO[str]:
    if compressed:
        return gzip.open(path, "wt", encoding="utf-8", compresslevel=1)
    return path.open("w", encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--total", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    print(f"{write_synthetic_records(args.out, args.total, args.seed)} records written to {args.out}")


if __name__ == "__main__":
    main()
