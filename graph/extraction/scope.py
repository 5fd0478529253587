"""Which project names are generic, so that their IRIs are scoped by district or document.

A project name that carries an anchor names one thing wherever it is written, and its IRI is
minted from the name alone: a place (桃浦智创城, 上海市大数据资源平台, 徐汇区中心医院“云医院”),
a quoted or bracketed part (“数字新要素”流通工程), Latin letters or digits (5G+智慧城管), a known
platform (一网通办), an organization (华为鲲鹏中心), or a coined word that the dictionary does
not know (鑫耀中心, 汇治理, 模速空间). A name made only of common words (一张图, 规划一张图,
大数据资源管理服务平台, 长风生态商务区) may name a different undertaking in every district
that builds one; it is *generic*, and the mapping layer mints its IRI from the name and the
district of the document (or the document itself when no district is known). Policies,
departments, organizations and datasets are not scoped here: policy titles and official
names carry their issuer (上海市徐汇区…, 普陀区关于…), and datasets are already keyed by their
district catalogue.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace

from graph.extraction.context import DocumentContext
from graph.extraction.layout import is_han
from graph.extraction.quoted import quote_rules
from graph.extraction.records import Entity, EntityType

SCOPED_TYPES = (EntityType.PROJECT,)
_MARKS = "“”‘’「」『』《》（）()"


def is_generic_name(ctx: DocumentContext, name: str) -> bool:
    """Whether a project name is made only of common words (see the module docstring)."""
    if any(c in _MARKS or (c.isascii() and c.isalnum()) or c.isdigit() for c in name):
        return False
    vocab, lexicon = ctx.vocab, ctx.lexicon
    if any(place in name for place in (*vocab.districts, *vocab.places)):
        return False
    if any(surface in name or canonical in name for _, surface, canonical in lexicon.gazetteer):
        return False
    organizations = (*lexicon.organizations, *(s.suffix for s in lexicon.suffixes("organization")))
    if any(organization in name for organization in organizations):
        return False
    return not _coined(ctx, _without_counted_platforms(ctx, name))


def _without_counted_platforms(ctx: DocumentContext, name: str) -> str:
    """一张图 / 一张网 removed: a counted platform noun is a common phrase, not a coinage."""
    heads = quote_rules(ctx.lexicon).counted_heads
    position = name.find("一")
    while 0 <= position <= len(name) - 3:
        if name[position + 2] in heads:
            name = name[:position] + name[position + 3 :]
            position = name.find("一")
        else:
            position = name.find("一", position + 1)
    return name


def _coined(ctx: DocumentContext, name: str) -> bool:
    """A Han character the dictionary segments on its own that is no common word (鑫, 耀, 汇),
    the last character (the head noun: 厅, 港) excepted."""
    vocab = ctx.vocab
    common = vocab.generic | vocab.left_chars | vocab.numerals | vocab.classifiers
    tokens = ctx.segmenter.tokens(name) if name else ()
    position = 0
    for token in tokens:
        position += len(token)
        if len(token) == 1 and is_han(token) and token not in common and position < len(name):
            return True
    return False


def mark_generic(entities: Iterable[Entity], ctx: DocumentContext) -> tuple[Entity, ...]:
    """The entities with ``generic`` set for project names made only of common words."""
    return tuple(
        replace(e, generic=True) if e.type in SCOPED_TYPES and is_generic_name(ctx, e.canonical) else e
        for e in entities
    )
