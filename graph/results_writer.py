"""Writers of SPARQL SELECT results that count rows as they go, for the endpoint's row cap.

pyoxigraph serialises a result iterator in one call, which leaves no place to stop at a row cap
or a deadline, so SELECT results are written here, row by row, in the four W3C formats:
SPARQL 1.1 Query Results JSON (https://www.w3.org/TR/sparql11-results-json/), XML
(https://www.w3.org/TR/rdf-sparql-XMLres/), CSV and TSV
(https://www.w3.org/TR/sparql11-results-csv-tsv/). Terms are pyoxigraph terms; nothing here
imports rdflib, so query worker processes stay light. Tests check every writer against
pyoxigraph's own parser.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable, Sequence
from xml.sax.saxutils import escape, quoteattr

import pyoxigraph as ox

XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"

Row = Sequence[object | None]  # one pyoxigraph term (or None when unbound) per variable
Writer = Callable[[Sequence[str], Sequence[Row]], bytes]


def _json_term(term: object) -> dict[str, object]:
    if isinstance(term, ox.NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, ox.BlankNode):
        return {"type": "bnode", "value": term.value}
    if isinstance(term, ox.Literal):
        body: dict[str, object] = {"type": "literal", "value": term.value}
        if term.language:
            body["xml:lang"] = term.language
        elif term.datatype.value != XSD_STRING:
            body["datatype"] = term.datatype.value
        return body
    if isinstance(term, ox.Triple):
        value = {"subject": term.subject, "predicate": term.predicate, "object": term.object}
        return {"type": "triple", "value": {name: _json_term(part) for name, part in value.items()}}
    raise TypeError(f"unexpected term in a SPARQL result: {term!r}")


def write_json(variables: Sequence[str], rows: Sequence[Row]) -> bytes:
    bindings = [
        {name: _json_term(term) for name, term in zip(variables, row, strict=True) if term is not None} for row in rows
    ]
    body = {"head": {"vars": list(variables)}, "results": {"bindings": bindings}}
    return json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def _xml_term(term: object) -> str:
    if isinstance(term, ox.NamedNode):
        return f"<uri>{escape(term.value)}</uri>"
    if isinstance(term, ox.BlankNode):
        return f"<bnode>{escape(term.value)}</bnode>"
    if isinstance(term, ox.Literal):
        if term.language:
            return f"<literal xml:lang={quoteattr(term.language)}>{escape(term.value)}</literal>"
        if term.datatype.value != XSD_STRING:
            return f"<literal datatype={quoteattr(term.datatype.value)}>{escape(term.value)}</literal>"
        return f"<literal>{escape(term.value)}</literal>"
    if isinstance(term, ox.Triple):
        parts = (("subject", term.subject), ("predicate", term.predicate), ("object", term.object))
        return "<triple>" + "".join(f"<{name}>{_xml_term(part)}</{name}>" for name, part in parts) + "</triple>"
    raise TypeError(f"unexpected term in a SPARQL result: {term!r}")


def write_xml(variables: Sequence[str], rows: Sequence[Row]) -> bytes:
    out = io.StringIO()
    out.write('<?xml version="1.0"?>\n<sparql xmlns="http://www.w3.org/2005/sparql-results#"><head>')
    out.writelines(f"<variable name={quoteattr(name)}/>" for name in variables)
    out.write("</head><results>")
    for row in rows:
        out.write("<result>")
        for name, term in zip(variables, row, strict=True):
            if term is not None:
                out.write(f"<binding name={quoteattr(name)}>{_xml_term(term)}</binding>")
        out.write("</result>")
    out.write("</results></sparql>\n")
    return out.getvalue().encode("utf-8")


def _csv_value(term: object | None) -> str:
    if term is None:
        return ""
    if isinstance(term, ox.NamedNode | ox.Literal):
        return term.value
    return str(term)  # _:label for blank nodes, << … >> for triple terms


def write_csv(variables: Sequence[str], rows: Sequence[Row]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(variables)
    writer.writerows([_csv_value(term) for term in row] for row in rows)
    return out.getvalue().encode("utf-8")


def _tsv_value(term: object | None) -> str:
    return "" if term is None else str(term)  # N-Triples form: "…" with \t, \n, \r and " escaped


def write_tsv(variables: Sequence[str], rows: Sequence[Row]) -> bytes:
    lines = ["\t".join(f"?{name}" for name in variables)]
    lines.extend("\t".join(_tsv_value(term) for term in row) for row in rows)
    return ("\n".join(lines) + "\n").encode("utf-8")


WRITERS: dict[str, Writer] = {
    "application/sparql-results+json": write_json,
    "application/sparql-results+xml": write_xml,
    "text/csv": write_csv,
    "text/tab-separated-values": write_tsv,
}
"""Writer per results media type (the media types of graph.formats.RESULTS_SYNTAXES)."""


def solutions_writer(media_type: str) -> Writer:
    try:
        return WRITERS[media_type]
    except KeyError:
        raise ValueError(f"no SPARQL results writer for {media_type!r}; one of {sorted(WRITERS)}") from None
