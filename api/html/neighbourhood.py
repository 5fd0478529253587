"""A small server-rendered SVG of an entity's neighbourhood: the entity in the middle, its links around it.

No JavaScript and no library: nodes sit on a circle, each edge is labelled with the Chinese name
of its property and points the way the triple does, each neighbour is a link to its own page
(keyboard-focusable, with a ``<title>`` for screen readers). Labels are escaped and shortened.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from api.html.layout import attr, text

WIDTH, HEIGHT = 800, 460
RADIUS = 175
X_STRETCH = 1.25
MAX_NEIGHBOURS = 16
LABEL_CHARS = 12


@dataclass(frozen=True)
class Neighbour:
    href: str
    label: str
    relation: str
    outgoing: bool
    """True when the shown entity points at the neighbour, False when the neighbour points at it."""
    co_mention: bool = False
    """Not a triple: both are named by the same document (a dashed line without arrow)."""


def _short(label: str, limit: int = LABEL_CHARS) -> str:
    return label if len(label) <= limit else label[: limit - 1] + "…"


def neighbourhood_svg(centre: str, neighbours: Sequence[Neighbour]) -> str:
    """The SVG (an ``<svg>`` element) of ``centre`` and at most MAX_NEIGHBOURS neighbours; empty if none."""
    shown = list(neighbours)[:MAX_NEIGHBOURS]
    if not shown:
        return ""
    cx, cy = WIDTH / 2, HEIGHT / 2
    edges, nodes = [], []
    for index, neighbour in enumerate(shown):
        angle = 2 * math.pi * index / len(shown) - math.pi / 2
        x, y = cx + RADIUS * X_STRETCH * math.cos(angle), cy + RADIUS * math.sin(angle)
        start, end = ((cx, cy), (x, y)) if neighbour.outgoing else ((x, y), (cx, cy))
        lx, ly = cx + (x - cx) * 0.55, cy + (y - cy) * 0.55
        style = 'stroke-dasharray="5 4"' if neighbour.co_mention else 'marker-end="url(#arrow)"'
        edges.append(
            f'<line x1="{start[0]:.1f}" y1="{start[1]:.1f}" x2="{end[0]:.1f}" y2="{end[1]:.1f}" '
            f'stroke="#8c959f" stroke-width="1.4" {style}/>'
            f'<text x="{lx:.1f}" y="{ly:.1f}" font-size="11" fill="#57606a" text-anchor="middle" '
            f'paint-order="stroke" stroke="#fbfcfe" stroke-width="3">{text(_short(neighbour.relation, 8))}</text>'
        )
        anchor = "start" if x > cx + 5 else "end" if x < cx - 5 else "middle"
        dx = 12 if anchor == "start" else -12 if anchor == "end" else 0
        dy = 4 if anchor != "middle" else (-14 if y < cy else 22)
        nodes.append(
            f'<a href="{attr(neighbour.href)}"><title>{text(neighbour.relation)}:{text(neighbour.label)}</title>'
            f'<circle cx="{x:.1f}" cy="{y:.1f}" r="8" fill="#e7f0fb" stroke="#0b5cad" stroke-width="2"/>'
            f'<text x="{x + dx:.1f}" y="{y + dy:.1f}" font-size="13" fill="#0b5cad" text-anchor="{anchor}">'
            f"{text(_short(neighbour.label))}</text></a>"
        )
    more = len(neighbours) - len(shown)
    note = (
        f'<text x="{WIDTH - 10}" y="{HEIGHT - 10}" font-size="12" fill="#57606a" text-anchor="end">'
        f"另有 {more} 个未画出</text>"
        if more > 0
        else ""
    )
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" width="{WIDTH}" height="{HEIGHT}" '
        f'role="img" aria-labelledby="graph-title"><title id="graph-title">「{text(centre)}」的关联图:'
        f"{len(shown)} 个相连的条目</title>"
        '<defs><marker id="arrow" viewBox="0 0 10 10" refX="18" refY="5" markerWidth="7" markerHeight="7" '
        'orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="#8c959f"/></marker></defs>'
        + "".join(edges)
        + f'<circle cx="{cx}" cy="{cy}" r="14" fill="#0b5cad"/>'
        f'<text x="{cx}" y="{cy + 34}" font-size="15" font-weight="700" text-anchor="middle" fill="#1f2328" '
        f'paint-order="stroke" stroke="#fbfcfe" stroke-width="4">{text(_short(centre, 18))}</text>'
        + "".join(nodes)
        + note
        + "</svg>"
    )
