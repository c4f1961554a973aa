"""The durable life of one video: submit once, wait for a webhook or poll, store the result, or fail safely.

One DBOS workflow per video, its id the video id. Every step is idempotent, because DBOS runs a step again when the
process died after the step did its work but before its checkpoint was written:
- submit passes the video id as the provider's idempotency key and records every request id it is given;
- storing writes temp files and renames them to keys derived from the video id;
- row updates are guarded so a terminal status is never left again.
Time is read inside steps only, so a replayed workflow takes the same path it took the first time.
"""

from __future__ import annotations

import asyncio
import logging
import time
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from dbos import DBOS

from botvideo.core.db import unit_of_work
from botvideo.core.jobs import CLEANUP_WORKFLOW, GENERATE_VIDEO_WORKFLOW, PROVIDER_UPDATE_TOPIC
from botvideo.engine.media import NotAVideo, extract_poster, probe_video
from botvideo.providers.base import (
    ErrorCode,
    GenerationRequest,
    ProviderBusy,
    ProviderError,
    ProviderJobState,
    ProviderStatus,
)
from botvideo.runtime import Runtime, current_runtime
from botvideo.storage.remote import fetch_public_image
from botvideo.videos import lifecycle, repository
from botvideo.videos.models import BotVideo

log = logging.getLogger(__name__)

FINISHED = "finished"
# Each round is already a few HTTP attempts with backoff inside the provider client.
MAX_TRANSIENT_SUBMIT_ROUNDS = 3


def _video_keys(video: BotVideo) -> tuple[str, str, str]:
    base = f"communities/{video.community_id}/videos/{video.id}"
    return f"{base}.mp4", f"{base}.jpg", f"{base}.webp"


def _publish(runtime: Runtime, video: BotVideo | None) -> None:
    if video is not None:
        runtime.events.publish(video.community_id)


@dataclass(frozen=True)
class _Job:
    """A video row read for one step, detached from its session."""

    video_id: uuid.UUID
    community_id: uuid.UUID
    provider: str
    status: str
    request_id: str | None
    cancel_requested: bool
    request: GenerationRequest | None


def _load_job(runtime: Runtime, video_id: uuid.UUID) -> _Job | None:
    from botvideo.communities import repository as community_rows
    from botvideo.communities import service as communities

    with unit_of_work(runtime.sessions) as session:
        video = repository.get(session, video_id)
        if video is None:
            return None
        community = community_rows.get(session, video.community_id)
        request = None
        if community is not None:
            source = runtime.storage.local_path(video.source_image_key) if video.source_image_key else None
            webhook = (
                f"{runtime.settings.public_url.rstrip('/')}/api/v1/webhooks/{video.provider}/{video.id}"
                if runtime.settings.public_url
                else None
            )
            request = GenerationRequest(
                video_id=str(video.id),
                video_type=video.video_type,
                prompt=video.prompt,
                model=video.model,
                bot=communities.bot_profile(community, runtime.storage),
                duration_seconds=video.requested_duration,
                resolution=video.resolution or "1080p",
                aspect_ratio=video.aspect_ratio,
                source_image_path=source,
                source_image_url=video.source_image_url,
                webhook_url=webhook,
                seed=video.seed,
            )
        return _Job(
            video_id=video.id,
            community_id=video.community_id,
            provider=video.provider,
            status=video.status,
            request_id=video.provider_request_id,
            cancel_requested=video.cancel_requested_at is not None,
            request=request,
        )


def _transition(runtime: Runtime, change: Any, video_id: uuid.UUID, *args: Any, **kwargs: Any) -> bool:
    """Run one lifecycle change in its own transaction; True when the row changed."""
    with unit_of_work(runtime.sessions) as session:
        video = change(session, video_id, *args, **kwargs)
    _publish(runtime, video)
    return video is not None


@DBOS.step(name="video.clock")
async def now_step() -> float:
    return time.time()


@DBOS.step(name="video.begin")
async def begin_step(video_id: str) -> dict[str, Any]:
    runtime = current_runtime()

    def begin() -> dict[str, Any]:
        with unit_of_work(runtime.sessions) as session:
            video = lifecycle.begin(session, uuid.UUID(video_id), runtime.settings.job_deadline_seconds)
            if video is None or video.deadline_at is None:
                return {"outcome": FINISHED}
            return {
                "outcome": "open",
                "deadline": video.deadline_at.timestamp(),
                "request_id": video.provider_request_id,
            }

    return await asyncio.to_thread(begin)


@DBOS.step(name="video.submit")
async def submit_step(video_id: str) -> dict[str, Any]:
    runtime = current_runtime()
    vid = uuid.UUID(video_id)
    job = await asyncio.to_thread(_load_job, runtime, vid)
    if job is None or job.request is None or repository.is_terminal_status(job.status):
        return {"outcome": FINISHED}
    if job.cancel_requested:
        await asyncio.to_thread(_transition, runtime, lifecycle.fail, vid, ErrorCode.CANCELED)
        return {"outcome": FINISHED}
    if job.request_id is not None:  # submitted by an earlier run of this step whose checkpoint was lost
        return {"outcome": "submitted", "request_id": job.request_id}

    provider = runtime.provider_registry().get(job.provider)
    request = job.request
    if request.source_image_url and request.source_image_path is None and job.provider == "local":
        try:
            image = await fetch_public_image(runtime.http, request.source_image_url)
        except Exception as exc:
            log.warning("video.source_image_unavailable video=%s error=%s", video_id, exc)
        else:
            key = f"communities/{job.community_id}/sources/{video_id}.img"
            runtime.storage.save_bytes(key, image)
            request = GenerationRequest(**{**request.__dict__, "source_image_path": runtime.storage.local_path(key)})
    try:
        submission = await provider.submit(request, idempotency_key=video_id)
    except ProviderBusy:
        return {"outcome": "busy"}
    except ProviderError as exc:
        if exc.retryable:
            return {"outcome": "retry", "detail": exc.detail}
        await asyncio.to_thread(_transition, runtime, lifecycle.fail, vid, exc.error_code, exc.detail)
        return {"outcome": FINISHED}

    def record() -> tuple[bool, str | None, list[str]]:
        with unit_of_work(runtime.sessions) as session:
            video = lifecycle.record_submission(session, vid, submission.request_id, dict(submission.raw))
            if video is None:
                return False, None, []
            cancel = video.cancel_requested_at is not None
            ids = list(video.generation_metadata.get("provider_request_ids", []))
            first = video.provider_request_id
        _publish(runtime, video)
        return cancel, first, ids

    cancel_requested, first_request_id, request_ids = await asyncio.to_thread(record)
    if first_request_id is None:  # the video was deleted meanwhile
        await provider.cancel(submission.request_id)
        return {"outcome": FINISHED}
    if submission.request_id != first_request_id:
        # The provider ignored our idempotency key and made a second request for this video: stop it if it can.
        outcome = await provider.cancel(submission.request_id)
        log.warning("video.duplicate_request video=%s request=%s cancel=%s", video_id, submission.request_id, outcome)
        await asyncio.to_thread(
            _transition,
            runtime,
            lifecycle.note,
            vid,
            "duplicate_requests",
            {"ids": request_ids, "cancel": outcome},
        )
    if cancel_requested:
        await provider.cancel(first_request_id)
    return {"outcome": "submitted", "request_id": first_request_id}


@DBOS.step(name="video.poll", retries_allowed=True, max_attempts=4, interval_seconds=2.0, backoff_rate=2.0)
async def poll_step(video_id: str, request_id: str) -> dict[str, Any]:
    runtime = current_runtime()
    vid = uuid.UUID(video_id)
    job = await asyncio.to_thread(_load_job, runtime, vid)
    if job is None or repository.is_terminal_status(job.status):
        return {"status": FINISHED, "checked_at": time.time()}
    try:
        state = await runtime.provider_registry().get(job.provider).status(request_id)
    except ProviderError as exc:
        if exc.retryable:
            raise  # the step's own retries, with backoff
        state = ProviderJobState(status=ProviderStatus.FAILED, error_code=exc.error_code, detail=exc.detail)
    if not state.status.is_terminal:
        await asyncio.to_thread(_transition, runtime, lifecycle.record_progress, vid, state.progress)
    return {
        "status": state.status.value,
        "progress": state.progress,
        "output_url": state.output_url,
        "poster_url": state.poster_url,
        "error_code": state.error_code.value if state.error_code else None,
        "detail": state.detail,
        "checked_at": time.time(),
    }


@DBOS.step(name="video.store", retries_allowed=True, max_attempts=4, interval_seconds=2.0, backoff_rate=2.0)
async def store_step(video_id: str, provider_state: dict[str, Any]) -> str:
    runtime = current_runtime()
    vid = uuid.UUID(video_id)
    job = await asyncio.to_thread(_load_job, runtime, vid)
    if job is None or repository.is_terminal_status(job.status):
        return FINISHED
    provider = runtime.provider_registry().get(job.provider)
    state = ProviderJobState(
        status=ProviderStatus.COMPLETED,
        output_url=provider_state.get("output_url"),
        poster_url=provider_state.get("poster_url"),
    )
    work = runtime.settings.work_dir / "downloads"
    work.mkdir(parents=True, exist_ok=True)
    video_file, poster_file, thumb_file = (work / f"{video_id}{ext}" for ext in (".mp4", ".jpg", ".webp"))
    await provider.download(state, video_file)

    def finish() -> None:
        try:
            probe = probe_video(video_file)
        except NotAVideo as exc:
            _transition(runtime, lifecycle.fail, vid, ErrorCode.INTERNAL, f"provider output unreadable: {exc}")
            return
        if not (poster_file.exists() and thumb_file.exists()):
            extract_poster(video_file, poster_file, thumb_file, at_seconds=min(1.0, probe.duration_seconds / 2))
        with unit_of_work(runtime.sessions) as session:
            video = repository.get(session, vid)
            if video is None:
                return
            video_key, poster_key, thumb_key = _video_keys(video)
        runtime.storage.save_file(poster_key, poster_file)
        runtime.storage.save_file(thumb_key, thumb_file)
        runtime.storage.save_file(video_key, video_file)
        _transition(
            runtime,
            lifecycle.complete,
            vid,
            video_key=video_key,
            poster_key=poster_key,
            thumbnail_key=thumb_key,
            duration_seconds=probe.duration_seconds,
            width=probe.width,
            height=probe.height,
            resolution=probe.resolution,
        )

    if await provider.download_poster(state, poster_file):
        await asyncio.to_thread(_thumbnail_from_poster, poster_file, thumb_file)
    await asyncio.to_thread(finish)
    return "completed"


def _thumbnail_from_poster(poster: Path, thumbnail: Path) -> None:
    from PIL import Image

    from botvideo.engine.media import save_poster

    with Image.open(poster) as image:
        save_poster(image, poster, thumbnail)


@DBOS.step(name="video.fail")
async def fail_step(video_id: str, code: str, detail: str | None) -> str:
    runtime = current_runtime()
    await asyncio.to_thread(_transition, runtime, lifecycle.fail, uuid.UUID(video_id), ErrorCode(code), detail)
    return code


@DBOS.step(name="video.cancel_at_provider")
async def cancel_at_provider_step(video_id: str, request_id: str) -> str:
    runtime = current_runtime()
    job = await asyncio.to_thread(_load_job, runtime, uuid.UUID(video_id))
    if job is None:
        return "gone"
    try:
        return (await runtime.provider_registry().get(job.provider).cancel(request_id)).value
    except ProviderError as exc:
        return f"error: {exc.detail}"


def next_poll_interval(elapsed: float, base: float, backoff_after: float, ceiling: float) -> float:
    """Every `base` seconds for the first `backoff_after`, then growing by half each minute up to `ceiling`."""
    if elapsed < backoff_after:
        return base
    minutes_late = (elapsed - backoff_after) / 60.0
    return float(min(ceiling, base * (1.5 ** (1 + minutes_late))))


@DBOS.workflow(name=GENERATE_VIDEO_WORKFLOW)
async def generate_video(video_id: str) -> str:
    settings = current_runtime().settings
    plan = await begin_step(video_id)
    if plan["outcome"] == FINISHED:
        return FINISHED
    deadline: float = plan["deadline"]
    request_id: str | None = plan["request_id"]

    waits = 0
    transient_failures = 0
    while request_id is None:
        submitted = await submit_step(video_id)
        if submitted["outcome"] == FINISHED:
            return FINISHED
        if submitted["outcome"] == "submitted":
            request_id = submitted["request_id"]
            break
        # Busy (the provider's concurrency cap) or a transient failure: nothing was accepted, so wait and retry.
        # Busy waits last until the deadline; a provider that keeps failing is given up on after a few rounds.
        if await now_step() >= deadline:
            return await fail_step(video_id, ErrorCode.TIMED_OUT.value, submitted.get("detail"))
        if submitted["outcome"] == "retry":
            transient_failures += 1
            if transient_failures >= MAX_TRANSIENT_SUBMIT_ROUNDS:
                return await fail_step(video_id, ErrorCode.PROVIDER_UNAVAILABLE.value, submitted.get("detail"))
        await DBOS.sleep_async(min(60.0, settings.poll_interval_seconds * (2 ** min(waits, 4))))
        waits += 1

    started = await now_step()
    while True:
        try:
            state = await poll_step(video_id, request_id)
        except Exception as exc:
            log.warning("video.poll_failed video=%s error=%s", video_id, exc)
            state = {"status": "unreachable", "checked_at": await now_step()}
        status = state["status"]
        if status == FINISHED:
            return FINISHED
        if status == ProviderStatus.COMPLETED.value:
            try:
                return await store_step(video_id, state)
            except Exception as exc:
                return await fail_step(video_id, ErrorCode.PROVIDER_UNAVAILABLE.value, f"download failed: {exc}")
        if status == ProviderStatus.FAILED.value:
            return await fail_step(video_id, state.get("error_code") or ErrorCode.INTERNAL.value, state.get("detail"))
        if status == ProviderStatus.CANCELED.value:
            return await fail_step(video_id, ErrorCode.CANCELED.value, state.get("detail"))
        now: float = state["checked_at"]
        if now >= deadline:
            await cancel_at_provider_step(video_id, request_id)
            return await fail_step(video_id, ErrorCode.TIMED_OUT.value, "job deadline reached")
        interval = next_poll_interval(
            now - started,
            settings.poll_interval_seconds,
            settings.poll_backoff_after_seconds,
            settings.poll_max_interval_seconds,
        )
        # A webhook or a cancel wakes this early; either way the provider's status is re-read before acting.
        await DBOS.recv_async(PROVIDER_UPDATE_TOPIC, timeout_seconds=max(0.05, min(interval, deadline - now)))


@DBOS.step(name="cleanup.stop_generation")
async def stop_generation_step(video_id: str) -> None:
    await DBOS.cancel_workflow_async(video_id)


@DBOS.step(name="cleanup.provider_copy", retries_allowed=True, max_attempts=5, interval_seconds=5.0, backoff_rate=2.0)
async def delete_provider_copy_step(provider_name: str, request_id: str) -> str:
    provider = current_runtime().provider_registry().get(provider_name)
    outcome = await provider.cancel(request_id)
    await provider.delete(request_id)
    return outcome.value


@DBOS.step(name="cleanup.files")
async def delete_files_step(storage_keys: list[str]) -> None:
    storage = current_runtime().storage
    for key in storage_keys:
        await asyncio.to_thread(storage.delete, key)


@DBOS.workflow(name=CLEANUP_WORKFLOW)
async def clean_up_deleted_video(
    video_id: str, provider: str, request_ids: list[str], storage_keys: list[str], stop_generation: bool
) -> None:
    if stop_generation:
        await stop_generation_step(video_id)
    for request_id in request_ids:
        try:
            await delete_provider_copy_step(provider, request_id)
        except Exception as exc:
            log.warning("cleanup.provider_copy_kept video=%s request=%s error=%s", video_id, request_id, exc)
    await delete_files_step(storage_keys)
