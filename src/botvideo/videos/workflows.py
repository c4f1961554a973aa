"""The durable life of one video: submit once, wait for a webhook or poll, store the result, or fail safely.

One DBOS workflow per video, its id the video id. Every step is idempotent, because DBOS runs a step again when the
process died after the step did its work but before its checkpoint was written:
- submit passes the video id as the provider's idempotency key and records every request id it is given;
- storing writes temp files and renames them to keys derived from the video id;
- row updates are guarded so a terminal status is never left again.
Time is read inside steps only, so a replayed workflow takes the same path it took the first time. Steps return
small typed values (pickled by DBOS into its checkpoints).
"""

from __future__ import annotations

import asyncio
import logging
import time
import uuid
from dataclasses import dataclass, replace
from enum import StrEnum
from pathlib import Path

from dbos import DBOS
from PIL import Image

from botvideo.communities import repository as community_rows
from botvideo.communities import service as communities
from botvideo.core.kinds import VideoStatus
from botvideo.engine.media import NotAVideo, extract_poster, probe_video, save_poster
from botvideo.providers.base import ErrorCode, GenerationRequest, ProviderBusy, ProviderError, ProviderJobState
from botvideo.storage.remote import fetch_public_image
from botvideo.videos import lifecycle, repository, retry
from botvideo.videos.jobs import CLEANUP_WORKFLOW, GENERATE_VIDEO_WORKFLOW, PROVIDER_UPDATE_TOPIC
from botvideo.videos.worker import WorkerContext, context

log = logging.getLogger(__name__)


def _video_keys(community_id: uuid.UUID, video_id: uuid.UUID) -> tuple[str, str, str]:
    base = f"{communities.media_key_prefix(community_id)}videos/{video_id}"
    return f"{base}.mp4", f"{base}.jpg", f"{base}.webp"


# --- what steps return ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Plan:
    """The job's deadline and, after a crash, the request an earlier run already submitted."""

    deadline: float
    request_id: str | None


class SubmitOutcome(StrEnum):
    SUBMITTED = "submitted"
    FINISHED = "finished"  # the video is terminal or gone: nothing more to do
    BUSY = "busy"  # the provider's concurrency cap: nothing was accepted, wait for a slot
    RETRY = "retry"  # a transient failure: nothing was accepted, try again


@dataclass(frozen=True)
class Submitted:
    outcome: SubmitOutcome
    request_id: str | None = None
    detail: str | None = None


@dataclass(frozen=True)
class Observation:
    """The provider's state of a request as a poll saw it; `status` None means the video is finished here."""

    status: VideoStatus | None
    checked_at: float
    output_url: str | None = None
    poster_url: str | None = None
    error_code: ErrorCode | None = None
    detail: str | None = None


# --- reading a job -------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Job:
    """A video row read for one step, detached from its session."""

    video_id: uuid.UUID
    community_id: uuid.UUID
    provider: str
    status: VideoStatus
    request_id: str | None
    cancel_requested: bool
    request: GenerationRequest | None


def _load_job(ctx: WorkerContext, video_id: uuid.UUID) -> _Job | None:
    with ctx.database.transaction() as session:
        video = repository.get(session, video_id)
        if video is None:
            return None
        community = community_rows.get(session, video.community_id)
        request = None
        if community is not None:
            request = GenerationRequest(
                video_id=str(video.id),
                video_type=video.video_type,
                prompt=video.prompt,
                model=video.model,
                bot=communities.bot_profile(community, ctx.storage),
                duration_seconds=video.requested_duration,
                resolution=video.resolution or "1080p",
                aspect_ratio=video.aspect_ratio,
                source_image_path=ctx.storage.local_path(video.source_image_key) if video.source_image_key else None,
                source_image_url=video.source_image_url,
                webhook_url=ctx.webhook_url(video.provider, video.id),
                seed=video.seed,
            )
        return _Job(
            video_id=video.id,
            community_id=video.community_id,
            provider=video.provider,
            status=video.status_enum,
            request_id=video.provider_request_id,
            cancel_requested=video.cancel_requested_at is not None,
            request=request,
        )


def _fail(ctx: WorkerContext, video_id: uuid.UUID, code: ErrorCode, detail: str | None = None) -> None:
    ctx.change(lambda session: lifecycle.fail(session, video_id, code, detail))


# --- steps ---------------------------------------------------------------------------------------------------


@DBOS.step(name="video.clock")
async def now_step() -> float:
    return time.time()


@DBOS.step(name="video.begin")
async def begin_step(video_id: str) -> Plan | None:
    """Set the deadline; None when the video is already terminal or gone."""
    ctx = context()

    def begin() -> Plan | None:
        with ctx.database.transaction() as session:
            video = lifecycle.begin(session, uuid.UUID(video_id), ctx.settings.job_deadline_seconds)
            if video is None or video.deadline_at is None:
                return None
            return Plan(deadline=video.deadline_at.timestamp(), request_id=video.provider_request_id)

    return await asyncio.to_thread(begin)


async def _with_fetched_image(ctx: WorkerContext, job: _Job, request: GenerationRequest) -> GenerationRequest:
    """The local engine draws from a file: fetch a public source image once (SSRF-guarded) and store it."""
    if not (request.source_image_url and request.source_image_path is None and job.provider == "local"):
        return request
    try:
        image = await fetch_public_image(ctx.providers()[1], request.source_image_url)
    except Exception as exc:
        log.warning("video.source_image_unavailable video=%s error=%s", job.video_id, exc)
        return request
    key = f"{communities.media_key_prefix(job.community_id)}sources/{job.video_id}.img"
    ctx.storage.save_bytes(key, image)
    return replace(request, source_image_path=ctx.storage.local_path(key))


@DBOS.step(name="video.submit")
async def submit_step(video_id: str) -> Submitted:
    ctx = context()
    vid = uuid.UUID(video_id)
    job = await asyncio.to_thread(_load_job, ctx, vid)
    if job is None or job.request is None or job.status.is_terminal:
        return Submitted(SubmitOutcome.FINISHED)
    if job.cancel_requested:
        await asyncio.to_thread(_fail, ctx, vid, ErrorCode.CANCELED)
        return Submitted(SubmitOutcome.FINISHED)
    if job.request_id is not None:  # submitted by an earlier run of this step whose checkpoint was lost
        return Submitted(SubmitOutcome.SUBMITTED, job.request_id)

    provider = ctx.providers()[0].get(job.provider)
    request = await _with_fetched_image(ctx, job, job.request)
    try:
        submission = await provider.submit(request, idempotency_key=video_id)
    except ProviderBusy:
        return Submitted(SubmitOutcome.BUSY)
    except ProviderError as exc:
        if exc.retryable:
            return Submitted(SubmitOutcome.RETRY, detail=exc.detail)
        await asyncio.to_thread(_fail, ctx, vid, exc.error_code, exc.detail)
        return Submitted(SubmitOutcome.FINISHED)

    recorded = await asyncio.to_thread(
        ctx.change, lambda session: lifecycle.record_submission(session, vid, submission.request_id, submission.raw)
    )
    if recorded is None or recorded.provider_request_id is None:  # the video was deleted meanwhile
        await provider.cancel(submission.request_id)
        return Submitted(SubmitOutcome.FINISHED)
    first_request_id = recorded.provider_request_id
    if submission.request_id != first_request_id:
        # The provider ignored our idempotency key and made a second request for this video: stop it if it can.
        outcome = await provider.cancel(submission.request_id)
        log.warning("video.duplicate_request video=%s request=%s cancel=%s", video_id, submission.request_id, outcome)
        note = {"ids": list(recorded.generation_metadata.get("provider_request_ids", [])), "cancel": outcome.value}
        await asyncio.to_thread(ctx.change, lambda session: lifecycle.note(session, vid, "duplicate_requests", note))
    if recorded.cancel_requested_at is not None:
        await provider.cancel(first_request_id)
    return Submitted(SubmitOutcome.SUBMITTED, first_request_id)


@DBOS.step(name="video.poll", **retry.PROVIDER_CALL.options())
async def poll_step(video_id: str, request_id: str) -> Observation:
    ctx = context()
    vid = uuid.UUID(video_id)
    job = await asyncio.to_thread(_load_job, ctx, vid)
    if job is None or job.status.is_terminal:
        return Observation(status=None, checked_at=time.time())
    try:
        state = await ctx.providers()[0].get(job.provider).status(request_id)
    except ProviderError as exc:
        if exc.retryable:
            raise  # the step's own retries, with backoff
        state = ProviderJobState(status=VideoStatus.FAILED, error_code=exc.error_code, detail=exc.detail)
    if not state.status.is_terminal:
        await asyncio.to_thread(ctx.change, lambda session: lifecycle.record_progress(session, vid, state.progress))
    return Observation(
        status=state.status,
        checked_at=time.time(),
        output_url=state.output_url,
        poster_url=state.poster_url,
        error_code=state.error_code,
        detail=state.detail,
    )


@DBOS.step(name="video.store", **retry.PROVIDER_CALL.options())
async def store_step(video_id: str, observed: Observation) -> None:
    """Download the result, make a poster and thumbnail, probe it, store the files and mark the video completed."""
    ctx = context()
    vid = uuid.UUID(video_id)
    job = await asyncio.to_thread(_load_job, ctx, vid)
    if job is None or job.status.is_terminal:
        return
    provider = ctx.providers()[0].get(job.provider)
    state = ProviderJobState(
        status=VideoStatus.COMPLETED, output_url=observed.output_url, poster_url=observed.poster_url
    )
    work = ctx.settings.work_dir / "downloads"
    work.mkdir(parents=True, exist_ok=True)
    video_file, poster_file, thumb_file = (work / f"{video_id}{ext}" for ext in (".mp4", ".jpg", ".webp"))
    await provider.download(state, video_file)
    if await provider.download_poster(state, poster_file):
        await asyncio.to_thread(_thumbnail_from_poster, poster_file, thumb_file)
    await asyncio.to_thread(_store, ctx, job, video_file, poster_file, thumb_file)


def _thumbnail_from_poster(poster: Path, thumbnail: Path) -> None:
    with Image.open(poster) as image:
        save_poster(image, poster, thumbnail)


def _store(ctx: WorkerContext, job: _Job, video_file: Path, poster_file: Path, thumb_file: Path) -> None:
    try:
        probe = probe_video(video_file)
    except NotAVideo as exc:
        _fail(ctx, job.video_id, ErrorCode.INTERNAL, f"provider output unreadable: {exc}")
        return
    if not (poster_file.exists() and thumb_file.exists()):
        extract_poster(video_file, poster_file, thumb_file, at_seconds=min(1.0, probe.duration_seconds / 2))
    video_key, poster_key, thumb_key = _video_keys(job.community_id, job.video_id)
    ctx.storage.save_file(poster_key, poster_file)
    ctx.storage.save_file(thumb_key, thumb_file)
    ctx.storage.save_file(video_key, video_file)
    ctx.change(
        lambda session: lifecycle.complete(
            session,
            job.video_id,
            video_key=video_key,
            poster_key=poster_key,
            thumbnail_key=thumb_key,
            duration_seconds=probe.duration_seconds,
            width=probe.width,
            height=probe.height,
            resolution=probe.resolution,
        )
    )


@DBOS.step(name="video.fail")
async def fail_step(video_id: str, code: ErrorCode, detail: str | None) -> None:
    await asyncio.to_thread(_fail, context(), uuid.UUID(video_id), code, detail)


@DBOS.step(name="video.cancel_at_provider")
async def cancel_at_provider_step(video_id: str, request_id: str) -> None:
    ctx = context()
    job = await asyncio.to_thread(_load_job, ctx, uuid.UUID(video_id))
    if job is None:
        return
    try:
        await ctx.providers()[0].get(job.provider).cancel(request_id)
    except ProviderError as exc:
        log.warning("video.cancel_at_provider_failed video=%s error=%s", video_id, exc.detail)


# --- the workflow --------------------------------------------------------------------------------------------


async def _submit(video_id: str, deadline: float) -> str | None:
    """Submit until the provider accepts; the request id, or None when the video ended meanwhile."""
    settings = context().settings
    failed_rounds = 0
    round_ = 0
    while True:
        submitted = await submit_step(video_id)
        if submitted.outcome is SubmitOutcome.FINISHED:
            return None
        if submitted.outcome is SubmitOutcome.SUBMITTED:
            return submitted.request_id
        # Busy waits last until the deadline; a provider that keeps failing is given up on after a few rounds.
        if await now_step() >= deadline:
            await fail_step(video_id, ErrorCode.TIMED_OUT, submitted.detail)
            return None
        if submitted.outcome is SubmitOutcome.RETRY:
            failed_rounds += 1
            if failed_rounds >= retry.SUBMIT_ROUNDS:
                await fail_step(video_id, ErrorCode.PROVIDER_UNAVAILABLE, submitted.detail)
                return None
        await DBOS.sleep_async(retry.submit_wait(round_, settings.poll_interval_seconds))
        round_ += 1


async def _observe(video_id: str, request_id: str) -> Observation:
    try:
        return await poll_step(video_id, request_id)
    except Exception as exc:  # the step's retries are spent: the provider is unreachable for now
        log.warning("video.poll_failed video=%s error=%s", video_id, exc)
        return Observation(status=VideoStatus.PROCESSING, checked_at=await now_step())


@DBOS.workflow(name=GENERATE_VIDEO_WORKFLOW)
async def generate_video(video_id: str) -> None:
    settings = context().settings
    plan = await begin_step(video_id)
    if plan is None:
        return
    request_id = plan.request_id or await _submit(video_id, plan.deadline)
    if request_id is None:
        return

    started = await now_step()
    while True:
        observed = await _observe(video_id, request_id)
        if observed.status is None:
            return
        if observed.status is VideoStatus.COMPLETED:
            try:
                await store_step(video_id, observed)
            except Exception as exc:
                await fail_step(video_id, ErrorCode.PROVIDER_UNAVAILABLE, f"download failed: {exc}")
            return
        if observed.status is VideoStatus.FAILED:
            await fail_step(video_id, observed.error_code or ErrorCode.INTERNAL, observed.detail)
            return
        if observed.status is VideoStatus.CANCELED:
            await fail_step(video_id, ErrorCode.CANCELED, observed.detail)
            return
        if observed.checked_at >= plan.deadline:
            await cancel_at_provider_step(video_id, request_id)
            await fail_step(video_id, ErrorCode.TIMED_OUT, "job deadline reached")
            return
        interval = retry.poll_interval(
            observed.checked_at - started,
            settings.poll_interval_seconds,
            settings.poll_backoff_after_seconds,
            settings.poll_max_interval_seconds,
        )
        # A webhook or a cancel wakes this early; either way the provider's status is re-read before acting.
        remaining = plan.deadline - observed.checked_at
        await DBOS.recv_async(PROVIDER_UPDATE_TOPIC, timeout_seconds=max(0.05, min(interval, remaining)))


# --- cleanup after a delete ----------------------------------------------------------------------------------


@DBOS.step(name="cleanup.stop_generation")
async def stop_generation_step(video_id: str) -> None:
    await DBOS.cancel_workflow_async(video_id)


@DBOS.step(name="cleanup.provider_copy", **retry.CLEANUP_CALL.options())
async def delete_provider_copy_step(provider_name: str, request_id: str) -> None:
    provider = context().providers()[0].get(provider_name)
    await provider.cancel(request_id)
    await provider.delete(request_id)


@DBOS.step(name="cleanup.files")
async def delete_files_step(storage_keys: list[str]) -> None:
    storage = context().storage
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
