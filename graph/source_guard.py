"""Checks on untrusted RDF and JSON bytes before a parser sees them: nothing is fetched, nothing explodes.

rdflib's parsers trust their input. Left alone, a JSON-LD ``"@context": "https://…"`` (or a
relative or ``file:`` one) makes the JSON-LD parser fetch or read that document (JSON-LD 1.1
§3.1 remote contexts, §4.1.10 ``@import``), and an RDF/XML internal DTD can declare entities
(XML 1.0 §4.2): external ones name files or URLs, and nested internal ones expand a few hundred
bytes into gigabytes ("billion laughs"); rdflib appends each expanded piece to its literal, so
even the expansion expat itself tolerates takes hours. So, before parsing:

- JSON (JSON-LD and records): nesting deeper than :data:`MAX_JSON_DEPTH` is refused, and so is
  any ``@context`` or ``@import`` that names a document instead of containing it.
- RDF/XML with a DOCTYPE: external entities (``SYSTEM``/``PUBLIC``) are refused; internal
  entities are allowed (OWL files use them for namespaces) as long as each expands to at most
  :data:`MAX_ENTITY_TEXT` characters and element content uses at most that many in total.

Every refusal is an :class:`~graph.errors.UnsafeSourceError` saying what to change.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pyexpat import ExpatError, ParserCreate

from graph.errors import SourceError, UnsafeSourceError

MAX_JSON_DEPTH = 64
"""Deepest nesting of arrays and objects accepted (real JSON-LD and records stay under ten)."""
MAX_ENTITY_TEXT = 100_000
"""Characters one XML entity may expand to, and entity text element content may use in total."""

_REFERENCE = re.compile(r"&([A-Za-z_:][\w.:-]*);")
_REMOTE_KEYS = ("@context", "@import")


def check_json_document(text: str, name: str) -> object:
    """The parsed JSON of ``text``, refusing runaway nesting with a clear message."""
    try:
        value = json.loads(text)
    except RecursionError:
        raise UnsafeSourceError(_too_deep(name)) from None
    openers = text.count("[") + text.count("{")  # nesting cannot go deeper: a records line skips the walk
    if openers > MAX_JSON_DEPTH and _depth_exceeds(value, MAX_JSON_DEPTH):
        raise UnsafeSourceError(_too_deep(name))
    return value


def _too_deep(name: str) -> str:
    return f"{name}: JSON nested deeper than {MAX_JSON_DEPTH} levels is refused; flatten the document"


def _depth_exceeds(value: object, limit: int) -> bool:
    stack: list[tuple[object, int]] = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        children = item.values() if isinstance(item, dict) else item if isinstance(item, list) else ()
        for child in children:
            if isinstance(child, dict | list):
                if depth + 1 > limit:
                    return True
                stack.append((child, depth + 1))
    return False


def check_json_ld(data: bytes, name: str) -> None:
    """Refuse JSON-LD that is too deep or would make the parser load another document."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        raise SourceError(f"{name}: JSON-LD must be UTF-8 ({error})") from error
    try:
        document = check_json_document(text, name)
    except json.JSONDecodeError as error:
        where = f"line {error.lineno}, column {error.colno}"
        raise SourceError(f"{name}: not valid JSON ({error.msg} at {where})") from error
    for key, reference in _document_references(document):
        raise UnsafeSourceError(
            f"{name}: {key} {reference!r} names a document to load; kgcat never fetches or reads other "
            f"documents while parsing uploads. Put the context object itself in the document instead of its address",
            reference=reference,
        )


def _document_references(document: object) -> Iterator[tuple[str, str]]:
    """Every (key, value) where ``@context`` or ``@import`` is a reference (a string) rather than an object."""
    stack = [document]
    while stack:
        item = stack.pop()
        if isinstance(item, list):
            stack.extend(item)
        elif isinstance(item, dict):
            for key, value in item.items():
                if key in _REMOTE_KEYS:
                    for entry in value if isinstance(value, list) else [value]:
                        if isinstance(entry, str):
                            yield key, entry
                stack.append(value)


def check_rdf_xml(data: bytes, name: str) -> None:
    """Refuse RDF/XML with external entities or entity expansion past :data:`MAX_ENTITY_TEXT`."""
    ascii_compatible = b"\x00" not in data[:512] and not data.startswith((b"\xff\xfe", b"\xfe\xff"))
    if ascii_compatible and b"<!DOCTYPE" not in data and b"<!ENTITY" not in data:
        return  # no DTD: only the five predefined entities and character references exist
    _EntityScan(name).run(data)


class _EntityScan:
    """One pass of expat over the document with entity expansion off, measuring what it would expand to."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.sizes: dict[str, int] = {}
        self.content_text = 0

    def run(self, data: bytes) -> None:
        parser = ParserCreate()
        parser.EntityDeclHandler = self._declared
        parser.DefaultHandler = self._unexpanded  # setting it turns off expansion of internal entities in content
        try:
            parser.Parse(data, True)
        except ExpatError:
            return  # not well-formed: the RDF/XML parser reports it with its own message

    def _declared(
        self,
        entity: str,
        is_parameter: bool,
        value: str | None,
        base: str | None,
        system_id: str | None,
        public_id: str | None,
        notation: str | None,
    ) -> None:
        if value is None:
            raise UnsafeSourceError(
                f"{self.name}: the DTD declares the external entity {entity!r} ({system_id or public_id}); "
                "kgcat never reads files or URLs named by a document. Write the text into the document instead",
                entity=entity,
            )
        size = len(_REFERENCE.sub("", value)) + sum(self.sizes.get(ref, 0) for ref in _REFERENCE.findall(value))
        if size > MAX_ENTITY_TEXT:
            raise UnsafeSourceError(
                f"{self.name}: the entity {entity!r} expands to {size} characters (limit {MAX_ENTITY_TEXT}); "
                "entity-expansion documents are refused. Write the text out instead of nesting entities",
                entity=entity,
            )
        self.sizes[("%" if is_parameter else "") + entity] = size

    def _unexpanded(self, text: str) -> None:
        match = _REFERENCE.fullmatch(text)
        if match is None:
            return
        self.content_text += self.sizes.get(match.group(1), 0)
        if self.content_text > MAX_ENTITY_TEXT:
            raise UnsafeSourceError(
                f"{self.name}: element content expands entities to more than {MAX_ENTITY_TEXT} characters; "
                "entity-expansion documents are refused. Write the text out instead"
            )
