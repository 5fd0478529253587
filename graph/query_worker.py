"""A query worker process: evaluates queries on a read-only instance of the on-disk store.

Started by :class:`graph.query_runner.ProcessPoolRunner` as ``python -m graph.query_worker FD
STORE GENERATION``, with one end of a socket pair as file descriptor FD. It receives
``(generation, EvalRequest)``, says ``("opened",)`` once it has that generation's snapshot open
(the parent's timeout for the query starts there), and answers ``("ok", EvalAnswer)`` or
``("error", kind, message, limit)``. A RocksDB read-only instance is a snapshot taken when it
opens, so the worker reopens the store whenever the writer's generation counter moved on. The
parent kills the process when a query overruns its timeout; nothing here has to be
interruptible. Only pyoxigraph and the standard library are imported, so a fresh worker is ready
in a fraction of a second.
"""

from __future__ import annotations

import sys
import time
from multiprocessing.connection import Connection

import pyoxigraph as ox

from graph.query_eval import EvalAnswer, EvalFailure, EvalRequest, evaluate

OPEN_ATTEMPTS = 8


def open_read_only(path: str) -> ox.Store:
    """Open a read-only instance, retrying briefly: the primary may be deleting files it just compacted
    (RocksDB then reports the manifest as corrupt for a moment)."""
    for attempt in range(OPEN_ATTEMPTS):
        try:
            return ox.Store.read_only(path)
        except (OSError, RuntimeError):
            if attempt == OPEN_ATTEMPTS - 1:
                raise
            time.sleep(0.02 * 2**attempt)
    raise AssertionError("unreachable")


def serve(connection: Connection, path: str, generation: int) -> None:
    store = open_read_only(path)
    while True:
        try:
            message = connection.recv()
        except EOFError:  # the parent closed its end: stop
            return
        if message is None:
            return
        wanted, request = message
        assert isinstance(request, EvalRequest)
        try:
            if wanted != generation:
                store, generation = open_read_only(path), wanted
            connection.send(("opened",))
            store, answer = _evaluate_or_reopen(store, path, request)
            connection.send(("ok", answer))
        except EvalFailure as failure:
            connection.send(("error", failure.kind, failure.message, failure.limit))
        except (OSError, RuntimeError) as error:
            connection.send(("error", "failed", f"the store could not be read: {error}; try again", None))


def _evaluate_or_reopen(store: ox.Store, path: str, request: EvalRequest) -> tuple[ox.Store, EvalAnswer]:
    """Evaluate; if the snapshot lost a file to the writer's compaction, reopen once and evaluate again."""
    try:
        return store, evaluate(store, request)
    except EvalFailure as failure:
        if failure.kind != "failed" or not any(word in failure.message for word in ("Corruption", "IO error")):
            raise
    store = open_read_only(path)
    return store, evaluate(store, request)


def main(argv: list[str]) -> None:
    descriptor, path, generation = int(argv[1]), argv[2], int(argv[3])
    serve(Connection(descriptor), path, generation)


if __name__ == "__main__":
    main(sys.argv)
