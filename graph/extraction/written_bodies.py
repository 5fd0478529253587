"""Department names the page itself spells out, where no table gives the official name.

A department candidate's canonical comes from the tables (departments.tsv, city_bodies.tsv); for a
body no table of its place holds, what the page writes is the better evidence:

* a short form runs through the one fuller name of the same place the page writes
  (区新经科局 after …区新经济和科技局), and a written-out name ending in 办 is an office;
* in a city no table holds, a city bureau is named as its district's bureau written out on the
  page (市大数据局 with 市南区大数据发展管理局 → 青岛市大数据发展管理局);
* a body written out with its place (蜀山区数据资源局, 广西壮族自治区大数据发展局) whose name neither
  the tables of its place nor the names used across China (region * of city_bodies.tsv) hold is
  named as written, not as another listed place names it (杭州's 数据资源管理局), and so is the
  same name after 区 / 市 / 省 alone (区数据资源局, 市数据资源局 → 合肥市数据资源局).
"""

from __future__ import annotations

from dataclasses import replace

from graph.extraction.candidates import Candidate
from graph.extraction.context import DocumentContext


def named_as_written(ctx: DocumentContext, candidates: list[Candidate]) -> list[Candidate]:
    """The candidates with the canonical names the page supports (module docstring)."""
    return _mirrored_city_bodies(ctx, _spelt_out(ctx, _named_where_written(ctx, candidates)))


_LEVELS = ("district", "municipal", "provincial")
_PLACE_ALONE = ("区", "市", "省", "自治区")


def _named_where_written(ctx: DocumentContext, candidates: list[Candidate]) -> list[Candidate]:
    """Bodies named as the page writes them with their place, where only another place's table
    names them otherwise (module docstring, third point)."""
    if ctx.vocab.city == ctx.vocab.home_city:
        return candidates
    written = {
        body
        for candidate in candidates
        if (body := _body_written(ctx, candidate))
        and not _place_alone(ctx, candidate)
        and _named_elsewhere(ctx, candidate, body)
    }
    named = []
    for candidate in candidates:
        body = _body_written(ctx, candidate)
        if body in written and _named_elsewhere(ctx, candidate, body) and candidate.get("place") not in _PLACE_ALONE:
            candidate = replace(candidate, canonical=str(candidate.get("place")) + body)
        named.append(candidate)
    return named


def _body_written(ctx: DocumentContext, candidate: Candidate) -> str | None:
    """The body's name after its place as the page writes it (数据资源局 of 蜀山区数据资源局)."""
    if candidate.rule != "department.functional" or candidate.get("level") not in _LEVELS:
        return None
    body_start = candidate.get("body_start")
    return ctx.text[body_start : candidate.end] if isinstance(body_start, int) else None


def _place_alone(ctx: DocumentContext, candidate: Candidate) -> bool:
    return ctx.text[candidate.start : int(candidate.get("body_start"))] in _PLACE_ALONE


def _named_elsewhere(ctx: DocumentContext, candidate: Candidate, body: str) -> bool:
    """Whether the canonical is not the written name though no table of the body's place, nor the
    names used across China, holds it."""
    if str(candidate.canonical).endswith(body):
        return False
    level, region = candidate.get("level"), candidate.get("region")
    tables = ctx.lexicon.local_departments
    return (region, level, body) not in tables and ("*", level, body) not in tables


def _spelt_out(ctx: DocumentContext, candidates: list[Candidate]) -> list[Candidate]:
    """Names no table spells out, as written (canonical = place + the text): a short form whose
    characters run in order through the one fuller name of the same place and head the document
    writes takes that name (区新经科局 after …区新经济和科技局); a written-out name ending in 办 (its
    words joined by 和) is an office (…管理和网络理政办 → …办公室)."""
    written = {c.canonical for c in candidates if c.canonical and _as_written(ctx, c)}
    spelt: list[Candidate] = []
    for candidate in candidates:
        name = candidate.canonical
        if name and candidate.rule == "department.functional" and _as_written(ctx, candidate):
            fuller = [f for f in written if len(f) > len(name) and _abbreviates(name, f)]
            if len(fuller) == 1:
                candidate = replace(candidate, canonical=fuller[0])
            elif name.endswith("办") and "和" in ctx.text[candidate.start : candidate.end]:
                candidate = replace(candidate, canonical=name + "公室")
        spelt.append(candidate)
    return spelt


def _mirrored_city_bodies(ctx: DocumentContext, candidates: list[Candidate]) -> list[Candidate]:
    """``市大数据局`` on a page that writes ``市南区大数据发展管理局``: in a city no table holds, a
    city bureau is named as its districts' bureaus are (a district's bodies mirror the city's), when
    its short name runs through the one district body name written out on the page."""
    vocab = ctx.vocab
    if any(region == vocab.city for region, _, _ in ctx.lexicon.local_departments):
        return candidates
    district_places = tuple(sorted((vocab.district_name(d) for d in vocab.districts), key=len, reverse=True))
    written = set()
    for candidate in candidates:
        place = next((p for p in district_places if str(candidate.canonical).startswith(p)), None)
        if place and candidate.rule == "department.functional" and _as_written(ctx, candidate):
            written.add(str(candidate.canonical)[len(place) :])
    mirrored = []
    for candidate in candidates:
        name = str(candidate.canonical or "")
        body = name.removeprefix(vocab.city_name)
        if candidate.get("level") == "municipal" and body != name:
            fuller = [
                w for w in written if len(w) > len(body) and _abbreviates(vocab.city_name + body, vocab.city_name + w)
            ]
            if len(fuller) == 1:
                candidate = replace(candidate, canonical=vocab.city_name + fuller[0])
        mirrored.append(candidate)
    return mirrored


def _as_written(ctx: DocumentContext, candidate: Candidate) -> bool:
    surface = ctx.text[candidate.start : candidate.end]
    return bool(candidate.canonical) and str(candidate.canonical).endswith(surface.removeprefix("区"))


def _abbreviates(short: str, full: str) -> bool:
    """Whether ``short`` is ``full`` with characters of its body left out: the same place before
    the body's first character and the same last character."""
    common = 0
    while common < len(short) and common < len(full) and short[common] == full[common]:
        common += 1
    place = max(short.rfind(level, 0, common) for level in "省市区") + 1
    body, rest = short[place:], full[place:]
    if len(body) < 3 or place == 0 or body[0] != rest[0] or body[-1] != rest[-1]:
        return False
    characters = iter(rest)
    return all(c in characters for c in body)
