"""China's administrative divisions above the county (``divisions.tsv``: 民政部, 县级以上行政区划).

The place rules read a document's city from them when no word list holds it: a district written
with 区 names its city when only one city has a district of that name (金水区 → 郑州), or when the
page names one of the cities that have one (鼓楼区 … 福州); a city's province comes from here
instead of the text.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from graph.extraction.errors import LexiconError


@dataclass(frozen=True)
class Prefecture:
    """A prefecture-level division (or a municipality) with its province and 市辖区."""

    name: str  # short name, without 市 / 地区 / 自治州 (郑州, 延边)
    full: str  # 郑州市, 延边朝鲜族自治州
    province: str  # short name of its province, "" for a municipality
    districts: tuple[str, ...]  # short names of its 市辖区, without 区


@dataclass(frozen=True)
class Divisions:
    """The provincial and prefecture-level divisions, and which cities hold a district name."""

    provinces: Mapping[str, str]  # short name → full name (河南 → 河南省, 广西 → 广西壮族自治区)
    prefectures: Mapping[str, Prefecture]  # short name → prefecture
    cities_by_district: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    longest_district: int = 0

    def cities_with(self, district: str) -> tuple[str, ...]:
        """The cities that have a district of this short name (鼓楼 → 南京, 徐州, 福州, 开封)."""
        return self.cities_by_district.get(district, ())

    def province_of(self, city: str) -> str | None:
        """The short name of a city's province ("" for a municipality), None for a city not listed."""
        prefecture = self.prefectures.get(city)
        return None if prefecture is None else prefecture.province


def parse_divisions(rows: list[dict[str, str]], source: str = "divisions.tsv") -> Divisions:
    """Build :class:`Divisions` from the rows of ``divisions.tsv``."""
    provinces: dict[str, str] = {}
    prefectures: dict[str, Prefecture] = {}
    for row in rows:
        if row["level"] == "province":
            provinces[row["name"]] = row["full"]
        elif row["level"] == "prefecture":
            if row["name"] in prefectures:
                raise LexiconError(f"{source}: prefecture {row['name']} is listed twice; fix the file")
            districts = tuple(row["districts"].split())
            prefectures[row["name"]] = Prefecture(row["name"], row["full"], row["province"], districts)
        else:
            raise LexiconError(f"{source}: unknown level {row['level']!r}; use province or prefecture")
    for prefecture in prefectures.values():
        if prefecture.province and prefecture.province not in provinces:
            raise LexiconError(f"{source}: {prefecture.name}'s province {prefecture.province} is not listed")
    by_district: dict[str, list[str]] = {}
    for prefecture in prefectures.values():
        for district in prefecture.districts:
            by_district.setdefault(district, []).append(prefecture.name)
    longest = max((len(d) for d in by_district), default=0)
    return Divisions(provinces, prefectures, {d: tuple(c) for d, c in by_district.items()}, longest)
