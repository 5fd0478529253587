"""Catalogue entities as search records: what each entity is called, who owns it, what says so.

This is the graph side of search: SPARQL over the store turns every dataset, data resource,
department, organisation, policy, project and indicator into an :class:`EntityCard` (the
fields results show and filters use) and into the text that is embedded and matched.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import asdict, dataclass, field

from graph.store import Store

TYPE_LABELS: dict[str, str] = {
    "Dataset": "数据资源",
    "DataResource": "数据资源(文中提及)",
    "Department": "部门",
    "Organization": "机构",
    "Policy": "政策",
    "Project": "项目",
    "Indicator": "指标",
}
"""Entity types search knows, with the Chinese names shown to citizens."""

SEPARATOR = "\u241f"  # unit-separator symbol: never inside a label

_IS_DEPARTMENT = (
    "EXISTS { ?s a org:OrganizationalUnit } || EXISTS { ?s org:subOrganizationOf ?parent } "
    "|| EXISTS { ?x dct:publisher ?s } || EXISTS { ?s kgcat:district ?dist } "
    "|| EXISTS { ?other org:subOrganizationOf ?s }"
)
"""An agent is a department when any of these holds; two UNION branches test it, not IF(EXISTS …) in a
BIND, which Virtuoso cannot compile (SQ074), so the index builds from a remote store too."""

_ENTITY_QUERY = f"""
SELECT ?s ?kind (SAMPLE(?l) AS ?label)
       (GROUP_CONCAT(DISTINCT ?alt; separator="{SEPARATOR}") AS ?alts)
       (SAMPLE(?d) AS ?description)
       (SAMPLE(?pub) AS ?publisher) (SAMPLE(?pubName) AS ?publisherName)
       (GROUP_CONCAT(DISTINCT ?domain; separator="{SEPARATOR}") AS ?domains)
       (SAMPLE(?access) AS ?accessRight) (SAMPLE(?freq) AS ?frequency)
       (SAMPLE(?place) AS ?district)
       (GROUP_CONCAT(DISTINCT ?kw; separator="{SEPARATOR}") AS ?keywords)
WHERE {{
  {{ ?s a dcat:Dataset . BIND("Dataset" AS ?kind) }}
  UNION {{ ?s a kgcat:DataResource . FILTER NOT EXISTS {{ ?s a dcat:Dataset }} BIND("DataResource" AS ?kind) }}
  UNION {{ ?s a foaf:Agent . FILTER({_IS_DEPARTMENT}) BIND("Department" AS ?kind) }}
  UNION {{ ?s a foaf:Agent . FILTER(!({_IS_DEPARTMENT})) BIND("Organization" AS ?kind) }}
  UNION {{ ?s a kgcat:Policy . BIND("Policy" AS ?kind) }}
  UNION {{ ?s a kgcat:Project . BIND("Project" AS ?kind) }}
  UNION {{ ?s a kgcat:Indicator . BIND("Indicator" AS ?kind) }}
  OPTIONAL {{ ?s dct:title|foaf:name|skos:prefLabel ?l FILTER(lang(?l) = "zh") }}
  OPTIONAL {{ ?s skos:altLabel ?alt }}
  OPTIONAL {{ ?s dct:description ?d }}
  OPTIONAL {{ ?s dct:publisher|prov:wasAttributedTo ?pub . OPTIONAL {{ ?pub foaf:name ?pubName }} }}
  OPTIONAL {{ ?s dcat:theme/skos:prefLabel ?domain FILTER(lang(?domain) = "zh") }}
  OPTIONAL {{ ?s dct:accessRights/skos:prefLabel ?access FILTER(lang(?access) = "zh") }}
  OPTIONAL {{ ?s dct:accrualPeriodicity/skos:prefLabel ?freq FILTER(lang(?freq) = "zh") }}
  OPTIONAL {{ ?s (dct:spatial|kgcat:district|^dcat:dataset/dct:spatial|dct:publisher/kgcat:district)
              /skos:prefLabel ?place }}
  OPTIONAL {{ ?s dcat:keyword ?kw }}
}}
GROUP BY ?s ?kind
"""

_SENTENCE_QUERY = """
SELECT ?s ?sentenceNode ?sentence ?sentenceStart ?start ?end ?document WHERE {
  ?annotation a oa:Annotation ; oa:hasBody ?s ; oa:hasTarget ?target .
  ?target dct:isPartOf ?sentenceNode ; oa:hasSource ?doc .
  ?sentenceNode oa:hasSelector ?quote . ?quote a oa:TextQuoteSelector ; oa:exact ?sentence .
  ?doc dct:title ?document .
  OPTIONAL { ?target oa:hasSelector ?position . ?position a oa:TextPositionSelector ; oa:start ?start ; oa:end ?end }
  OPTIONAL { ?sentenceNode oa:hasSelector ?at . ?at a oa:TextPositionSelector ; oa:start ?sentenceStart }
}
"""
"""Every required pattern before the OPTIONALs: Oxigraph cannot reorder a join across an OPTIONAL, and with
``?doc dct:title ?document`` after them it joined every title of the store (stopped after 300 s on the 2k scale
store; 0.12 s there and 0.16 s at 1M once the OPTIONALs come last; bench/RESULTS.md, search index build)."""

MAX_SENTENCES = 3
"""Source sentences kept per entity (for matching and snippets)."""


@dataclass(frozen=True)
class EntityCard:
    """What search knows of one entity: the fields of a result and of the filters."""

    iri: str
    type: str
    label: str
    alt_labels: tuple[str, ...] = ()
    description: str | None = None
    publisher: str | None = None
    publisher_iri: str | None = None
    domains: tuple[str, ...] = ()
    access_right: str | None = None
    frequency: str | None = None
    district: str | None = None
    keywords: tuple[str, ...] = ()
    sentences: tuple[tuple[str, str], ...] = field(default=())  # (sentence, document title)
    matched_sentences: tuple[str, ...] = ()
    """The same sentences as matched word by word: the names of other entries of this kind cut out
    (a sentence listing ten tables describes none of them by the other nine's names)."""

    @property
    def type_label(self) -> str:
        return TYPE_LABELS.get(self.type, self.type)

    def passage(self) -> str:
        """The text that is embedded: name, kind, owner, domain, description, keywords."""
        parts = [self.label, self.type_label]
        if self.alt_labels:
            parts.append("又称" + "、".join(self.alt_labels[:4]))
        if self.publisher:
            parts.append(f"提供部门:{self.publisher}")
        if self.domains:
            parts.append("领域:" + "、".join(self.domains))
        if self.description and self.description != self.label:
            parts.append(self.description[:200])
        if self.keywords:
            parts.append("关键词:" + "、".join(self.keywords[:8]))
        return "。".join(parts)

    def name_passage(self) -> str:
        """The second embedded text: the entry's names alone, which short queries resemble more than the passage."""
        return "。".join(dict.fromkeys((self.label, *self.alt_labels[:4])))

    def lexical_text(self) -> str:
        """The text that is matched word by word: the passage plus the sentences that mention the entity."""
        sentences = self.matched_sentences or tuple(sentence for sentence, _ in self.sentences)
        return "。".join([self.passage(), *sentences])

    def to_json(self) -> dict[str, object]:
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict[str, object]) -> EntityCard:
        fields = dict(data)
        for name in ("alt_labels", "domains", "keywords", "matched_sentences"):
            fields[name] = tuple(fields.get(name) or ())  # type: ignore[arg-type]
        fields["sentences"] = tuple(tuple(pair) for pair in fields.get("sentences") or ())  # type: ignore[attr-defined]
        return cls(**fields)  # type: ignore[arg-type]


def _split(value: object) -> tuple[str, ...]:
    text = str(value) if value is not None else ""
    return tuple(part for part in dict.fromkeys(text.split(SEPARATOR)) if part)


def _text(row: Mapping[str, object], name: str) -> str | None:
    value = row.get(name)
    return str(value) if value is not None and str(value) else None


def catalogue_entities(store: Store) -> Iterator[EntityCard]:
    """Every searchable entity of the store, with the sentences that mention it."""
    rows = store.query(_ENTITY_QUERY).rows
    kinds: dict[str, str] = {}
    for row in rows:
        kinds.setdefault(str(row["s"]), str(row["kind"]))
    sources = _SourceSentences(store.query(_SENTENCE_QUERY).rows, kinds)
    seen: set[str] = set()
    for row in rows:
        iri, label = str(row["s"]), _text(row, "label")
        if label is None or iri in seen:
            continue
        seen.add(iri)
        sentences = sources.of(iri)[:MAX_SENTENCES]
        yield EntityCard(
            iri=iri,
            type=str(row["kind"]),
            label=label,
            alt_labels=tuple(alt for alt in _split(row.get("alts")) if alt != label),
            description=_text(row, "description"),
            publisher=_text(row, "publisherName"),
            publisher_iri=_text(row, "publisher"),
            domains=_split(row.get("domains")),
            access_right=_text(row, "accessRight"),
            frequency=_text(row, "frequency"),
            district=_text(row, "district"),
            keywords=_split(row.get("keywords")),
            sentences=tuple((sentence.text, sentence.document) for sentence in sentences),
            matched_sentences=tuple(sources.matched_text(sentence, iri) for sentence in sentences),
        )


PEER_KINDS: dict[str, str] = {"DataResource": "Dataset"}
"""Kinds counted as one when a sentence names several entries (a table named in text is a data resource)."""


@dataclass(frozen=True)
class _Sentence:
    node: str
    text: str
    document: str


@dataclass(frozen=True)
class _Mention:
    entity: str
    start: int  # in the sentence
    end: int


class _SourceSentences:
    """The sentences that mention each entity, and where in them every entity is named."""

    def __init__(self, rows: Sequence[Mapping[str, object]], kinds: Mapping[str, str]) -> None:
        self.kinds = kinds
        self.by_entity: dict[str, list[_Sentence]] = {}
        self.mentions: dict[str, list[_Mention]] = {}
        for row in rows:
            entity = str(row["s"])
            sentence = _Sentence(str(row["sentenceNode"]), str(row["sentence"]), str(row["document"]))
            found = self.by_entity.setdefault(entity, [])
            if all((known.text, known.document) != (sentence.text, sentence.document) for known in found):
                found.append(sentence)
            offsets = [row.get(name) for name in ("sentenceStart", "start", "end")]
            if all(offset is not None for offset in offsets):
                origin, start, end = (int(str(offset)) for offset in offsets)
                self.mentions.setdefault(sentence.node, []).append(_Mention(entity, start - origin, end - origin))

    def of(self, entity: str) -> list[_Sentence]:
        return self.by_entity.get(entity, [])

    def matched_text(self, sentence: _Sentence, entity: str) -> str:
        """``sentence`` with the names of other entries of ``entity``'s kind blanked (its own names kept)."""
        kind = self._peer_kind(entity)
        mentions = self.mentions.get(sentence.node, [])
        own = [(m.start, m.end) for m in mentions if m.entity == entity]
        peers = [
            (m.start, m.end)
            for m in mentions
            if m.entity != entity
            and self._peer_kind(m.entity) == kind
            and not any(m.start < end and start < m.end for start, end in own)
            and 0 <= m.start < m.end <= len(sentence.text)
        ]
        pieces, at = [], 0
        for start, end in sorted(peers):
            if start >= at:
                pieces.append(sentence.text[at:start] + " ")
            at = max(at, end)
        return "".join(pieces) + sentence.text[at:]

    def _peer_kind(self, entity: str) -> str | None:
        kind = self.kinds.get(entity)
        return PEER_KINDS.get(kind, kind) if kind is not None else None
