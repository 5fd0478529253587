"""Word sets compiled from words.toml for fast look-up while scanning text.

A vocabulary is compiled per city: its districts are the districts of the city the document is
about (Shanghai's unless the document is about a district of one of the other cities listed, or
of a city found in the text itself: :class:`Place`).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from graph.extraction.divisions import Divisions
from graph.extraction.lexicon import Lexicon

_PLACE_MAX = 8  # characters of the longest place word (粤港澳大湾区)


@dataclass(frozen=True)
class Place:
    """A city the word lists do not hold, as the document writes it (长沙市岳麓区 … 湖南省…)."""

    city: str  # short name, without 市
    province: str  # short name, without 省; "" when the document names none
    districts: tuple[str, ...]  # short names, without 区


@dataclass(frozen=True)
class Vocabulary:
    """The general word lists of words.toml, as sets and length-sorted tuples."""

    left_chars: frozenset[str]
    left_words: tuple[str, ...]  # longest first
    titles: tuple[str, ...]  # longest first
    party_title_heads: tuple[str, ...]
    numerals: frozenset[str]
    classifiers: frozenset[str]
    districts: tuple[str, ...]  # short names of the city's districts, longest first
    district_variants: dict[str, str]
    areas: frozenset[str]
    regions: frozenset[str]
    places: tuple[str, ...]  # areas + regions, longest first
    level_modifiers: dict[str, str]
    bilateral_partners: frozenset[str]
    generic: frozenset[str]
    titles_by_first: dict[str, tuple[str, ...]]
    left_words_by_last: dict[str, tuple[str, ...]]
    place_left_words: tuple[str, ...]  # longest first
    party_heads: tuple[str, ...]  # a name opening with one of these after 联合 is a partner
    city: str  # short name of the city (上海, 杭州)
    home_city: str  # the city of shanghai_districts (上海)
    province: str  # short name of its province, "" for a municipality (上海, 北京)
    cities: dict[str, tuple[str, tuple[str, ...]]]  # every listed city → (province, its districts)
    found: Place | None = None  # the document's city when the word lists do not hold it
    provinces: frozenset[str] = frozenset()  # every province's short name
    not_districts: frozenset[str] = frozenset()  # kinds of zone written before 区 (高新区)
    divisions: Divisions | None = None  # China's provinces, cities and districts (divisions.tsv)
    demonstratives: frozenset[str] = frozenset()  # 这, 那 … before a classifier or a measure word
    measure_words: frozenset[str] = frozenset()  # 张, 份 … (counted only after a demonstrative)
    numbered_heads: tuple[str, ...] = ()  # 热线 …: a number right before one is part of the name

    @property
    def city_name(self) -> str:
        """The city's full name (上海市, 杭州市)."""
        return f"{self.city}市"

    @property
    def province_name(self) -> str | None:
        """The province's full name (浙江省, 广西壮族自治区), None for a municipality."""
        if not self.province:
            return None
        listed = self.divisions.provinces if self.divisions else {}
        return listed.get(self.province, f"{self.province}省")

    def district_name(self, district: str) -> str:
        """A district's full name with its city (徐汇 → 上海市徐汇区, 西湖 → 杭州市西湖区)."""
        return f"{self.city_name}{district}区"

    def title_at(self, text: str, position: int) -> str | None:
        """The longest person title starting at ``position``."""
        if position >= len(text):
            return None
        for title in self.titles_by_first.get(text[position], ()):
            if text.startswith(title, position):
                return title
        return None

    def left_word_ending(self, text: str, position: int) -> str | None:
        """A boundary word (verb, preposition, adverb) ending at ``position``."""
        if position <= 0:
            return None
        for word in self.left_words_by_last.get(text[position - 1], ()):
            if position >= len(word) and text.startswith(word, position - len(word)):
                return word
        return None

    def place_left_word_ending(self, text: str, position: int) -> bool:
        """Whether a word that ends the context only before a place (联合) ends at ``position``
        with a place right after it (联合中国科学院…) or a name opening with a partner
        (联合同济大学…)."""
        if not any(text.startswith(w, position - len(w)) for w in self.place_left_words if position >= len(w)):
            return False
        ahead = text[position : position + _PLACE_MAX]
        return self.place_prefix(ahead) is not None or any(ahead.find(h, 2) >= 2 for h in self.party_heads)

    def count_ending(self, text: str, position: int) -> bool:
        """Whether a count (numeral + classifier, 两个 / 20家) or a demonstrative with its classifier
        or measure word (那张, 这份) ends at ``position``."""
        if position < 2:
            return False
        measure, before = text[position - 1], text[position - 2]
        if measure in self.classifiers and before in self.numerals:
            return True
        return before in self.demonstratives and (measure in self.classifiers or measure in self.measure_words)

    def is_place(self, word: str) -> bool:
        """Whether ``word`` is a district (with or without 区), an area or a region."""
        return word in self.areas or word in self.regions or word.removesuffix("区") in self.districts

    def bilateral_before(self, text: str, position: int) -> bool:
        """Whether a two-country abbreviation (中以, 中德) ends at ``position``."""
        return position >= 2 and text[position - 2] == "中" and text[position - 1] in self.bilateral_partners

    def place_prefix(self, name: str) -> str | None:
        """The longest place word (area, region, district) that ``name`` starts with."""
        for place in self.places:
            if name.startswith(place):
                return place
        return None


def listed_cities(lexicon: Lexicon) -> dict[str, tuple[str, tuple[str, ...]]]:
    """Every city of words.toml → (province, district short names): the home city first."""
    places = lexicon.section("words", "places")
    cities = {str(places["home_city"]): ("", tuple(places["shanghai_districts"]))}
    for city, row in places.get("other_cities", {}).items():
        cities[city] = (str(row["province"]), tuple(row["districts"]))
    return cities


@lru_cache(maxsize=16)
def vocabulary(lexicon: Lexicon, city: str | None = None, found: Place | None = None) -> Vocabulary:
    """Compile the word lists of a lexicon for a city (the home city by default, or a city the
    lists do not hold, found in the document; cached)."""
    boundaries = lexicon.section("words", "boundaries")
    titles = lexicon.section("words", "titles")
    numbers = lexicon.section("words", "numbers")
    places = lexicon.section("words", "places")
    cities = listed_cities(lexicon)
    if found is not None:
        cities[found.city] = (found.province, found.districts)
        city = found.city
    city = city or str(places["home_city"])
    province, city_districts = cities[city]
    districts = tuple(sorted(city_districts, key=len, reverse=True))
    titles_sorted = _longest_first(titles["person"])
    left_words = _longest_first(boundaries["left_words"])
    home = city == str(places["home_city"])
    areas = frozenset(places["shanghai_areas"] if home else places.get("shared_areas", ()))
    regions = frozenset(places["regions"])
    return Vocabulary(
        left_chars=frozenset(boundaries["left_chars"]),
        left_words=left_words,
        titles=titles_sorted,
        party_title_heads=tuple(titles["party_title_heads"]),
        numerals=frozenset(numbers["numerals"]),
        classifiers=frozenset(numbers["classifiers"]),
        districts=districts,
        district_variants=dict(places["district_variants"]),
        areas=areas,
        regions=regions,
        places=_longest_first([*areas, *regions, *districts]),
        level_modifiers=dict(places["level_modifiers"]),
        bilateral_partners=frozenset(places["bilateral_partners"]),
        generic=frozenset(lexicon.section("words", "generic")["words"]),
        titles_by_first=_index(titles_sorted, first=True),
        left_words_by_last=_index(left_words, first=False),
        place_left_words=_longest_first(boundaries["place_left_words"]),
        party_heads=tuple(boundaries.get("party_heads", ())),
        city=city,
        home_city=str(places["home_city"]),
        province=province,
        cities={c: (p, tuple(sorted(d, key=len, reverse=True))) for c, (p, d) in cities.items()},
        found=found,
        provinces=frozenset(places.get("provinces", ())),
        not_districts=frozenset(places.get("not_districts", ())),
        divisions=lexicon.divisions,
        demonstratives=frozenset(numbers.get("demonstratives", "")),
        measure_words=frozenset(numbers.get("measure_words", "")),
        numbered_heads=tuple(numbers.get("numbered_heads", ())),
    )


def _index(words: tuple[str, ...], *, first: bool) -> dict[str, tuple[str, ...]]:
    """Words grouped by their first (or last) character, longest first within a group."""
    grouped: dict[str, list[str]] = {}
    for word in words:
        grouped.setdefault(word[0] if first else word[-1], []).append(word)
    return {key: tuple(group) for key, group in grouped.items()}


def _longest_first(words: list[str]) -> tuple[str, ...]:
    return tuple(sorted(set(words), key=len, reverse=True))
