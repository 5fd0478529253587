"""A query worker process: evaluates queries on a read-only instance of a snapshot of the store.

Started by :class:`graph.query_runner.ProcessPoolRunner` as ``python -m graph.query_worker FD``,
with one end of a socket pair as file descriptor FD. It receives ``(generation, SNAPSHOT,
EvalRequest)``, opens directory SNAPSHOT read-only when the generation differs from the one it
has open (graph/store_snapshots.py: a checkpoint nobody writes), says ``("opened",)`` (the
parent's timeout for the query starts there), and answers ``("ok", EvalAnswer)`` or ``("error",
kind, message, limit)``. The parent kills the process when a query overruns its timeout; nothing
here has to be interruptible. Only pyoxigraph and the standard library are imported, so a fresh
worker is ready in a fraction of a second.
"""

from __future__ import annotations

import sys
from multiprocessing.connection import Connection

import pyoxigraph as ox

from graph.query_eval import EvalFailure, EvalRequest, evaluate


def serve(connection: Connection) -> None:
    store: ox.Store | None = None
    generation: int | None = None
    while True:
        try:
            message = connection.recv()
        except EOFError:  # the parent closed its end: stop
            return
        if message is None:
            return
        wanted, snapshot, request = message
        assert isinstance(request, EvalRequest)
        try:
            if store is None or wanted != generation:
                store = None  # close the older snapshot first
                store, generation = ox.Store.read_only(snapshot), wanted
            connection.send(("opened",))
            connection.send(("ok", evaluate(store, request)))
        except EvalFailure as failure:
            connection.send(("error", failure.kind, failure.message, failure.limit))
        except (OSError, RuntimeError) as error:
            connection.send(("error", "failed", f"the store could not be read: {error}; try again", None))


def main(argv: list[str]) -> None:
    serve(Connection(int(argv[1])))


if __name__ == "__main__":
    main(sys.argv)
