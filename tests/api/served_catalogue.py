"""The real server for end-to-end tests: ``kgcat build`` from the bundled sources into a data directory,
then ``kgcat serve`` on a free loopback port, stopped when the test module is done."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest

KGCAT = str(Path(sys.executable).with_name("kgcat"))
STARTUP_S = 60


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextmanager
def built_and_served(data: Path, **settings: str) -> Iterator[str]:
    """The base URL of ``kgcat serve`` over a catalogue freshly built in ``data``; ``settings`` are extra
    ``KGCAT_*`` environment variables. The server's output goes to ``data/serve.log``."""
    env = {**os.environ, "KGCAT_DATA_DIR": str(data), "KGCAT_LOG_LEVEL": "WARNING", **settings}
    subprocess.run([KGCAT, "build"], env=env, check=True, capture_output=True, timeout=300)
    port = free_port()
    log = (data / "serve.log").open("wb")
    process = subprocess.Popen([KGCAT, "serve", "--port", str(port)], env=env, stdout=log, stderr=log)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + STARTUP_S
        while time.monotonic() < deadline:
            try:
                if httpx.get(f"{url}/health", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                time.sleep(0.2)
        else:
            pytest.fail(f"kgcat serve did not come up within {STARTUP_S} s; see {data / 'serve.log'}")
        yield url
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        log.close()
