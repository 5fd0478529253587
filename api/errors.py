"""The HTTP API's errors: a few specific exception types and the one JSON error body.

Every error response of the API, whatever raised it (a kgcat exception, a route not found, a
bad parameter, a bug), has the same body, produced only by :func:`error_body`:

    {"error": {"status": 406, "code": "not-acceptable", "title": "Not Acceptable",
               "message": "what went wrong and what to do next", "details": {...}}}

``tests/api/test_error_shape.py`` walks every error path and checks this shape. A browser (a GET
whose ``Accept`` prefers ``text/html`` to JSON) gets the same body shown as a page
(api/html/error_page.py), with the same status; every other client gets the JSON.
"""

from __future__ import annotations

import logging
from http import HTTPStatus

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException

from api.html.error_page import error_page
from graph.errors import BatchRejectedError, QueryError, SourceError, StoreError, UnsafeSourceError
from graph.formats import UnsupportedFormatError
from graph.query_runner import QueryRefused, QueryServiceBusy, QuerySyntaxError, QueryTimeout, ResultTooLarge
from ontology import KgcatError, ValidationSetupError
from search.errors import IndexCorrupt, IndexManifestMismatch, IndexNotFound, SearchError

logger = logging.getLogger(__name__)


class ApiError(KgcatError):
    """An error of the HTTP layer itself; subclasses fix the status and code."""

    status = HTTPStatus.BAD_REQUEST
    code = "bad-request"

    def __init__(self, message: str, **details: object) -> None:
        super().__init__(message)
        self.message = message
        self.details = details


class BadRequest(ApiError):
    """The request breaks the protocol (missing or repeated parameter, wrong method for an operation)."""


class NotFound(ApiError):
    status = HTTPStatus.NOT_FOUND
    code = "not-found"


class NotAcceptable(ApiError):
    status = HTTPStatus.NOT_ACCEPTABLE
    code = "not-acceptable"


class UnsupportedMediaType(ApiError):
    status = HTTPStatus.UNSUPPORTED_MEDIA_TYPE
    code = "unsupported-media-type"


class PayloadTooLarge(ApiError):
    status = HTTPStatus.REQUEST_ENTITY_TOO_LARGE
    code = "request-too-large"


class Unauthorized(ApiError):
    status = HTTPStatus.UNAUTHORIZED
    code = "unauthorized"


class Forbidden(ApiError):
    status = HTTPStatus.FORBIDDEN
    code = "forbidden"


class ServiceUnavailable(ApiError):
    status = HTTPStatus.SERVICE_UNAVAILABLE
    code = "unavailable"


STATUS_OF: tuple[tuple[type[KgcatError], HTTPStatus, str], ...] = (
    (QueryTimeout, HTTPStatus.SERVICE_UNAVAILABLE, "query-timeout"),
    (QueryServiceBusy, HTTPStatus.SERVICE_UNAVAILABLE, "server-busy"),
    (ResultTooLarge, HTTPStatus.UNPROCESSABLE_ENTITY, "result-too-large"),
    (QueryRefused, HTTPStatus.BAD_REQUEST, "feature-disabled"),
    (QuerySyntaxError, HTTPStatus.BAD_REQUEST, "query-syntax"),
    (QueryError, HTTPStatus.BAD_REQUEST, "query-failed"),
    (BatchRejectedError, HTTPStatus.UNPROCESSABLE_ENTITY, "rejected-by-shapes"),
    (UnsupportedFormatError, HTTPStatus.UNSUPPORTED_MEDIA_TYPE, "unsupported-format"),
    (UnsafeSourceError, HTTPStatus.BAD_REQUEST, "unsafe-source"),
    (SourceError, HTTPStatus.BAD_REQUEST, "unreadable-source"),
    (ValidationSetupError, HTTPStatus.BAD_REQUEST, "unknown-shapes"),
    (IndexNotFound, HTTPStatus.SERVICE_UNAVAILABLE, "search-index-missing"),
    (IndexCorrupt, HTTPStatus.SERVICE_UNAVAILABLE, "search-index-unreadable"),
    (IndexManifestMismatch, HTTPStatus.SERVICE_UNAVAILABLE, "search-index-mismatch"),
    (SearchError, HTTPStatus.SERVICE_UNAVAILABLE, "search-failed"),
    (StoreError, HTTPStatus.SERVICE_UNAVAILABLE, "store-unavailable"),
)
"""Status and code of the lower layers' errors, most specific first."""


def error_body(status: int, code: str, message: str, details: dict[str, object] | None = None) -> dict[str, object]:
    """The one JSON error body of the API."""
    title = HTTPStatus(status).phrase if status in HTTPStatus._value2member_map_ else "Error"
    return {"error": {"status": status, "code": code, "title": title, "message": message, "details": details or {}}}


def prefers_html(request: Request) -> bool:
    """A browser: a GET or HEAD whose Accept ranks ``text/html`` above JSON (ties go to JSON)."""
    from api.negotiation import choose  # api.negotiation raises NotAcceptable from this module

    if request.method not in ("GET", "HEAD"):
        return False
    accept = request.headers.get("accept")
    return bool(accept) and choose(accept, ("application/json", "text/html")) == "text/html"


def error_response(
    status: int,
    code: str,
    message: str,
    details: dict[str, object] | None = None,
    headers: dict[str, str] | None = None,
    request: Request | None = None,
) -> Response:
    """The error body as JSON, or as a page when ``request`` comes from a browser."""
    body = error_body(status, code, message, details)
    if request is not None and prefers_html(request):
        return HTMLResponse(error_page(body), status_code=status, headers={**(headers or {}), "Vary": "Accept"})
    return JSONResponse(body, status_code=status, headers=headers)


def _kgcat_status(error: KgcatError) -> tuple[int, str, dict[str, object]]:
    if isinstance(error, ApiError):
        return error.status, error.code, error.details
    for kind, status, code in STATUS_OF:
        if isinstance(error, kind):
            details: dict[str, object] = {}
            if isinstance(error, BatchRejectedError):
                details["rejected"] = error.rejected
            if isinstance(error, QueryTimeout):
                details["timeout_s"] = error.timeout_s
            if isinstance(error, ResultTooLarge):
                details["max_rows"] = error.max_rows
            if isinstance(error, QueryRefused):
                details["features"] = error.features
            if isinstance(error, UnsafeSourceError):
                details.update(error.details)
            return status, code, details
    return HTTPStatus.INTERNAL_SERVER_ERROR, "internal-error", {}


async def _on_kgcat_error(request: Request, error: Exception) -> Response:
    assert isinstance(error, KgcatError)
    status, code, details = _kgcat_status(error)
    headers = {"WWW-Authenticate": 'Bearer realm="kgcat"'} if isinstance(error, Unauthorized) else None
    if status == HTTPStatus.SERVICE_UNAVAILABLE:
        headers = {"Retry-After": "5"}
    return error_response(status, code, str(error), details, headers, request)


async def _on_http_error(request: Request, error: Exception) -> Response:
    assert isinstance(error, StarletteHTTPException)
    messages = {
        404: f"nothing at {request.url.path}; see /docs for the API, /catalog for the catalogue, /search?q= to search",
        405: f"{request.method} is not allowed on {request.url.path}; see /docs",
    }
    message = messages.get(error.status_code, str(error.detail))
    code = HTTPStatus(error.status_code).phrase.lower().replace(" ", "-")
    return error_response(error.status_code, code, message, headers=dict(error.headers or {}), request=request)


async def _on_validation_error(request: Request, error: Exception) -> Response:
    assert isinstance(error, RequestValidationError)
    problems = [
        {"where": ".".join(str(part) for part in problem["loc"]), "problem": problem["msg"]}
        for problem in error.errors()
    ]
    message = "; ".join(f"{p['where']}: {p['problem']}" for p in problems)
    return error_response(
        422, "invalid-parameter", f"invalid request: {message}", {"problems": problems}, request=request
    )


async def _on_unexpected(request: Request, error: Exception) -> Response:
    logger.exception("unexpected error on %s %s", request.method, request.url.path, exc_info=error)
    return error_response(
        500, "internal-error", "the server failed unexpectedly; the error was logged", request=request
    )


def install_error_handlers(app: FastAPI) -> None:
    """Route every error of ``app`` through :func:`error_body`."""
    app.add_exception_handler(KgcatError, _on_kgcat_error)
    app.add_exception_handler(StarletteHTTPException, _on_http_error)
    app.add_exception_handler(RequestValidationError, _on_validation_error)
    app.add_exception_handler(Exception, _on_unexpected)  # the API edge: anything else is a bug, logged
