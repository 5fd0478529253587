"""A lexical look at SPARQL text: the query form, refused features, and protocol USING clauses.

The HTTP endpoint must know a request's form (SELECT/ASK → results formats, CONSTRUCT/DESCRIBE →
RDF formats) before it runs it, must refuse ``SERVICE`` (federation would let anyone make the
server fetch arbitrary URLs) and ``LOAD`` unless enabled, and must turn the protocol's
``using-graph-uri`` / ``using-named-graph-uri`` parameters into ``USING`` clauses
(SPARQL 1.1 Protocol §2.2.3), because the engine's update call takes no dataset.

pyoxigraph exposes no SPARQL parser, so this module tokenises the text the way the SPARQL
grammar does (SPARQL 1.1 Query §19.8: comments, the four string forms, IRI references) and
looks only at *keyword* tokens: a variable ``?service``, a prefixed name ``ex:load`` or the
word inside a string never matches. Nothing here imports rdflib or the ontology, so the query
worker processes stay light.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

_TOKEN = re.compile(
    r"""
    (?P<comment>\#[^\n\r]*)
  | (?P<string>'''(?:[^'\\]|\\.|'(?!''))*'''|\"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\"
               |'(?:[^'\\\n\r]|\\.)*'|"(?:[^"\\\n\r]|\\.)*")
  | (?P<iri><[^<>"{}|^`\\\x00-\x20]*>)
  | (?P<var>[?$][\w\u00b7\u0300-\u036f\u203f-\u2040]+)
  | (?P<pname>(?:[^\W\d][\w.-]*)?:[\w.:%\\-]*|_:[\w.-]+)
  | (?P<word>[^\W\d]\w*)
  | (?P<open>\{)
  | (?P<close>\})
  | (?P<other>\S)
    """,
    re.VERBOSE | re.DOTALL,
)

QUERY_FORMS = ("SELECT", "ASK", "CONSTRUCT", "DESCRIBE")
GRAPH_FORMS = ("CONSTRUCT", "DESCRIBE")


@dataclass(frozen=True)
class Token:
    kind: str  # "word", "iri", "open", "close", "other", …
    text: str
    start: int
    depth: int  # brace depth at the token (an opening brace has the outer depth)

    @property
    def keyword(self) -> str:
        return self.text.upper() if self.kind == "word" else ""


def tokens(text: str) -> Iterator[Token]:
    """The tokens of SPARQL ``text``, comments and strings included (so callers can skip them)."""
    depth = 0
    for match in _TOKEN.finditer(text):
        kind = match.lastgroup or "other"
        if kind == "close":
            depth = max(0, depth - 1)
        yield Token(kind, match.group(), match.start(), depth)
        if kind == "open":
            depth += 1


def keywords(text: str) -> list[str]:
    """Every keyword token of ``text``, upper-cased, in order."""
    return [token.keyword for token in tokens(text) if token.kind == "word"]


def query_form(text: str) -> str | None:
    """SELECT, ASK, CONSTRUCT or DESCRIBE: the first query-form keyword, or None (not a query)."""
    for word in keywords(text):
        if word in QUERY_FORMS:
            return word
    return None


def is_update(text: str) -> bool:
    """True when the text's first operation keyword is an update operation, not a query form."""
    operations = {"INSERT", "DELETE", "LOAD", "CLEAR", "CREATE", "DROP", "COPY", "MOVE", "ADD", "WITH"}
    for word in keywords(text):
        if word in QUERY_FORMS:
            return False
        if word in operations:
            return True
    return False


def refused_features(text: str, *, allow_service: bool, allow_load: bool) -> list[str]:
    """The keywords of ``text`` this server refuses (``SERVICE``, ``LOAD``), each once, in order."""
    refused = set()
    if not allow_service:
        refused.add("SERVICE")
    if not allow_load:
        refused.add("LOAD")
    return list(dict.fromkeys(word for word in keywords(text) if word in refused))


def has_dataset_clause(text: str) -> bool:
    """True when an update names its own dataset (``USING``, ``USING NAMED`` or ``WITH``)."""
    return any(token.depth == 0 and token.keyword in ("USING", "WITH") for token in tokens(text))


def with_using(update: str, using: Sequence[str], using_named: Sequence[str]) -> str:
    """``update`` with ``USING <g>`` / ``USING NAMED <g>`` before the ``WHERE`` of each DELETE/INSERT.

    SPARQL 1.1 Protocol §2.2.3: the parameters act as USING clauses of every operation that has a
    WHERE clause. ``DELETE WHERE`` (no USING allowed) and WHERE inside patterns are left alone.
    """
    if not using and not using_named:
        return update
    clauses = "".join(f"USING <{iri}> " for iri in using) + "".join(f"USING NAMED <{iri}> " for iri in using_named)
    positions = []
    previous = ""
    for token in tokens(update):
        if token.kind in ("comment", "string"):
            continue
        if token.depth == 0 and token.keyword == "WHERE" and previous != "DELETE":
            positions.append(token.start)
        previous = token.keyword
    for position in reversed(positions):
        update = update[:position] + clauses + update[position:]
    return update


_NOT_IN_IRI = re.compile(r'[\s<>"{}|\\^`]')
"""Characters an IRI reference may not contain (SPARQL 1.1 Query §19.8, IRIREF)."""


def is_safe_iri(iri: str) -> bool:
    """True when ``iri`` can be written as ``<iri>`` in SPARQL (no space, angle bracket, quote, brace …)."""
    return bool(iri) and _NOT_IN_IRI.search(iri) is None
