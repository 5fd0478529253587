"""Check the gold named-entity annotation in tests/data/gold/ against the raw corpus.

Usage (from the project root):

    python tests/data/gold/check_gold.py [--corpus DIR]

The corpus directory defaults to $KGCAT_CORPUS or /work/shared/corpus. Standard library only.
Exits with status 1 and lists every problem if any check fails.
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import re
import sys
from collections import Counter, defaultdict
from pathlib import Path

GOLD_DIR = Path(__file__).resolve().parent
TYPES = ("Department", "Dataset", "Policy", "Project", "Organization", "Indicator")
MENTION_KEYS = {"type", "text", "start", "end", "canonical", "line"}
OPTIONAL_KEYS = {"normalised"}
INDICATOR_KEYS = {"name", "unit", "baseline", "target", "nature", "category", "start", "end"}
NATURES = ("预期性", "约束性", None)
PLAN_DOC = "003_74b7d6b0a6dbf2b1"
WS = re.compile(r"\s+")


def load_jsonl(path: Path, errors: list[str]) -> list[dict]:
    rows = []
    with path.open(encoding="utf-8") as fh:
        for lineno, line in enumerate(fh, 1):
            if not line.strip():
                errors.append(f"{path.name}:{lineno}: blank line")
                continue
            try:
                rows.append(json.loads(line))
            except json.JSONDecodeError as exc:
                errors.append(f"{path.name}:{lineno}: invalid JSON ({exc})")
    return rows


def check_mentions(doc: str, raw: str, rows: list[dict], errors: list[str]) -> None:
    where = f"{doc}.jsonl"
    spans = []
    for i, r in enumerate(rows, 1):
        loc = f"{where}:{i}"
        keys = set(r)
        if not keys >= MENTION_KEYS:
            errors.append(f"{loc}: missing keys {sorted(MENTION_KEYS - keys)}")
            continue
        if keys - MENTION_KEYS - OPTIONAL_KEYS:
            errors.append(f"{loc}: unexpected keys {sorted(keys - MENTION_KEYS - OPTIONAL_KEYS)}")
        if r["type"] not in TYPES:
            errors.append(f"{loc}: invalid type {r['type']!r}")
        if r["type"] == "Indicator" and doc != PLAN_DOC:
            errors.append(f"{loc}: Indicator mentions are only expected in {PLAN_DOC}")
        s, e = r["start"], r["end"]
        if not (isinstance(s, int) and isinstance(e, int) and 0 <= s < e <= len(raw)):
            errors.append(f"{loc}: bad offsets {s}..{e}")
            continue
        if raw[s:e] != r["text"]:
            errors.append(f"{loc}: raw[{s}:{e}] == {raw[s:e]!r} != text {r['text']!r}")
        if r["line"] != raw.count("\n", 0, s) + 1:
            errors.append(f"{loc}: line {r['line']} != {raw.count(chr(10), 0, s) + 1}")
        if not isinstance(r["canonical"], str) or not r["canonical"].strip():
            errors.append(f"{loc}: empty canonical")
        if r["text"] != r["text"].strip():
            errors.append(f"{loc}: text has leading/trailing whitespace")
        if WS.search(r["text"]) and not r.get("normalised"):
            errors.append(f"{loc}: text contains whitespace but has no 'normalised'")
        if "normalised" in r and (
            not isinstance(r["normalised"], str) or not r["normalised"] or WS.search(r["normalised"])
        ):
            errors.append(f"{loc}: bad normalised {r.get('normalised')!r}")
        spans.append((s, e, i))
    spans.sort()
    for (s1, e1, i1), (s2, e2, i2) in itertools.pairwise(spans):
        if s2 < e1:
            errors.append(f"{where}: lines {i1} and {i2} overlap ({s1}..{e1} / {s2}..{e2})")
    lines = [(r["start"], r["end"]) for r in rows if "start" in r and "end" in r]
    if lines != sorted(lines):
        errors.append(f"{where}: mentions are not sorted by offset")


def check_indicators(raw: str, rows: list[dict], mentions: list[dict], errors: list[str]) -> None:
    ind_spans = {(m["start"], m["end"]) for m in mentions if m.get("type") == "Indicator"}
    names = set()
    for i, r in enumerate(rows, 1):
        loc = f"indicators.jsonl:{i}"
        keys = set(r)
        if not keys >= INDICATOR_KEYS:
            errors.append(f"{loc}: missing keys {sorted(INDICATOR_KEYS - keys)}")
            continue
        s, e = r["start"], r["end"]
        if not (isinstance(s, int) and isinstance(e, int) and 0 <= s < e <= len(raw)):
            errors.append(f"{loc}: bad offsets {s}..{e}")
            continue
        if WS.sub("", raw[s:e]) != r["name"]:
            errors.append(f"{loc}: raw[{s}:{e}] == {raw[s:e]!r} does not match name {r['name']!r}")
        if r["nature"] not in NATURES:
            errors.append(f"{loc}: invalid nature {r['nature']!r}")
        for k in ("name", "unit", "target"):
            if not isinstance(r[k], str) or not r[k]:
                errors.append(f"{loc}: {k} must be a non-empty string")
        if (s, e) not in ind_spans:
            errors.append(f"{loc}: no Indicator mention with span {s}..{e} in {PLAN_DOC}.jsonl")
        if r["name"] in names:
            errors.append(f"{loc}: duplicate indicator {r['name']!r}")
        names.add(r["name"])
    for m in mentions:
        if m.get("type") == "Indicator" and m.get("canonical") not in names:
            errors.append(
                f"{PLAN_DOC}.jsonl: Indicator canonical {m.get('canonical')!r} is not a row of indicators.jsonl"
            )


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--corpus", default=os.environ.get("KGCAT_CORPUS", "/work/shared/corpus"))
    args = ap.parse_args()
    corpus = Path(args.corpus)

    errors: list[str] = []
    docs = sorted(p.stem for p in GOLD_DIR.glob("*.jsonl") if p.stem != "indicators")
    if not docs:
        errors.append(f"no document annotation files in {GOLD_DIR}")
    per_doc: dict[str, Counter] = {}
    canon_types: dict[str, set[str]] = defaultdict(set)
    canon_by_type: dict[str, set[str]] = defaultdict(set)
    plan_raw, plan_rows = None, []
    for doc in docs:
        src = corpus / f"{doc}.txt"
        if not src.exists():
            errors.append(f"{doc}.jsonl: corpus file {src} not found")
            continue
        raw = src.read_text(encoding="utf-8")
        rows = load_jsonl(GOLD_DIR / f"{doc}.jsonl", errors)
        check_mentions(doc, raw, rows, errors)
        per_doc[doc] = Counter(r.get("type") for r in rows)
        for r in rows:
            if "canonical" in r and "type" in r:
                canon_types[r["canonical"]].add(r["type"])
                canon_by_type[r["type"]].add(r["canonical"])
        if doc == PLAN_DOC:
            plan_raw, plan_rows = raw, rows
    for canon, types in sorted(canon_types.items()):
        if len(types) > 1:
            errors.append(f"canonical {canon!r} is used with several types: {sorted(types)}")

    ind_path = GOLD_DIR / "indicators.jsonl"
    n_ind = 0
    if not ind_path.exists():
        errors.append("indicators.jsonl is missing")
    elif plan_raw is None:
        errors.append(f"cannot check indicators.jsonl without {PLAN_DOC}")
    else:
        ind_rows = load_jsonl(ind_path, errors)
        n_ind = len(ind_rows)
        check_indicators(plan_raw, ind_rows, plan_rows, errors)

    width = max([len(t) for t in TYPES]) + 2
    print("Mentions by type per document")
    print("document".ljust(24) + "".join(t[:11].rjust(width) for t in TYPES) + "total".rjust(8))
    totals = Counter()
    for doc, c in per_doc.items():
        totals.update(c)
        print(doc.ljust(24) + "".join(str(c.get(t, 0)).rjust(width) for t in TYPES) + str(sum(c.values())).rjust(8))
    print(
        "all".ljust(24)
        + "".join(str(totals.get(t, 0)).rjust(width) for t in TYPES)
        + str(sum(totals.values())).rjust(8)
    )
    print()
    print("Distinct canonical entities per type")
    for t in TYPES:
        print(f"  {t:<14}{len(canon_by_type.get(t, ())):>5}")
    print(f"  {'all':<14}{sum(len(v) for v in canon_by_type.values()):>5}")
    print(f"\nindicators.jsonl rows: {n_ind}")

    if errors:
        print(f"\nFAILED: {len(errors)} problem(s)", file=sys.stderr)
        for err in errors:
            print("  " + err, file=sys.stderr)
        return 1
    print("\nOK: all gold checks passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
