"""`LocalProvider`: renders with the local engine in the background; free, private, deterministic.

Each request is a JSON file under `work_dir/local/`, so a restarted process can pick a request up again: the
render is deterministic and free, so it simply runs again.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import shutil
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlparse

from botvideo.core.errors import InvalidInput
from botvideo.core.kinds import VideoStatus
from botvideo.engine import ClipSpec, RenderCanceled, RenderPool, render_clip, size_for
from botvideo.engine.spec import ASPECT_RATIOS, RESOLUTIONS, VIDEO_TYPES
from botvideo.providers.base import (
    BotProfile,
    CancelOutcome,
    ErrorCode,
    GenerationRequest,
    ModelInfo,
    ProviderJobState,
    Submission,
)

MODEL_ID = "botvideo/motion-graphics"
DURATIONS = tuple(range(2, 16))


@dataclass
class _Render:
    task: asyncio.Task[None]
    cancel: threading.Event
    done: int = 0
    total: int = 0
    started: bool = False
    error: str | None = None
    canceled: bool = False
    outcome: VideoStatus | None = None
    extra: dict[str, Any] = field(default_factory=dict)


class LocalProvider:
    name = "local"

    def __init__(self, work_dir: Path, *, pool: RenderPool | None = None, preset: str = "veryfast") -> None:
        self.root = Path(work_dir) / "local"
        self.pool = pool
        self.preset = preset
        self._renders: dict[str, _Render] = {}

    # --- catalogue ------------------------------------------------------------------------------------------

    def models(self) -> list[ModelInfo]:
        return [
            ModelInfo(
                id=MODEL_ID,
                provider=self.name,
                label="Motion graphics (local)",
                description="Motion graphics drawn from the bot's name, avatar and words. Free, instant.",
                kind="motion-graphics",
                durations=DURATIONS,
                resolutions=tuple(RESOLUTIONS),
                aspect_ratios=tuple(ASPECT_RATIOS),
                accepts_image=True,
            )
        ]

    def default_model(self, video_type: str, *, has_image: bool) -> str:
        return MODEL_ID

    def validate(self, request: GenerationRequest) -> None:
        if request.model != MODEL_ID:
            raise InvalidInput(f"The local provider has one model, {MODEL_ID!r} (got {request.model!r}).")
        if request.video_type not in VIDEO_TYPES:
            raise InvalidInput(f"Unknown video type {request.video_type!r}; choose one of {', '.join(VIDEO_TYPES)}.")
        if request.duration_seconds not in DURATIONS:
            raise InvalidInput(f"The duration must be 2 to 15 seconds (got {request.duration_seconds}).")
        if request.resolution not in RESOLUTIONS:
            raise InvalidInput(f"The resolution must be one of {', '.join(RESOLUTIONS)} (got {request.resolution!r}).")
        if request.aspect_ratio not in ASPECT_RATIOS:
            raise InvalidInput(
                f"The aspect ratio must be one of {', '.join(ASPECT_RATIOS)} (got {request.aspect_ratio!r})."
            )

    # --- lifecycle ------------------------------------------------------------------------------------------

    async def submit(self, request: GenerationRequest, *, idempotency_key: str) -> Submission:
        self.validate(request)
        request_id = f"local-{request.video_id}"
        record_path = self._record_path(request_id)
        if record_path.exists():
            record = json.loads(record_path.read_text())
            if record.get("idempotency_key") == idempotency_key:
                self._ensure_running(request_id, record)
                return Submission(request_id=request_id, status=VideoStatus.PENDING, raw={"resubmitted": True})
        record = _record_from(request, idempotency_key, self.preset)
        self.root.mkdir(parents=True, exist_ok=True)
        _write_json(record_path, record)
        self._ensure_running(request_id, record)
        return Submission(request_id=request_id, status=VideoStatus.PENDING, raw={"request": record})

    async def status(self, request_id: str) -> ProviderJobState:
        render = self._renders.get(request_id)
        video, poster, _ = self._outputs(request_id)
        if render is not None and render.outcome is VideoStatus.CANCELED:
            return ProviderJobState(VideoStatus.CANCELED, error_code=ErrorCode.CANCELED)
        if render is not None and render.error is not None:
            return ProviderJobState(VideoStatus.FAILED, error_code=ErrorCode.INTERNAL, detail=render.error)
        if video.exists() and (render is None or render.task.done()):
            return ProviderJobState(
                VideoStatus.COMPLETED,
                progress=1.0,
                output_url=video.resolve().as_uri(),
                poster_url=poster.resolve().as_uri() if poster.exists() else None,
            )
        if render is None:
            record_path = self._record_path(request_id)
            if not record_path.exists():
                return ProviderJobState(
                    VideoStatus.FAILED,
                    error_code=ErrorCode.INTERNAL,
                    detail=f"Unknown request {request_id}",
                )
            # The process restarted mid-render: render again (deterministic and free).
            render = self._ensure_running(request_id, json.loads(record_path.read_text()))
        if not render.started:
            return ProviderJobState(VideoStatus.PENDING, progress=0.0)
        fraction = render.done / render.total if render.total else 0.0
        return ProviderJobState(VideoStatus.PROCESSING, progress=min(0.99, fraction))

    async def cancel(self, request_id: str) -> CancelOutcome:
        render = self._renders.get(request_id)
        if render is None:
            return CancelOutcome.NOT_FOUND if not self._record_path(request_id).exists() else CancelOutcome.TOO_LATE
        if render.task.done():
            return CancelOutcome.TOO_LATE if render.outcome is not VideoStatus.CANCELED else CancelOutcome.CANCELED
        render.cancel.set()
        with contextlib.suppress(TimeoutError, asyncio.CancelledError):
            await asyncio.wait_for(asyncio.shield(render.task), timeout=30)
        render.outcome = VideoStatus.CANCELED
        render.error = None
        return CancelOutcome.CANCELED

    async def delete(self, request_id: str) -> None:
        render = self._renders.pop(request_id, None)
        if render is not None and not render.task.done():
            render.cancel.set()
            with contextlib.suppress(TimeoutError, asyncio.CancelledError):
                await asyncio.wait_for(asyncio.shield(render.task), timeout=30)
        for path in (self._record_path(request_id), *self._outputs(request_id)):
            path.unlink(missing_ok=True)

    async def download(self, state: ProviderJobState, destination: Path) -> None:
        await asyncio.to_thread(_copy_atomically, _path_from_url(state.output_url), destination)

    async def download_poster(self, state: ProviderJobState, destination: Path) -> bool:
        if not state.poster_url:
            return False
        source = _path_from_url(state.poster_url)
        if not source.exists():
            return False
        await asyncio.to_thread(_copy_atomically, source, destination)
        return True

    async def aclose(self) -> None:
        for render in self._renders.values():
            if not render.task.done():
                render.cancel.set()
        tasks = [r.task for r in self._renders.values() if not r.task.done()]
        if tasks:
            await asyncio.wait(tasks, timeout=30)

    # --- internals ------------------------------------------------------------------------------------------

    def _record_path(self, request_id: str) -> Path:
        if not request_id.startswith("local-") or "/" in request_id or "\\" in request_id or ".." in request_id:
            raise InvalidInput(f"Not a local request id: {request_id!r}")
        return self.root / f"{request_id}.json"

    def _outputs(self, request_id: str) -> tuple[Path, Path, Path]:
        base = self.root / request_id
        return base.with_suffix(".mp4"), base.with_suffix(".jpg"), base.with_suffix(".webp")

    def _ensure_running(self, request_id: str, record: dict[str, Any]) -> _Render:
        existing = self._renders.get(request_id)
        if existing is not None and (not existing.task.done() or existing.error is None):
            return existing
        video, poster, thumbnail = self._outputs(request_id)
        cancel = threading.Event()
        render: _Render
        loop = asyncio.get_running_loop()

        def progress(done: int, total: int) -> None:
            render.started = True
            render.done, render.total = done, total

        async def run() -> None:
            if video.exists():
                return
            try:
                spec = _spec_from(record)
                await loop.run_in_executor(
                    None,
                    lambda: render_clip(
                        spec,
                        video,
                        poster=poster,
                        thumbnail=thumbnail,
                        progress=progress,
                        pool=self.pool,
                        cancel=cancel,
                    ),
                )
            except RenderCanceled:
                render.outcome = VideoStatus.CANCELED
            except Exception as exc:  # every failure becomes a FAILED status, never a crashed task
                render.error = f"{type(exc).__name__}: {exc}"

        render = _Render(task=loop.create_task(run(), name=f"local-render-{request_id}"), cancel=cancel)
        self._renders[request_id] = render
        return render


def _record_from(request: GenerationRequest, idempotency_key: str, preset: str) -> dict[str, Any]:
    bot: BotProfile = request.bot
    width, height = size_for(request.resolution, request.aspect_ratio)
    avatar = request.source_image_path or bot.avatar_path
    return {
        "idempotency_key": idempotency_key,
        "video_id": request.video_id,
        "video_type": request.video_type,
        "title": bot.name,
        "description": bot.description,
        "instructions": bot.instructions,
        "prompt": request.prompt,
        "token_name": bot.token_name,
        "token_symbol": bot.token_symbol,
        "avatar_path": str(avatar) if avatar is not None else None,
        "width": width,
        "height": height,
        "duration_seconds": request.duration_seconds,
        "seed": request.seed,
        "preset": preset,
    }


def _spec_from(record: dict[str, Any]) -> ClipSpec:
    return ClipSpec(
        video_type=record["video_type"],
        title=record["title"],
        description=record.get("description") or "",
        instructions=record.get("instructions") or "",
        prompt=record.get("prompt") or "",
        token_name=record.get("token_name"),
        token_symbol=record.get("token_symbol"),
        avatar_path=Path(record["avatar_path"]) if record.get("avatar_path") else None,
        width=int(record["width"]),
        height=int(record["height"]),
        duration_seconds=float(record["duration_seconds"]),
        seed=int(record.get("seed") or 0),
        preset=record.get("preset") or "veryfast",
    )


def _write_json(path: Path, data: dict[str, Any]) -> None:
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_text(json.dumps(data, ensure_ascii=False, indent=2))
    os.replace(tmp, path)


def _path_from_url(url: str | None) -> Path:
    if not url:
        raise InvalidInput("The job has no output to download yet.")
    parsed = urlparse(url)
    if parsed.scheme != "file":
        raise InvalidInput(f"The local provider only serves file:// outputs (got {parsed.scheme!r}).")
    return Path(unquote(parsed.path))


def _copy_atomically(source: Path, destination: Path) -> None:
    destination.parent.mkdir(parents=True, exist_ok=True)
    tmp = destination.with_name(f".{destination.name}.part")
    shutil.copyfile(source, tmp)
    os.replace(tmp, destination)
