"""A throw-away Virtuoso server on loopback, for the remote-store tests and bench/remote_store.py.

:class:`VirtuosoServer` writes a ``virtuoso.ini`` into a temporary directory (database, free
loopback ports for SQL and HTTP, the Debian package's default ``ResultSetMaxRows`` of 10000 so
the row-cap handling is exercised), starts ``virtuoso-t`` in the
foreground, waits until ``/sparql`` answers, and creates a user with the ``SPARQL_UPDATE`` role
through ``isql-vt``. kgcat then talks to the digest-authenticated endpoints
``/sparql-auth`` and ``/sparql-graph-crud-auth``. A missing Virtuoso is an error, not a skip:
``scripts/test.sh`` installs ``virtuoso-opensource`` (scripts/system-packages.txt).
"""

from __future__ import annotations

import shutil
import socket
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path

from graph.sparql_client import SparqlEndpoint

USER = "kgcat"
PASSWORD = "kgcat-test-password"
START_TIMEOUT_S = 90.0

INI = """\
[Database]
DatabaseFile = {dir}/virtuoso.db
ErrorLogFile = {dir}/virtuoso.log
LockFile = {dir}/virtuoso.lck
TransactionFile = {dir}/virtuoso.trx
xa_persistent_file = {dir}/virtuoso.pxa
ErrorLogLevel = 7
FileExtend = 200
MaxCheckpointRemap = 2000
Striping = 0
TempStorage = TempDatabase

[TempDatabase]
DatabaseFile = {dir}/virtuoso-temp.db
TransactionFile = {dir}/virtuoso-temp.trx
MaxCheckpointRemap = 2000
Striping = 0

[Parameters]
ServerPort = 127.0.0.1:{sql_port}
DisableUnixSocket = 1
CheckpointInterval = 60
NumberOfBuffers = 20000
MaxDirtyBuffers = 15000
ThreadsPerQuery = 1
DirsAllowed = ., {dir}
CaseMode = 2

[HTTPServer]
ServerPort = 127.0.0.1:{http_port}
ServerRoot = {dir}/vsp
ServerThreads = 4
MaxClientConnections = 8
Charset = UTF-8
EnabledGzipContent = 0

[SPARQL]
ResultSetMaxRows = 10000
MaxQueryExecutionTime = 60
MaxQueryCostEstimationTime = 400
"""

SETUP_SQL = (
    f"DB.DBA.USER_CREATE('{USER}', '{PASSWORD}'); "
    f'GRANT SPARQL_UPDATE TO "{USER}"; '
    f"DB.DBA.RDF_DEFAULT_USER_PERMS_SET('{USER}', 15);"
)


class VirtuosoMissing(RuntimeError):
    """virtuoso-t or isql-vt is not installed."""


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _binary(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        raise VirtuosoMissing(
            f"{name} is not installed: the remote-store tests need Virtuoso. Install the Debian package "
            "virtuoso-opensource (scripts/install-system-packages.sh does, from scripts/system-packages.txt)"
        )
    return found


class VirtuosoServer:
    """One Virtuoso process over a database in ``directory``; :meth:`start`, :meth:`stop`."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self.sql_port = free_port()
        self.http_port = free_port()
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.http_port}"

    def endpoint(self, **options: object) -> SparqlEndpoint:
        """The digest-authenticated SPARQL and Graph Store endpoints, as kgcat's settings would name them."""
        return SparqlEndpoint(
            query_url=f"{self.base_url}/sparql-auth",
            graph_store_url=f"{self.base_url}/sparql-graph-crud-auth",
            user=USER,
            password=PASSWORD,
            auth="digest",
            **options,  # type: ignore[arg-type]
        )

    def environment(self) -> dict[str, str]:
        """The KGCAT_REMOTE_* settings selecting this server."""
        return {
            "KGCAT_REMOTE_QUERY_URL": f"{self.base_url}/sparql-auth",
            "KGCAT_REMOTE_GRAPH_STORE_URL": f"{self.base_url}/sparql-graph-crud-auth",
            "KGCAT_REMOTE_USER": USER,
            "KGCAT_REMOTE_PASSWORD": PASSWORD,
            "KGCAT_REMOTE_AUTH": "digest",
        }

    def start(self) -> VirtuosoServer:
        server, isql = _binary("virtuoso-t"), _binary("isql-vt")
        (self.directory / "vsp").mkdir(parents=True, exist_ok=True)
        ini = self.directory / "virtuoso.ini"
        ini.write_text(
            INI.format(dir=self.directory, sql_port=self.sql_port, http_port=self.http_port), encoding="utf-8"
        )
        with (self.directory / "stdout.log").open("wb") as log:  # the child keeps its own descriptor
            self.process = subprocess.Popen(
                [server, "+foreground", "+configfile", str(ini)], cwd=self.directory, stdout=log, stderr=log
            )
        self._wait()
        subprocess.run(
            [isql, f"127.0.0.1:{self.sql_port}", "dba", "dba", f"exec={SETUP_SQL}"],
            check=True,
            capture_output=True,
            timeout=60,
        )
        return self

    def _wait(self) -> None:
        deadline = time.monotonic() + START_TIMEOUT_S
        probe = f"{self.base_url}/sparql?query=ASK%7B%7D"
        while time.monotonic() < deadline:
            assert self.process is not None
            if self.process.poll() is not None:
                raise RuntimeError(f"Virtuoso exited with code {self.process.returncode}:\n{self.log_tail()}")
            try:
                with urllib.request.urlopen(probe, timeout=2) as response:
                    if response.status == 200:
                        return
            except (urllib.error.URLError, OSError):
                pass
            time.sleep(0.3)
        self.stop()
        raise RuntimeError(f"Virtuoso did not answer within {START_TIMEOUT_S:g} s:\n{self.log_tail()}")

    def log_tail(self, lines: int = 30) -> str:
        log = self.directory / "virtuoso.log"
        text = log.read_text(encoding="utf-8", errors="replace") if log.exists() else "(no log)"
        return "\n".join(text.splitlines()[-lines:])

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        self.process.terminate()
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
