"""The one place errors become responses: JSON for API clients, a page for people using the web UI."""

from __future__ import annotations

import logging
from collections.abc import Callable

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException

from botvideo.core.errors import BotvideoError

log = logging.getLogger(__name__)

_API_PREFIXES = ("/api/", "/functions/", "/auth/", "/media/")


def _wants_page(request: Request) -> bool:
    if request.url.path.startswith(_API_PREFIXES):
        return False
    return "text/html" in request.headers.get("accept", "")


# Renders the web UI's error page: (request, status, safe message) -> page.
PageRenderer = Callable[[Request, int, str], Response]


def _describe_validation(exc: RequestValidationError) -> str:
    problems = []
    for error in exc.errors()[:5]:
        location = ".".join(str(part) for part in error.get("loc", ()) if part not in ("body", "query", "path"))
        message = str(error.get("msg", "is not valid"))
        if error.get("type") == "json_invalid":
            return "The request body is not valid JSON."
        if error.get("type") == "missing":
            message = "is required"
        problems.append(f"{location or 'body'}: {message}")
    return "; ".join(problems) or "The request is not valid."


def install_error_handlers(app: FastAPI, render_page: PageRenderer) -> None:
    def _render(request: Request, status: int, code: str, message: str) -> Response:
        if _wants_page(request):
            return render_page(request, status, message)
        # `error` is what Supabase clients read from a failed edge function; `code` is for programs.
        return JSONResponse({"error": message, "code": code}, status_code=status)

    @app.exception_handler(BotvideoError)
    async def on_botvideo_error(request: Request, exc: BotvideoError) -> Response:
        return _render(request, exc.status_code, exc.code, exc.message)

    @app.exception_handler(RequestValidationError)
    async def on_validation_error(request: Request, exc: RequestValidationError) -> Response:
        return _render(request, 422, "invalid_request", _describe_validation(exc))

    @app.exception_handler(StarletteHTTPException)
    async def on_http_error(request: Request, exc: StarletteHTTPException) -> Response:
        message = exc.detail if isinstance(exc.detail, str) else "Request failed."
        if exc.status_code == 404:
            message = "Not found."
        elif exc.status_code == 405:
            message = "Method not allowed."
        return _render(request, exc.status_code, "http_error", message)

    @app.exception_handler(Exception)
    async def on_unexpected(request: Request, exc: Exception) -> Response:
        log.error("request.failed path=%s", request.url.path, exc_info=exc)
        return _render(request, 500, "internal", "Something went wrong on our side. Try again.")
