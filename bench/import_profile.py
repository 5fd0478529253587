"""Profile one records import, and optionally dump the store to compare two versions of the importer.

    python bench/import_profile.py RECORDS --workers 1 --profile          # cProfile, top functions
    python bench/import_profile.py RECORDS --workers 2 --dump before.nq   # sorted N-Quads of the store

Imports ``RECORDS`` into a fresh on-disk store under ``--data-dir`` and prints wall time, CPU of
this process and of its finished workers, the phases of ``ImportReport.seconds`` and the load
average. ``--dump`` writes every quad of the store (source graph and union; the import time
``prov:generatedAtTime`` left out) as sorted N-Quads, next to a ``.report`` file with the counts,
rejected records and notes: two dumps made by two versions of the importer are equal (``cmp``)
when they write the same triples and report the same. ``--profile`` profiles the importing
process only (with ``--workers`` > 1 the workers' share shows as waiting).
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import shutil
import time
from pathlib import Path

import pyoxigraph as ox

from graph.importer import ImportOptions, import_records
from graph.iris import IriMinter
from graph.store import OxigraphStore

GENERATED_AT = "http://www.w3.org/ns/prov#generatedAtTime"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("records", type=Path)
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--data-dir", type=Path, default=Path("bench/out/import-profile"))
    parser.add_argument("--profile", action="store_true", help="cProfile the import, print the top functions")
    parser.add_argument("--dump", type=Path, help="write the store's quads as sorted N-Quads here")
    args = parser.parse_args()
    shutil.rmtree(args.data_dir, ignore_errors=True)
    store = OxigraphStore(args.data_dir / "store")
    profile = cProfile.Profile() if args.profile else None
    started, cpu = time.perf_counter(), time.process_time()
    if profile is not None:
        profile.enable()
    report = import_records(store, args.records, IriMinter(), ImportOptions(workers=args.workers))
    if profile is not None:
        profile.disable()
    children = os.times().children_user + os.times().children_system
    phases = ", ".join(f"{name} {value:.1f} s" for name, value in report.seconds.items())
    print(
        f"{report.read:,} read, {report.written:,} written, {len(report.rejected):,} rejected, "
        f"{len(report.notes):,} notes in {time.perf_counter() - started:.1f} s; CPU {time.process_time() - cpu:.1f} s "
        f"(importing process) + {children:.1f} s (workers); phases: {phases}; load {os.getloadavg()[0]:.1f}"
    )
    if args.dump is not None:
        lines = sorted(
            (ox.serialize([quad], format=ox.RdfFormat.N_QUADS) or b"").decode("utf-8")
            for quad in store.native
            if quad.predicate.value != GENERATED_AT
        )
        args.dump.write_text("".join(lines), encoding="utf-8")
        outcome = (report.written, [r.to_json() for r in report.rejected], report.notes)
        args.dump.with_suffix(".report").write_text(repr(outcome), encoding="utf-8")
        print(f"{len(lines):,} quads written to {args.dump}")
    store.close()
    if profile is not None:
        stats = pstats.Stats(profile)
        stats.sort_stats("tottime").print_stats(30)


if __name__ == "__main__":
    main()
