"""100 MB request bodies against a real HTTP server: refused by the size limits without being read.

The app runs under uvicorn on a loopback port (in a thread, over the in-memory catalogue) and
is spoken to through a raw socket, so the test controls exactly how much of the body is sent:
a declared ``Content-Length`` of 100 MB is answered 413 (or 401/403 for a write without the
token) after only the headers and a first chunk, and a chunked body with no length is cut
once it passes the limit. The server keeps answering, the store is unchanged, and this
process's memory never grew by anything near 100 MB.
"""

from __future__ import annotations

import resource
import select
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
import uvicorn
from api_helpers import TOKEN, build_resources, make_client, store_fingerprint
from pydantic import SecretStr

from api.resources import Resources

HUNDRED_MB = 100 * 1024 * 1024
CHUNK = b"x" * 65536


@pytest.fixture(scope="module")
def live(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[int, Resources]]:
    resources = build_resources(None)
    app = make_client(resources, tmp_path_factory.mktemp("live"), write_token=SecretStr(TOKEN)).app
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = int(probe.getsockname()[1])
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="off"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.05)
    assert server.started, "uvicorn did not start"
    yield port, resources
    server.should_exit = True
    thread.join(timeout=10)
    resources.close()


def response_to(port: int, head: str, body_chunks: int, chunked: bool = False) -> tuple[int, int]:
    """Send ``head`` then up to ``body_chunks`` chunks while no answer came; returns (status, body bytes sent)."""
    sent = 0
    with socket.create_connection(("127.0.0.1", port), timeout=30) as connection:
        connection.sendall(head.encode("latin-1"))
        answer = b""
        for _ in range(body_chunks):
            readable, _, _ = select.select([connection], [], [], 0)
            if readable:
                break
            piece = b"%x\r\n%s\r\n" % (len(CHUNK), CHUNK) if chunked else CHUNK
            try:
                connection.sendall(piece)
            except (BrokenPipeError, ConnectionResetError):
                break
            sent += len(CHUNK)
        try:
            while b"\r\n" not in answer:
                data = connection.recv(65536)
                if not data:
                    break
                answer += data
        except ConnectionResetError:
            pass
    status = int(answer.split(b" ", 2)[1]) if answer.startswith(b"HTTP/1.1 ") else 0
    return status, sent


def head(method: str, target: str, media: str, length: int | None, token: str | None = None) -> str:
    lines = [f"{method} {target} HTTP/1.1", "Host: 127.0.0.1", f"Content-Type: {media}", "Connection: close"]
    lines.append(f"Content-Length: {length}" if length is not None else "Transfer-Encoding: chunked")
    if token:
        lines.append(f"Authorization: Bearer {token}")
    return "\r\n".join(lines) + "\r\n\r\n"


@pytest.mark.parametrize(
    ("method", "target", "media", "token", "status"),
    [
        ("POST", "/validate", "text/turtle", None, 413),
        ("POST", "/sparql", "application/sparql-query", None, 413),
        ("POST", "/sparql", "application/x-www-form-urlencoded", None, 413),
        ("POST", "/import?graph=big", "text/csv", None, 401),
        ("PUT", "/graph-store?graph=urn:x:big", "text/turtle", "wrong", 403),
        ("POST", "/sparql", "application/sparql-update", None, 413),
    ],
)
def test_a_declared_100_mb_body_is_refused_before_it_is_read(
    live: tuple[int, Resources], method: str, target: str, media: str, token: str | None, status: int
) -> None:
    port, resources = live
    before, peak = store_fingerprint(resources), resource.getrusage(resource.RUSAGE_SELF).ru_maxrss

    answered, sent = response_to(port, head(method, target, media, HUNDRED_MB, token), body_chunks=1600)

    assert answered == status
    assert sent < HUNDRED_MB // 4, f"the server let {sent} bytes in before answering"
    assert store_fingerprint(resources) == before
    assert resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - peak < 50_000  # KiB: nowhere near 100 MB
    assert httpx.get(f"http://127.0.0.1:{port}/health").status_code == 200


@pytest.mark.parametrize("target", ["/validate", "/sparql"])
def test_a_chunked_body_without_a_length_is_cut_at_the_limit(live: tuple[int, Resources], target: str) -> None:
    port, resources = live
    media = "text/turtle" if target == "/validate" else "application/sparql-query"
    before, peak = store_fingerprint(resources), resource.getrusage(resource.RUSAGE_SELF).ru_maxrss

    answered, sent = response_to(port, head("POST", target, media, None), body_chunks=1600, chunked=True)

    assert answered == 413
    assert sent < HUNDRED_MB // 4, f"the server read {sent} bytes of a body over its 1 MiB limit"
    assert store_fingerprint(resources) == before
    assert resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - peak < 50_000
    assert httpx.get(f"http://127.0.0.1:{port}/health").status_code == 200


def test_an_authorised_upload_over_its_own_limit_is_cut_too(tmp_path: Path) -> None:
    resources = build_resources(None)
    client = make_client(resources, tmp_path, write_token=SecretStr(TOKEN), max_upload_bytes=1_048_576)

    def stream() -> Iterator[bytes]:
        yield b"id,title,publisher,region\n"
        for _ in range(40):  # 2.5 MiB, chunked: no Content-Length to refuse by
            yield CHUNK

    response = client.post(
        "/import",
        params={"graph": "big"},
        content=stream(),
        headers={"Content-Type": "text/csv", "Authorization": f"Bearer {TOKEN}"},
    )

    assert response.status_code == 413 and response.json()["error"]["details"]["limit"] == 1_048_576
    resources.close()
