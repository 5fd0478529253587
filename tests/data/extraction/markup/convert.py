"""Build an imitation document and its gold JSONL from inline markup.

Usage (from the project root)::

    python tests/data/extraction/markup/convert.py tests/data/extraction/markup/baoshan_newspaper.src

Markup: ``⟦T|surface⟧`` or ``⟦T|surface|canonical⟧`` with T one of D (Department), S (Dataset),
P (Policy), J (Project), O (Organization), I (Indicator: a row name of a 主要指标 table, whose rows
are written by hand in ``indicators/NAME.jsonl`` next to the document). The surface is copied
verbatim into the document (it may hold page breaks); without an explicit canonical the
canonical is the surface with spacing removed and whole-name quotes dropped. Writes ``NAME.txt``
and ``NAME.jsonl`` next to this folder, in the format of tests/data/gold/ (raw offsets, ``line``,
``normalised``).
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

TYPES = {"D": "Department", "S": "Dataset", "P": "Policy", "J": "Project", "O": "Organization", "I": "Indicator"}
MARK = re.compile(r"⟦([DSPJOI])\|([^|⟧]+)(?:\|([^⟧]+))?⟧")
SPACE = re.compile(r"\s")
OUT = Path(__file__).resolve().parent.parent


def default_canonical(surface: str) -> str:
    """The surface without spacing and without quotes around the whole name."""
    compact = SPACE.sub("", surface)
    whole = compact.startswith("“") and compact.endswith("”") and compact.count("“") == 1
    return compact[1:-1] if whole else compact


def convert(source: Path) -> tuple[str, list[dict[str, object]]]:
    """The raw document and its mentions."""
    marked = source.read_text(encoding="utf-8")
    pieces: list[str] = []
    rows: list[dict[str, object]] = []
    length = position = 0
    for match in MARK.finditer(marked):
        before = marked[position : match.start()]
        pieces.append(before)
        length += len(before)
        surface = match.group(2)
        pieces.append(surface)
        rows.append(
            {
                "type": TYPES[match.group(1)],
                "text": surface,
                "start": length,
                "end": length + len(surface),
                "canonical": match.group(3) or default_canonical(surface),
            }
        )
        length += len(surface)
        position = match.end()
    pieces.append(marked[position:])
    raw = "".join(pieces)
    if "⟦" in raw or "⟧" in raw:
        raise SystemExit(f"{source}: unbalanced markup")
    for row in rows:
        start = int(row["start"])  # type: ignore[call-overload]
        row["line"] = raw.count("\n", 0, start) + 1
        if SPACE.search(str(row["text"])):
            row["normalised"] = SPACE.sub("", str(row["text"]))
    return raw, rows


def main() -> None:
    for name in sys.argv[1:]:
        source = Path(name)
        raw, rows = convert(source)
        (OUT / f"{source.stem}.txt").write_text(raw, encoding="utf-8")
        with (OUT / f"{source.stem}.jsonl").open("w", encoding="utf-8") as handle:
            handle.writelines(json.dumps(row, ensure_ascii=False) + "\n" for row in rows)
        print(f"{source.stem}: {len(raw)} characters, {len(rows)} mentions")


if __name__ == "__main__":
    main()
