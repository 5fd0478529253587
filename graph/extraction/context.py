"""What every extractor needs to know about the document it reads.

The document's district (徐汇, 杨浦, …) is read from the masthead and the body: short forms
such as 区绿容局 or 区委 belong to it. A district of another listed city (杭州 西湖) counts only
when that city is named in the document too (西湖区 and 杭州…); the vocabulary is then the one of
that city, so 区… spells out as 杭州市西湖区…, 市… as 杭州市… and 省… as 浙江省…. A city the lists do
not hold is read from China's divisions (``divisions.tsv``): a district written with 区 more often
than any listed one is named, when one city alone has a district of that name (金水区 → 郑州) or
the page names one of the cities that have one (鼓楼区 … 福州); the province is then the city's.
Failing that, a district written at least once after its city and 市 (长沙市岳麓区), the province the
one named most often with 省 (湖南省…). The document's
year comes from the masthead date or, failing that, the latest full date in the text; event dates
without a year take it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from graph.extraction.divisions import Divisions
from graph.extraction.lexicon import Lexicon
from graph.extraction.segment import Segmenter
from graph.extraction.sentences import SentenceIndex
from graph.extraction.vocabulary import Place, Vocabulary, vocabulary

_MASTHEAD = 300  # characters at the start of a document that count as its masthead
_MASTHEAD_WEIGHT = 5
_MIN_DISTRICT_MENTIONS = 2
_MASTHEAD_YEAR = re.compile(r"(20\d{2})\s*年")
_FULL_DATE = re.compile(r"(20\d{2})\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日")
_DISTRICT_END = re.compile("区")
# A district whose name is made only of these (老城, 新城, 城关, 市中, 河东, 江北) reads like a common
# word (老城区 "the old town"): it names a city only when the page names that city too.
_WORD_LIKE = frozenset("东西南北中新老旧城市关内外上下前后河江湖海山")
_CITY_DISTRICT = re.compile(r"(?<=[\u4e00-\u9fff]{2})市([\u4e00-\u9fff]{2,3}?)区")


@dataclass(frozen=True)
class DocumentContext:
    """The normalised text with its sentences, district, year and the shared lexicon."""

    text: str
    lexicon: Lexicon
    vocab: Vocabulary
    segmenter: Segmenter
    sentences: SentenceIndex
    district: str | None
    year: int | None

    @classmethod
    def build(cls, text: str, lexicon: Lexicon, segmenter: Segmenter, sentences: SentenceIndex) -> DocumentContext:
        """Read district and year from ``text`` and bundle everything."""
        city, district = detect_place(text, vocabulary(lexicon))
        found = None if district is None else find_place(text, vocabulary(lexicon), city, district)
        vocab = vocabulary(lexicon, city, found)
        return cls(text, lexicon, vocab, segmenter, sentences, district, detect_year(text))

    @property
    def district_name(self) -> str | None:
        """The document's district in full (上海市徐汇区, 杭州市西湖区), if known."""
        return self.vocab.district_name(self.district) if self.district else None

    def sentence_text(self, offset: int) -> str:
        """The text of the sentence holding ``offset``."""
        sentence = self.sentences.at(offset)
        return sentence.text if sentence else ""

    def sentence_bounds(self, offset: int) -> tuple[int, int]:
        """Normalised [start, end) of the sentence holding ``offset``."""
        sentence = self.sentences.at(offset)
        return (sentence.start, sentence.end) if sentence else (0, len(self.text))


def detect_district(text: str, vocab: Vocabulary) -> str | None:
    """The Shanghai district a document is about (short name such as 徐汇), if clear."""
    head = text[:_MASTHEAD]
    scores: dict[str, int] = {}
    for district in vocab.districts:
        scores[district] = text.count(district) + _MASTHEAD_WEIGHT * head.count(district)
    for variant, district in vocab.district_variants.items():
        scores[district] = scores.get(district, 0) + text.count(variant) + _MASTHEAD_WEIGHT * head.count(variant)
    best = max(scores, key=lambda d: scores[d], default=None)
    if best is None or scores[best] < _MIN_DISTRICT_MENTIONS:
        return None
    return best


def detect_place(text: str, vocab: Vocabulary) -> tuple[str, str | None]:
    """The city and district a document is about: a home-city district as :func:`detect_district`
    reads it, unless a district of another listed city, written with 区, is named more often and
    that city is named too (西湖区 … 杭州); else a district of China's divisions (金水区 → 郑州), else
    a district written after a city the lists do not hold and 市 (长沙市岳麓区)."""
    home = detect_district(text, vocab)
    home_score = _district_score(text, vocab, home) if home else _MIN_DISTRICT_MENTIONS - 1
    best: tuple[int, str, str] | None = None
    head = text[:_MASTHEAD]
    for city, (_, districts) in vocab.cities.items():
        if city == vocab.city or city not in text:
            continue
        for district in districts:
            score = text.count(f"{district}区") + _MASTHEAD_WEIGHT * head.count(district)
            if score > home_score and (best is None or score > best[0]):
                best = (score, city, district)
    if best is None:
        found = _division_place(text, vocab, home_score) or _unlisted_place(text, vocab, home_score)
        return found or (vocab.city, home)
    return best[1], best[2]


def find_place(text: str, vocab: Vocabulary, city: str, district: str) -> Place | None:
    """The :class:`Place` of a city the word lists do not hold (None for a listed city)."""
    if city in vocab.cities:
        return None
    listed = vocab.divisions.province_of(city) if vocab.divisions else None
    if listed is not None:
        return Place(city, listed, (district,))
    counts = {p: text.count(f"{p}省") for p in vocab.provinces}
    province = max(counts, key=lambda p: counts[p], default="")
    return Place(city, province if counts.get(province) else "", (district,))


def _division_place(text: str, vocab: Vocabulary, home_score: int) -> tuple[str, str] | None:
    """The district of ``divisions.tsv`` written with 区 most often, if more often than any listed
    district is named and than any district of another city: with the one city that has a district
    of that name, or the one of them the page names most often (a name made of common words, such
    as 老城, needs its city named whatever)."""
    if vocab.divisions is None:
        return None
    head = text[:_MASTHEAD]
    counts = _district_counts(text, vocab.divisions, vocab.not_districts)
    scores = {d: n + _MASTHEAD_WEIGHT * head.count(d) for d, n in counts.items()}
    ranked = sorted(scores, key=lambda d: scores[d], reverse=True)
    if not ranked or scores[ranked[0]] <= home_score or scores[ranked[0]] < _MIN_DISTRICT_MENTIONS:
        return None
    district = ranked[0]
    city = _city_of(text, vocab.divisions, district)
    if city is None or city == vocab.home_city:
        return None
    rivals = [d for d in ranked[1:] if scores[d] == scores[district]]
    if any(city not in vocab.divisions.cities_with(d) for d in rivals):
        return None
    return city, district


def _district_counts(text: str, divisions: Divisions, not_districts: frozenset[str]) -> dict[str, int]:
    """How often each district of ``divisions`` is written with 区 (the longest name before 区:
    东西湖区 is 东西湖, not 西湖)."""
    counts: dict[str, int] = {}
    for match in _DISTRICT_END.finditer(text):
        end = match.start()
        for size in range(min(divisions.longest_district, end), 1, -1):
            name = text[end - size : end]
            if divisions.cities_with(name):
                if name not in not_districts:
                    counts[name] = counts.get(name, 0) + 1
                break
    return counts


def _city_of(text: str, divisions: Divisions, district: str) -> str | None:
    """The city of a district name: the only one that has it, or the one the page names most
    often (strictly) among those that have it."""
    cities = divisions.cities_with(district)
    if len(cities) == 1 and not set(district) <= _WORD_LIKE:
        return cities[0]
    named = sorted(((text.count(c), c) for c in cities), reverse=True)
    if not named or named[0][0] == 0 or (len(named) > 1 and named[1][0] == named[0][0]):
        return None
    return named[0][1]


def _unlisted_place(text: str, vocab: Vocabulary, home_score: int) -> tuple[str, str] | None:
    """A district written with 区 more often than any listed one is named, after a city the lists
    do not hold and 市 at least once (长沙市岳麓区): that city and district."""
    head = text[:_MASTHEAD]
    best: tuple[int, str, str] | None = None
    seen: set[tuple[str, str]] = set()
    for match in _CITY_DISTRICT.finditer(text):
        district, pair = match.group(1), text[match.start() - 2 : match.end()]
        if district in vocab.not_districts or pair[:2] in vocab.cities or (pair, district) in seen:
            continue
        seen.add((pair, district))
        city = _city_before(text, match.start())
        if city is None or city in vocab.cities:
            continue
        score = text.count(f"{district}区") + _MASTHEAD_WEIGHT * head.count(district)
        if score > home_score and score >= _MIN_DISTRICT_MENTIONS and (best is None or score > best[0]):
            best = (score, city, district)
    return (best[1], best[2]) if best else None


def _city_before(text: str, end: int) -> str | None:
    """The city's short name ending at ``end`` (before 市): two characters, longer while every
    occurrence of the name has the same character before it (哈尔滨, not 尔滨); never a word that
    ends in a generic 市 (城市, 全市)."""
    name = text[end - 2 : end]
    if name[-1] in "城全本该各每超门上都夜股楼" or not all("\u4e00" <= c <= "\u9fff" for c in name):
        return None
    while end - len(name) > 0:
        longer = text[end - len(name) - 1 : end]
        if not "\u4e00" <= longer[0] <= "\u9fff" or text.count(longer) != text.count(name) or text.count(name) < 2:
            break
        name = longer
    return name


def _district_score(text: str, vocab: Vocabulary, district: str) -> int:
    head = text[:_MASTHEAD]
    score = text.count(district) + _MASTHEAD_WEIGHT * head.count(district)
    for variant, name in vocab.district_variants.items():
        if name == district:
            score += text.count(variant) + _MASTHEAD_WEIGHT * head.count(variant)
    return score


def detect_year(text: str) -> int | None:
    """The publication year: a year in the masthead, else the latest full date's year."""
    match = _MASTHEAD_YEAR.search(text[:_MASTHEAD])
    if match:
        return int(match.group(1))
    years = [int(m.group(1)) for m in _FULL_DATE.finditer(text)]
    return max(years) if years else None
