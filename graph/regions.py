"""Administrative regions kgcat knows by name: readable ASCII keys for their IRIs.

The table (graph/data/regions.csv: name, key, GB/T 2260 division code) lists Shanghai and its
16 districts; a region not listed still gets a stable key from its name's hash.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from functools import cache
from importlib.resources import files


@dataclass(frozen=True)
class Region:
    name: str
    key: str
    division_code: str


@cache
def known_regions() -> dict[str, Region]:
    """Full region name (上海市徐汇区) → region."""
    text = files("graph").joinpath("data", "regions.csv").read_text(encoding="utf-8")
    rows = csv.DictReader(io.StringIO(text))
    return {row["name"]: Region(row["name"], row["key"], row["division_code"]) for row in rows}


def region_key(name: str) -> str | None:
    """The ASCII key of a known region, or None."""
    region = known_regions().get(name.strip())
    return region.key if region else None


def region_for_district(district: str) -> Region | None:
    """The known region a short district name stands for (徐汇 / 徐汇区 / 上海市徐汇区 → 上海市徐汇区)."""
    name = district.strip()
    regions = known_regions()
    if name in regions:
        return regions[name]
    matches = [r for r in regions.values() if r.name.endswith((name, name + "区")) and r.name != "上海市"]
    return matches[0] if len(matches) == 1 else None
