"""Higgsfield as a botvideo `VideoProvider`: catalog checks, uploads and status mapping around the client."""

from __future__ import annotations

import logging
import mimetypes
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import httpx

from botvideo.core.config import Settings
from botvideo.core.kinds import VideoStatus
from botvideo.providers.base import (
    CancelOutcome,
    ErrorCode,
    GenerationRequest,
    ModelInfo,
    ProviderJobState,
    Submission,
)
from botvideo.providers.higgsfield import catalog
from botvideo.providers.higgsfield.client import HiggsfieldClient, RequestStatus
from botvideo.providers.higgsfield.errors import HiggsfieldError

log = logging.getLogger(__name__)

_STATUSES: Mapping[str, VideoStatus] = {
    "queued": VideoStatus.PENDING,
    "in_progress": VideoStatus.PROCESSING,
    "completed": VideoStatus.COMPLETED,
    "failed": VideoStatus.FAILED,
    "nsfw": VideoStatus.FAILED,
    "canceled": VideoStatus.CANCELED,
    "cancelled": VideoStatus.CANCELED,
}


def idempotency_key_for(video_id: str) -> str:
    """One key per video, so every submit attempt for it is the same request in Higgsfield's eyes."""
    return f"botvideo-video-{video_id}"


class HiggsfieldProvider:
    name = "higgsfield"

    def __init__(self, client: HiggsfieldClient) -> None:
        self.client = client
        self._unknown_statuses_logged: set[str] = set()
        # (path, size, mtime) -> public URL: a resubmit must send the same body, so upload an image once.
        self._uploaded: dict[tuple[str, int, int], str] = {}

    # --- catalog --------------------------------------------------------------------------------------------

    def models(self) -> list[ModelInfo]:
        return [model.info() for model in catalog.CATALOG]

    def default_model(self, video_type: str, *, has_image: bool) -> str:
        return catalog.default_model(video_type, has_image=has_image)

    def resolve_model(self, model_id: str, video_type: str, has_image: bool) -> str:
        """The canonical catalog id for a requested id or alias (record both)."""
        return catalog.resolve_model(model_id, video_type, has_image)

    def validate(self, request: GenerationRequest) -> None:
        self._model_for(request).validate(request)

    def _model_for(self, request: GenerationRequest) -> catalog.HiggsfieldModel:
        has_image = bool(request.source_image_url or request.source_image_path)
        return catalog.MODELS[self.resolve_model(request.model, request.video_type, has_image)]

    # --- jobs -----------------------------------------------------------------------------------------------

    async def submit(self, request: GenerationRequest, *, idempotency_key: str) -> Submission:
        model = self._model_for(request)
        model.validate(request)
        image_url = request.source_image_url
        if model.field("image_url") is not None and not image_url and request.source_image_path is not None:
            image_url = await self.upload_source_image(request.source_image_path)
        body = model.body_for(request, image_url)
        document = await self.client.submit(
            model.id,
            body,
            idempotency_key=idempotency_key or idempotency_key_for(request.video_id),
            webhook_url=request.webhook_url,
        )
        raw = document.model_dump(mode="json", exclude_none=True)
        raw["model_id"] = model.id
        raw["requested_model"] = request.model
        state = self.job_state(document)
        return Submission(request_id=document.request_id, status=state.status, raw=raw)

    async def upload_source_image(self, path: Path) -> str:
        """Host a local image at Higgsfield and return its public URL.

        The workflow may call this as its own recorded step and pass the URL as `source_image_url`, so a
        submit retried after a restart sends the very same body (an in-memory cache covers retries within
        one process).
        """
        stat = path.stat()
        cache_key = (str(path.resolve()), stat.st_size, stat.st_mtime_ns)
        if cache_key in self._uploaded:
            return self._uploaded[cache_key]
        content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        public_url = await self.client.upload(path.read_bytes(), content_type)
        self._uploaded[cache_key] = public_url
        return public_url

    async def status(self, request_id: str) -> ProviderJobState:
        return self.job_state(await self.client.status(request_id))

    def job_state(self, document: RequestStatus | Mapping[str, Any]) -> ProviderJobState:
        """Map a Higgsfield request document (a status answer or a verified webhook body) onto our states."""
        doc = document if isinstance(document, RequestStatus) else RequestStatus.model_validate(document)
        raw = doc.model_dump(mode="json", exclude_none=True)
        status = _STATUSES.get(doc.status)
        if status is None:
            if doc.request_id not in self._unknown_statuses_logged:
                self._unknown_statuses_logged.add(doc.request_id)
                log.warning(
                    "higgsfield.unknown_status request_id=%s status=%r: treating it as still processing",
                    doc.request_id,
                    doc.status,
                )
            return ProviderJobState(status=VideoStatus.PROCESSING, detail=f"unknown status {doc.status!r}", raw=raw)
        if doc.status == "completed":
            if doc.video is None:
                return ProviderJobState(
                    status=VideoStatus.FAILED,
                    error_code=ErrorCode.INTERNAL,
                    detail="completed without a video URL",
                    raw=raw,
                )
            return ProviderJobState(status=status, progress=1.0, output_url=doc.video.url, raw=raw)
        if doc.status == "nsfw":
            return ProviderJobState(status=status, error_code=ErrorCode.MODERATION, detail=doc.error or "nsfw", raw=raw)
        if doc.status == "failed":
            return ProviderJobState(status=status, error_code=ErrorCode.INTERNAL, detail=doc.error or "failed", raw=raw)
        if status is VideoStatus.CANCELED:
            return ProviderJobState(status=status, error_code=ErrorCode.CANCELED, raw=raw)
        return ProviderJobState(status=status, raw=raw)

    async def cancel(self, request_id: str) -> CancelOutcome:
        return await self.client.cancel(request_id)

    async def delete(self, request_id: str) -> None:
        await self.client.delete(request_id)

    async def download(self, state: ProviderJobState, destination: Path) -> None:
        if not state.output_url:
            raise HiggsfieldError("download: the request has no video URL")
        await self.client.download(state.output_url, destination)

    async def download_poster(self, state: ProviderJobState, destination: Path) -> bool:
        # Higgsfield documents no poster/thumbnail for v2 requests; the caller extracts one from the video.
        return False

    async def aclose(self) -> None:
        # The httpx client is injected and owned by whoever built it (the service lifespan).
        return None


def build_higgsfield_provider(settings: Settings, http: httpx.AsyncClient) -> HiggsfieldProvider:
    credentials = settings.higgsfield_credentials
    if not credentials:
        raise ValueError("Higgsfield needs credentials: set HF_KEY=id:secret, or HF_API_KEY and HF_API_SECRET")
    return HiggsfieldProvider(HiggsfieldClient(http, credentials=credentials, base_url=settings.hf_base_url))
