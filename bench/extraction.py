"""Benchmark: extraction quality against the gold annotation, and run time.

    python bench/extraction.py                       # corpus + imitation document
    python bench/extraction.py --corpus DIR --gold DIR
    python bench/extraction.py --large 50            # also time a synthetic 50 MB document

Matching (see graph/extraction/evaluation.py):
* mention level: a predicted mention counts when its type and raw [start, end) equal a gold
  mention's in the same document;
* entity level: per document, the set of (type, canonical name) pairs;
* indicator rows: (name, unit, target, nature) against tests/data/gold/indicators.jsonl.
The imitation document (tests/data/extraction/, written for generalisation) is scored apart.
"""

from __future__ import annotations

import argparse
import logging
import os
import resource
import sys
import tempfile
import time
from pathlib import Path

from graph.extraction.evaluation import (
    Score,
    load_gold,
    load_gold_indicators,
    score_entities,
    score_indicators,
    score_mentions,
    total,
)
from graph.extraction.pipeline import extract_corpus, extract_document
from graph.extraction.records import EntityType

ROOT = Path(__file__).resolve().parent.parent
GOLD = ROOT / "tests" / "data" / "gold"
IMITATION = ROOT / "tests" / "data" / "extraction"
PLAN = "003_74b7d6b0a6dbf2b1"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=Path(os.environ.get("KGCAT_CORPUS", "/work/shared/corpus")))
    parser.add_argument("--gold", type=Path, default=GOLD)
    parser.add_argument("--large", type=int, default=0, help="also time a synthetic document of this many MB")
    args = parser.parse_args()
    logging.getLogger("jieba").setLevel(logging.WARNING)
    paths = sorted(args.corpus.glob("*.txt"))
    if not paths:
        sys.exit(f"no .txt documents in {args.corpus}; pass --corpus")
    extract_document("热身")  # load jieba once, outside the timing
    started, cpu_started = time.perf_counter(), time.process_time()
    corpus = extract_corpus(paths)
    seconds, cpu = time.perf_counter() - started, time.process_time() - cpu_started
    mentions, entities = [], []
    for document in corpus.documents:
        gold = load_gold(args.gold / f"{document.doc_id}.jsonl")
        mentions.append(score_mentions(document, gold))
        entities.append(score_entities(document, gold))
    report("corpus", total(mentions), total(entities))
    plan = next((d for d in corpus.documents if d.doc_id == PLAN), None)
    if plan is not None and (args.gold / "indicators.jsonl").exists():
        rows = score_indicators(plan.indicators, load_gold_indicators(args.gold / "indicators.jsonl"))
        found = f"{rows.tp}/{rows.tp + rows.fn}"
        print(f"indicator rows: P={rows.precision:.3f} R={rows.recall:.3f} F1={rows.f1:.3f} ({found})")
    size = sum(p.stat().st_size for p in paths)
    print(
        f"corpus: {len(paths)} documents, {size / 1024:.0f} KiB, extracted in {seconds:.2f} s "
        f"({size / 1024 / seconds:.0f} KiB/s, {cpu * 1000:.0f} CPU-ms); {len(corpus.entities)} corpus entities"
    )
    imitation()
    if args.large:
        large(paths, args.large)


def imitation() -> None:
    for path in sorted(IMITATION.glob("*.txt")):
        document = extract_document(path)
        gold = load_gold(path.with_suffix(".jsonl"))
        report(f"imitation {path.name}", score_mentions(document, gold), score_entities(document, gold))
        rows_path = IMITATION / "indicators" / f"{path.stem}.jsonl"
        if rows_path.exists():
            rows = score_indicators(document.indicators, load_gold_indicators(rows_path))
            found = f"{rows.tp}/{rows.tp + rows.fn}"
            print(f"indicator rows: P={rows.precision:.3f} R={rows.recall:.3f} F1={rows.f1:.3f} ({found})")


def report(title: str, mentions: dict[EntityType, Score], entities: dict[EntityType, Score]) -> None:
    print(f"\n== {title}")
    columns = f"{'R':>6s} {'F1':>6s} {'tp/fp/fn':>11s}"
    print(f"{'type':13s} | {'mention P':>9s} {columns} | {'entity P':>8s} {columns}")
    for entity_type in EntityType:
        m = mentions.get(entity_type, Score())
        e = entities.get(entity_type, Score())
        if m.tp + m.fp + m.fn == 0 and e.tp + e.fp + e.fn == 0:
            continue
        print(
            f"{entity_type.value:13s} | {m.precision:9.3f} {m.recall:6.3f} {m.f1:6.3f} {f'{m.tp}/{m.fp}/{m.fn}':>11s} "
            f"| {e.precision:8.3f} {e.recall:6.3f} {e.f1:6.3f} {f'{e.tp}/{e.fp}/{e.fn}':>11s}"
        )


def large(paths: list[Path], megabytes: int) -> None:
    text = "\n\n".join(p.read_text(encoding="utf-8") for p in paths)
    copies = megabytes * 2**20 // len(text.encode("utf-8")) + 1
    with tempfile.TemporaryDirectory(prefix="kgcat-bench-") as directory:
        path = Path(directory) / "large.txt"
        path.write_text("\n\n".join([text] * copies), encoding="utf-8")
        size = path.stat().st_size
        started, cpu_started = time.perf_counter(), time.process_time()
        document = extract_document(path)
        seconds, cpu = time.perf_counter() - started, time.process_time() - cpu_started
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        f"\nlarge: {size / 2**20:.1f} MiB in {seconds:.1f} s ({size / 2**20 / seconds:.2f} MiB/s, {cpu:.1f} CPU-s), "
        f"{len(document.mentions)} mentions, peak RSS {peak:.0f} MiB"
    )


if __name__ == "__main__":
    main()
