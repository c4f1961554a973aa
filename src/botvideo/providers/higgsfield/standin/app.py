"""A local server that behaves as Higgsfield's documented queue API does.

Higgsfield routes: `POST /{model_id}`, `GET /requests/{id}/status`, `POST /requests/{id}/cancel`,
`DELETE /requests/{id}`, `POST /files/generate-upload-url`. Stand-in-only routes: the presigned upload
target and file hosting under `/cdn/`, and the control API under `/_standin/` (never part of Higgsfield).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import secrets
import tempfile
import time
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import httpx
from fastapi import FastAPI, Request, Response
from fastapi.responses import FileResponse, JSONResponse, PlainTextResponse
from pydantic import BaseModel
from starlette.exceptions import HTTPException as StarletteHTTPException

from botvideo.providers.higgsfield import catalog, webhooks
from botvideo.providers.higgsfield.standin.config import Outcome, Scenario, StandinConfig
from botvideo.providers.higgsfield.standin.render import render_video
from botvideo.providers.higgsfield.standin.state import (
    IN_FLIGHT,
    TERMINAL,
    StoredRequest,
    StoredUpload,
    WebhookDelivery,
    load_state,
    save_state,
)

log = logging.getLogger(__name__)

MARKERS: dict[str, Outcome] = {"[standin:fail]": "failed", "[standin:nsfw]": "nsfw"}
SLOW_MARKER = "[standin:slow]"
CONCURRENCY_DETAIL = "Concurrent generation limit reached. Wait for a request in progress to finish."
CANCEL_TOO_LATE_DETAIL = "The request has already started and can no longer be canceled"
FAILED_ERROR = "Generation failed (stand-in scripted failure)"
UPLOAD_TTL_SECONDS = 3600
MAX_UPLOAD_BYTES = 20 * 1024 * 1024
_API_PREFIXES = ("/_standin", "/cdn/")


class UploadUrlBody(BaseModel):
    content_type: str


class Standin:
    """The running stand-in: state, schedule, rendering and webhook deliveries."""

    def __init__(self, config: StandinConfig) -> None:
        self.config = config
        self.scenario = config.scenario.model_copy()
        self.state = load_state(config.state_file)
        media_dir = config.media_dir
        if media_dir is None:
            media_dir = (
                config.state_file.parent / "standin-media"
                if config.state_file is not None
                else Path(tempfile.mkdtemp(prefix="botvideo-standin-"))
            )
        self.media_dir = media_dir
        self.media_dir.mkdir(parents=True, exist_ok=True)
        self._rendering: set[str] = set()
        self._tasks: set[asyncio.Task[None]] = set()
        self._http: httpx.AsyncClient | None = None

    # --- schedule -------------------------------------------------------------------------------------------

    def save(self) -> None:
        save_state(self.state, self.config.state_file)

    def base_for(self, request: Request) -> str:
        return (self.config.public_url or str(request.base_url)).rstrip("/")

    def document(self, stored: StoredRequest) -> dict[str, Any]:
        base = self.config.public_url.rstrip("/") if self.config.public_url else stored.base_url
        doc: dict[str, Any] = {
            "status": stored.status,
            "request_id": stored.request_id,
            "status_url": f"{base}/requests/{stored.request_id}/status",
            "cancel_url": f"{base}/requests/{stored.request_id}/cancel",
        }
        if stored.status == "completed":
            doc["video"] = {"url": f"{base}/cdn/videos/{stored.request_id}.mp4"}
        if stored.status == "failed" and stored.error:
            doc["error"] = stored.error
        return doc

    def advance(self, now: float | None = None) -> None:
        now = time.time() if now is None else now
        changed = False
        for stored in list(self.state.requests.values()):
            if stored.status == "queued" and now >= stored.created_at + stored.queued_seconds:
                stored.status = "in_progress"
                stored.started_at = now
                changed = True
            if (
                stored.status == "in_progress"
                and stored.started_at is not None
                and now >= stored.started_at + stored.in_progress_seconds
                and stored.request_id not in self._rendering
            ):
                if stored.outcome == "completed":
                    self._rendering.add(stored.request_id)
                    self._spawn(self._render(stored))
                else:
                    self._finish(stored, stored.outcome)
                    changed = True
            if (
                stored.status in TERMINAL
                and stored.status != "canceled"  # Higgsfield documents deliveries for completed/failed/nsfw
                and stored.webhook_url
                and not stored.webhook_done
                and stored.webhook_id is None
            ):
                stored.webhook_id = f"msg_{uuid.uuid4().hex}"
                changed = True
                self._spawn(self._deliver(stored))
        if changed:
            self.save()

    def _finish(self, stored: StoredRequest, status: str) -> None:
        stored.status = status
        stored.finished_at = time.time()
        if status == "failed":
            stored.error = FAILED_ERROR

    async def _render(self, stored: StoredRequest) -> None:
        path = self.media_dir / f"{stored.request_id}.mp4"
        requested = stored.body.get("duration", 5)
        try:
            seconds = float(requested)
        except (TypeError, ValueError):
            seconds = 5.0
        try:
            await asyncio.to_thread(
                render_video,
                path,
                prompt=str(stored.body.get("prompt", "")),
                width=self.config.render_width,
                height=self.config.render_height,
                duration_seconds=min(seconds, self.config.max_clip_seconds),
                use_engine=self.config.use_engine,
            )
        except Exception:
            log.exception("standin.render_failed request_id=%s", stored.request_id)
            self._finish(stored, "failed")
        else:
            stored.video_file = path.name
            self._finish(stored, "completed")
        finally:
            self._rendering.discard(stored.request_id)
        self.save()
        self.advance()

    def _spawn(self, work: Awaitable[None]) -> None:
        task = asyncio.ensure_future(work)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _deliver(self, stored: StoredRequest) -> None:
        assert stored.webhook_url is not None
        assert stored.webhook_id is not None
        delivery = WebhookDelivery(request_id=stored.request_id, webhook_id=stored.webhook_id, url=stored.webhook_url)
        self.state.webhook_deliveries.append(delivery)
        body = _json_bytes(self.document(stored))
        client = self._http or httpx.AsyncClient()
        try:
            for attempt in range(1, self.config.webhook_attempts + 1):
                delivery.attempts = attempt
                headers = {
                    "Content-Type": "application/json",
                    "User-Agent": "Higgsfield-Webhooks (botvideo stand-in)",
                    **webhooks.signed_headers(self.config.webhook_secrets, stored.webhook_id, body),
                }
                try:
                    response = await client.post(stored.webhook_url, content=body, headers=headers, timeout=10.0)
                except httpx.HTTPError as exc:
                    delivery.error = f"{type(exc).__name__}: {exc}"
                else:
                    delivery.response_status = response.status_code
                    delivery.error = None
                    if response.status_code < 500:
                        # 2xx is delivered; 4xx is the receiver refusing it, which is never retried.
                        delivery.delivered = response.is_success
                        break
                if attempt < self.config.webhook_attempts:
                    await asyncio.sleep(self.config.webhook_backoff_seconds * 2 ** (attempt - 1))
        finally:
            if client is not self._http:
                await client.aclose()
            stored.webhook_done = True
            self.save()

    @contextlib.asynccontextmanager
    async def running(self) -> AsyncIterator[None]:
        self._http = httpx.AsyncClient()

        async def tick() -> None:
            while True:
                try:
                    self.advance()
                except Exception:
                    log.exception("standin.tick_failed")
                await asyncio.sleep(self.config.tick_seconds)

        ticker = asyncio.ensure_future(tick())
        try:
            yield
        finally:
            ticker.cancel()
            for task in list(self._tasks):
                task.cancel()
            await asyncio.gather(ticker, *self._tasks, return_exceptions=True)
            await self._http.aclose()
            self._http = None
            self.save()

    # --- scripted failures ----------------------------------------------------------------------------------

    def take_server_error(self) -> bool:
        if self.scenario.server_errors > 0:
            self.scenario.server_errors -= 1
            return True
        return False

    def take_accept_then_fail(self) -> bool:
        if self.scenario.accept_then_fail > 0:
            self.scenario.accept_then_fail -= 1
            return True
        return False


def _json_bytes(data: Any) -> bytes:
    return json.dumps(data, separators=(",", ":")).encode()


def _detail(status: int, detail: Any) -> JSONResponse:
    return JSONResponse({"detail": detail}, status_code=status)


def create_standin_app(config: StandinConfig | None = None) -> FastAPI:
    standin = Standin(config or StandinConfig())

    @contextlib.asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        async with standin.running():
            yield

    app = FastAPI(
        title="Higgsfield stand-in (botvideo)", lifespan=lifespan, docs_url="/_standin/docs", openapi_url=None
    )
    app.state.standin = standin

    @app.middleware("http")
    async def gatekeeper(request: Request, call_next: Callable[[Request], Awaitable[Response]]) -> Response:
        """Cloudflare, the scripted 5xx burst and the key check, in the order a real call meets them."""
        correlation_id = str(uuid.uuid4())
        response = await _gate(standin, request)
        if response is None:
            response = await call_next(request)
        response.headers["X-Correlation-ID"] = correlation_id
        return response

    @app.exception_handler(StarletteHTTPException)
    async def http_error(_: Request, exc: StarletteHTTPException) -> Response:
        detail = "Not found" if exc.status_code == 404 else exc.detail
        return _detail(exc.status_code, detail)

    # --- control API (not Higgsfield) -----------------------------------------------------------------------

    @app.get("/_standin/stats")
    async def stats() -> dict[str, Any]:
        standin.advance()
        return standin.state.stats()

    @app.get("/_standin/scenario")
    async def get_scenario() -> Scenario:
        return standin.scenario

    @app.post("/_standin/scenario")
    async def set_scenario(request: Request) -> Scenario:
        """Change only the fields given; `DELETE` puts the configured scenario back."""
        changes = await request.json()
        standin.scenario = Scenario.model_validate({**standin.scenario.model_dump(), **changes})
        return standin.scenario

    @app.delete("/_standin/scenario")
    async def reset_scenario() -> Scenario:
        standin.scenario = standin.config.scenario.model_copy()
        return standin.scenario

    # --- files (stand-in for the CDN and presigned storage) -------------------------------------------------

    @app.put("/cdn/upload/{token}")
    async def put_upload(token: str, request: Request) -> Response:
        upload = standin.state.uploads.get(token)
        if upload is None or upload.expires_at < time.time():
            return PlainTextResponse("AccessDenied: Request has expired or is unknown", status_code=403)
        if "authorization" in request.headers:
            # Presigned URLs carry their own auth; S3 refuses a second mechanism.
            return PlainTextResponse("InvalidArgument: Only one auth mechanism allowed", status_code=400)
        for name, value in upload.upload_headers.items():
            if request.headers.get(name) != value:
                return PlainTextResponse(f"SignatureDoesNotMatch: header {name} must be {value!r}", status_code=403)
        data = await request.body()
        if len(data) > MAX_UPLOAD_BYTES:
            return PlainTextResponse("EntityTooLarge", status_code=400)
        upload.file_name = f"upload-{token}"
        (standin.media_dir / upload.file_name).write_bytes(data)
        standin.save()
        return Response(status_code=200)

    @app.get("/cdn/uploads/{token}")
    async def get_upload(token: str) -> Response:
        upload = standin.state.uploads.get(token)
        if upload is None or upload.file_name is None:
            return PlainTextResponse("NoSuchKey", status_code=404)
        return FileResponse(standin.media_dir / upload.file_name, media_type=upload.content_type)

    @app.get("/cdn/videos/{request_id}.mp4")
    async def get_video(request_id: str) -> Response:
        stored = standin.state.requests.get(request_id)
        if stored is None or stored.video_file is None or not (standin.media_dir / stored.video_file).exists():
            return PlainTextResponse("NoSuchKey", status_code=404)
        return FileResponse(standin.media_dir / stored.video_file, media_type="video/mp4")

    # --- Higgsfield API -------------------------------------------------------------------------------------

    @app.post("/files/generate-upload-url")
    async def generate_upload_url(body: UploadUrlBody, request: Request) -> dict[str, Any]:
        token = secrets.token_urlsafe(16)
        headers = {"Content-Type": body.content_type, "x-amz-tagging": "retention=temporary"}
        standin.state.uploads[token] = StoredUpload(
            token=token,
            content_type=body.content_type,
            upload_headers=headers,
            expires_at=time.time() + UPLOAD_TTL_SECONDS,
        )
        standin.save()
        base = standin.base_for(request)
        return {
            "public_url": f"{base}/cdn/uploads/{token}",
            "upload_url": f"{base}/cdn/upload/{token}",
            "content_type": body.content_type,
            "upload_headers": headers,
        }

    @app.get("/requests/{request_id}/status")
    async def request_status(request_id: str) -> Response:
        standin.advance()
        stored = standin.state.requests.get(request_id)
        if stored is None:
            return _detail(404, "The request does not exist or belongs to another account")
        return JSONResponse(standin.document(stored))

    @app.post("/requests/{request_id}/cancel")
    async def cancel_request(request_id: str) -> Response:
        standin.advance()
        stored = standin.state.requests.get(request_id)
        if stored is None:
            return _detail(404, "The request does not exist or belongs to another account")
        if stored.status != "queued":
            return _detail(400, CANCEL_TOO_LATE_DETAIL)
        stored.status = "canceled"
        stored.finished_at = time.time()
        standin.state.cancels += 1
        standin.save()
        return Response(status_code=202)

    @app.delete("/requests/{request_id}")
    async def delete_request(request_id: str) -> Response:
        standin.advance()
        stored = standin.state.requests.get(request_id)
        if stored is None:
            return _detail(404, "The request does not exist or belongs to another account")
        if stored.status in IN_FLIGHT:
            return _detail(400, "The request is still running; cancel it or wait for it to finish")
        if stored.video_file:
            (standin.media_dir / stored.video_file).unlink(missing_ok=True)
        del standin.state.requests[request_id]
        standin.state.deletes += 1
        standin.save()
        return Response(status_code=204)

    @app.post("/{model_id:path}")
    async def submit(model_id: str, request: Request) -> Response:
        return await _submit(standin, model_id, request)

    return app


async def _gate(standin: Standin, request: Request) -> Response | None:
    path = request.url.path
    if path.startswith(_API_PREFIXES):
        return None
    user_agent = request.headers.get("user-agent", "")
    if standin.scenario.cloudflare_block or user_agent.startswith("Python-urllib"):
        return PlainTextResponse("error code: 1010", status_code=403)
    if standin.take_server_error():
        return _detail(500, "Internal Server Error")
    if not _authorized(standin.config.key, request):
        return _detail(401, "Invalid credentials")
    return None


def _authorized(key: str, request: Request) -> bool:
    header = request.headers.get("authorization", "")
    if header.startswith("Key ") and secrets.compare_digest(header[4:].encode(), key.encode()):
        return True
    # The legacy header pair is "also accepted" by Higgsfield's docs.
    legacy = f"{request.headers.get('hf-api-key', '')}:{request.headers.get('hf-secret', '')}"
    return secrets.compare_digest(legacy.encode(), key.encode())


async def _submit(standin: Standin, model_id: str, request: Request) -> Response:
    state, scenario = standin.state, standin.scenario
    state.submits_received += 1
    model = catalog.lookup(model_id.strip("/"))
    if model is None:
        return _detail(404, "Not found")
    try:
        body = await request.json()
    except ValueError:
        return _detail(422, [{"loc": ["body", 0], "msg": "JSON decode error", "type": "json_invalid"}])
    problems = catalog.check_body(model, body)
    if problems:
        return _detail(422, [problem.as_detail() for problem in problems])
    webhook_url = request.query_params.get("hf_webhook")
    if webhook_url is not None:
        parts = urlsplit(webhook_url)
        # Real Higgsfield also demands https and public addresses; the stand-in must reach local receivers.
        if parts.scheme not in ("http", "https") or not parts.hostname:
            return _detail(400, "hf_webhook must be an absolute HTTPS URL")
        if parts.username or parts.password:
            return _detail(400, "hf_webhook must not contain credentials")

    idempotency_key = request.headers.get("idempotency-key")
    if idempotency_key is not None and not (1 <= len(idempotency_key) <= 255 and idempotency_key.isascii()):
        return _detail(400, "Idempotency-Key must be 1 to 255 ASCII characters")
    if scenario.honour_idempotency_keys and idempotency_key and idempotency_key in state.idempotency:
        existing = state.requests.get(state.idempotency[idempotency_key])
        if existing is not None:
            state.idempotent_replays += 1
            standin.save()
            return JSONResponse(standin.document(existing))

    if scenario.out_of_credits:
        return _detail(403, "Not enough credits")
    if scenario.model_unavailable == 404:
        return _detail(404, "Not found")
    if scenario.model_unavailable == 423:
        return _detail(423, "The model is temporarily locked")
    if scenario.model_unavailable == 503:
        return _detail(503, "The model is unavailable right now")
    if scenario.max_in_flight is not None and state.in_flight() >= scenario.max_in_flight:
        return _detail(400, CONCURRENCY_DETAIL)

    prompt = str(body.get("prompt", ""))
    outcome = next((status for marker, status in MARKERS.items() if marker in prompt), scenario.outcome)
    slow = scenario.slow or SLOW_MARKER in prompt
    config = standin.config
    stored = StoredRequest(
        request_id=str(uuid.uuid4()),
        model_id=model.id,
        body=body,
        outcome=outcome,
        created_at=time.time(),
        queued_seconds=scenario.queued_seconds if scenario.queued_seconds is not None else config.queued_seconds,
        in_progress_seconds=config.slow_seconds
        if slow
        else (scenario.in_progress_seconds if scenario.in_progress_seconds is not None else config.in_progress_seconds),
        base_url=standin.base_for(request),
        webhook_url=webhook_url,
        idempotency_key=idempotency_key,
    )
    state.requests[stored.request_id] = stored
    state.accepted_total += 1
    if idempotency_key:
        if state.idempotency.get(idempotency_key) not in state.requests:
            state.idempotency[idempotency_key] = stored.request_id
        state.accepted_by_idempotency_key[idempotency_key] = (
            state.accepted_by_idempotency_key.get(idempotency_key, 0) + 1
        )
    standin.save()
    if standin.take_accept_then_fail():
        return PlainTextResponse("Bad Gateway", status_code=502)
    return JSONResponse(standin.document(stored))
