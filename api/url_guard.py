"""Refuse requests whose URL path or query string does not percent-decode to UTF-8 (RFC 3987 §3.2).

The server decodes percent-escapes leniently (a stray ``%FF`` becomes U+FFFD), so without this
check a query or an IRI with invalid UTF-8 would silently become a different one. This ASGI
middleware answers such requests with the API's one error body (400) before any route runs.
"""

from __future__ import annotations

from urllib.parse import unquote_to_bytes

from starlette.types import ASGIApp, Receive, Scope, Send

from api.errors import error_response


def _bad_part(scope: Scope) -> str | None:
    """'path' or 'query string' when that part of the URL is not UTF-8, else None."""
    raw_path = scope.get("raw_path") or scope.get("path", "").encode("utf-8")
    parts = {"path": raw_path, "query string": scope.get("query_string", b"").replace(b"+", b" ")}
    for name, raw in parts.items():
        try:
            unquote_to_bytes(raw).decode("utf-8")
        except UnicodeDecodeError:
            return name
    return None


class Utf8UrlGuard:
    """ASGI middleware: 400 for a URL whose path or query string is not UTF-8 once percent-decoded."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and (part := _bad_part(scope)) is not None:
            response = error_response(
                400,
                "bad-request",
                f"the URL's {part} is not valid UTF-8 once percent-decoded; IRIs and queries must be UTF-8 "
                "(percent-encode each UTF-8 byte, e.g. 数 as %E6%95%B0)",
                {"part": part},
            )
            await response(scope, receive, send)
            return
        await self.app(scope, receive, send)
