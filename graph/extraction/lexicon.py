"""Loading the extraction dictionaries and rules from graph/data/extraction/.

Everything the extractors know about Chinese government prose (suffixes, function words,
official names behind short forms) lives in those data files; this module parses them once
into a frozen :class:`Lexicon` and checks that each one is present and well formed.
"""

from __future__ import annotations

import csv
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from graph.extraction.abbreviations import derived_short_forms
from graph.extraction.divisions import Divisions, parse_divisions
from graph.extraction.errors import LexiconError

DATA_DIR = Path(__file__).resolve().parent.parent / "data" / "extraction"


@dataclass(frozen=True)
class Suffix:
    """A name suffix with the conditions under which it names an entity."""

    suffix: str
    needs_specific: bool = False
    needs_level: bool = False
    min_name: int = 2
    specific_from: int = 1_000  # names at least this long count as specific anyway
    # a quoted name right before the suffix (“智慧急救”系统); with needs_level an owner level may stand instead
    quoted_only: bool = False
    needs_place: bool = False  # the name must open with a district or area of Shanghai (嘉定氢能港)
    launched_only: bool = False  # the name must be followed by a launch word (…会诊厅启动)
    place_alone: bool = False  # a district alone before the suffix makes a name (松江智创城)
    needs_function: bool = False  # a category word right before the suffix (…科技创新街区, not …路街区)


@dataclass(frozen=True)
class Body:
    """A national or well-known body matched without an administrative prefix."""

    surface: str
    canonical: str
    bare: str  # "yes" or "list"
    anchor: bool


@dataclass(frozen=True, eq=False)
class Lexicon:
    """All dictionaries and rules, parsed (compared by identity; load it with load_lexicon)."""

    layout: Mapping[str, Any]
    words: Mapping[str, Any]
    types: Mapping[str, Any]
    departments: Mapping[tuple[str, str], str]  # (level, short) -> full
    regular_short_forms: Mapping[tuple[str, str], str]  # (level, short) -> full, derived (abbreviations.py)
    local_departments: Mapping[tuple[str, str, str], str]  # (city or province, level, short) -> full
    bodies: tuple[Body, ...]
    national: Mapping[str, str]
    organizations: Mapping[str, tuple[str, str]]  # short -> (full, level)
    gazetteer: tuple[tuple[str, str, str], ...]  # (type, surface, canonical)
    remits: Mapping[str, tuple[str, ...]]
    user_words: tuple[str, ...]
    divisions: Divisions  # provinces, prefecture-level cities and their districts (divisions.tsv)

    def section(self, table: str, name: str) -> Mapping[str, Any]:
        """One ``[name]`` section of ``layout``, ``words`` or ``types``."""
        source: Mapping[str, Any] = getattr(self, table)
        try:
            value = source[name]
        except KeyError as exc:
            raise LexiconError(f"{table}.toml has no [{name}] section; reinstall kgcat") from exc
        if not isinstance(value, Mapping):
            raise LexiconError(f"{table}.toml [{name}] must be a table")
        return value

    def suffixes(self, entity_kind: str) -> tuple[Suffix, ...]:
        """The suffix table of one type in types.toml, longest suffix first."""
        rows = self.section("types", entity_kind)["suffixes"]
        parsed = [Suffix(**row) for row in rows]
        return tuple(sorted(parsed, key=lambda s: -len(s.suffix)))


@lru_cache(maxsize=4)
def load_lexicon(directory: Path | None = None) -> Lexicon:
    """Parse the bundled data files (cached); ``directory`` overrides their location in tests."""
    root = directory or DATA_DIR
    departments = {(r["level"], r["short"]): r["full"] for r in _tsv(root / "departments.tsv")}
    bodies = tuple(
        Body(r["surface"], r["canonical"], r["bare"], r["anchor"] == "yes") for r in _tsv(root / "bodies.tsv")
    )
    organizations = {r["short"]: (r["full"], r["level"] or "") for r in _tsv(root / "organizations.tsv")}
    gazetteer = tuple((r["type"], r["surface"], r["canonical"]) for r in _tsv(root / "gazetteer.tsv"))
    remits = {r["stem"]: tuple(r["keywords"].split(",")) for r in _tsv(root / "remits.tsv")}
    national = {r["short"]: r["canonical"] for r in _tsv(root / "national.tsv")}
    user_words = _user_words(root / "jieba_user.txt")
    return Lexicon(
        layout=_toml(root / "layout.toml"),
        words=_toml(root / "words.toml"),
        types=_toml(root / "types.toml"),
        departments=departments,
        regular_short_forms=_regular_short_forms(departments, _tsv(root / "district_bodies.tsv")),
        local_departments=_local_departments(_tsv(root / "city_bodies.tsv")),
        bodies=bodies,
        national=national,
        organizations=organizations,
        gazetteer=gazetteer,
        remits=remits,
        user_words=user_words + tuple(s for _, s in departments) + tuple(organizations),
        divisions=parse_divisions(_tsv(root / "divisions.tsv"), str(root / "divisions.tsv")),
    )


def _regular_short_forms(
    departments: Mapping[tuple[str, str], str], district_bodies: list[dict[str, str]]
) -> Mapping[tuple[str, str], str]:
    """Regular short forms of the official names: district bodies from district_bodies.tsv,
    municipal ones from the municipal names of departments.tsv."""
    municipal = {full for (level, _), full in departments.items() if level == "municipal"}
    district = {r["full"] for r in district_bodies}
    derived = {("municipal", s): f for s, f in derived_short_forms(municipal).items()}
    derived.update({("district", s): f for s, f in derived_short_forms(district).items()})
    return derived


def _local_departments(rows: list[dict[str, str]]) -> Mapping[tuple[str, str, str], str]:
    """(region, level, short) → official name for city_bodies.tsv: the listed irregular short
    forms, then each region and level's regular short forms (derived forms never override a
    listed one)."""
    groups: dict[tuple[str, str], list[str]] = {}
    listed: dict[tuple[str, str, str], str] = {}
    for row in rows:
        groups.setdefault((row["region"], row["level"]), []).append(row["full"])
        if row["short"]:
            listed[(row["region"], row["level"], row["short"])] = row["full"]
    found: dict[tuple[str, str, str], str] = {}
    for (region, level), fulls in groups.items():
        plain = [full for full in fulls if "{" not in full]
        found.update({(region, level, s): f for s, f in derived_short_forms(plain).items()})
    found.update(listed)
    return found


def _toml(path: Path) -> Mapping[str, Any]:
    try:
        with path.open("rb") as handle:
            return tomllib.load(handle)
    except OSError as exc:
        raise LexiconError(f"missing extraction rules file {path}; reinstall kgcat") from exc
    except tomllib.TOMLDecodeError as exc:
        raise LexiconError(f"{path} is not valid TOML ({exc}); fix the file") from exc


def _tsv(path: Path) -> list[dict[str, str]]:
    try:
        with path.open(encoding="utf-8", newline="") as handle:
            lines = [line for line in handle if line.strip() and not line.startswith("#")]
    except OSError as exc:
        raise LexiconError(f"missing extraction dictionary {path}; reinstall kgcat") from exc
    reader = csv.DictReader(lines, delimiter="\t")
    rows = list(reader)
    for number, row in enumerate(rows, 2):
        if None in row or any(value is None for value in row.values()):
            raise LexiconError(f"{path}: row {number} does not have the header's columns; fix the file")
    return rows


def _user_words(path: Path) -> tuple[str, ...]:
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise LexiconError(f"missing jieba user dictionary {path}; reinstall kgcat") from exc
    words = (line.split()[0] for line in text.splitlines() if line.strip() and not line.startswith("#"))
    return tuple(words)
