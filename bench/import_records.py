"""Benchmark: import a records file into a fresh on-disk store; prints time, peak memory and counts.

    python bench/import_records.py ../shared/peer/cn-gov-open-data/shanghai_data_sh_gov_cn.jsonl
    python bench/import_records.py ../shared/peer/cn-gov-open-data/cn_open_data_catalogue.jsonl.gz --workers 2

Peak memory is the process's maximum resident set size (ru_maxrss) plus that of its worker
processes (RUSAGE_CHILDREN), as reported by the kernel.
"""

from __future__ import annotations

import argparse
import resource
import tempfile
import time
from pathlib import Path

from graph.catalogue import install_vocabulary
from graph.importer import ImportOptions, import_records
from graph.iris import IriMinter
from graph.store import OxigraphStore


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("records", type=Path)
    parser.add_argument("--workers", type=int, default=1, help="validation worker processes")
    parser.add_argument("--batch-size", type=int, default=1000)
    args = parser.parse_args()
    minter = IriMinter()
    with tempfile.TemporaryDirectory(prefix="kgcat-bench-") as directory:
        store = OxigraphStore(Path(directory) / "store")
        install_vocabulary(store, minter)
        started = time.perf_counter()
        report = import_records(
            store, args.records, minter, ImportOptions(workers=args.workers, batch_size=args.batch_size)
        )
        seconds = time.perf_counter() - started
        size = sum(f.stat().st_size for f in (Path(directory) / "store").rglob("*") if f.is_file())
        datasets = store.query("SELECT (COUNT(?d) AS ?n) WHERE { ?d a dcat:Dataset }").rows[0]["n"]
        store.close()
    self_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    children_kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    print(f"file: {args.records}")
    print(
        f"records read: {report.read}; written: {report.written}; duplicates skipped: {report.duplicates}; "
        f"rejected: {len(report.rejected)}; notes: {len(report.notes)}"
    )
    print(f"datasets in store: {datasets}")
    print(f"import time: {seconds:.1f} s ({report.read / seconds:.0f} records/s) with {args.workers} worker(s)")
    print(f"peak RSS: main {self_kb / 1024:.0f} MiB, largest worker {children_kb / 1024:.0f} MiB")
    print(f"store size on disk: {size / 2**20:.0f} MiB")


if __name__ == "__main__":
    main()
