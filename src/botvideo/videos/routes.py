"""REST API for videos under /api/v1: list, read, create, cancel, delete, prompt preview, live streams."""

from __future__ import annotations

import asyncio
import uuid
from typing import Annotated

from fastapi import APIRouter, BackgroundTasks, Query
from fastapi.responses import FileResponse
from sse_starlette import EventSourceResponse

from botvideo.auth.deps import CurrentUser
from botvideo.communities import service as communities
from botvideo.core.deps import DatabaseDep, SessionDep
from botvideo.core.errors import NotFound
from botvideo.core.kinds import VideoStatus, VideoType
from botvideo.providers.deps import ProvidersDep
from botvideo.storage.deps import SignerDep, StorageDep
from botvideo.videos import service
from botvideo.videos.deps import EventsDep, JobsDep
from botvideo.videos.schemas import (
    CancelResult,
    CreateVideo,
    ModelOut,
    PromptPreview,
    PromptPreviewRequest,
    VideoOut,
    VideoPage,
)
from botvideo.videos.stream import community_events

router = APIRouter(prefix="/api/v1", tags=["videos"])

STREAM_PING_SECONDS = 15


@router.get("/models", response_model=list[ModelOut])
def list_models(providers: ProvidersDep, _user: CurrentUser) -> list[ModelOut]:
    """Models a video can be made with; the first is this server's default."""
    return [
        ModelOut(
            id=m.id,
            provider=m.provider,
            label=m.label,
            description=m.description,
            kind=m.kind,
            durations=list(m.durations),
            resolutions=list(m.resolutions),
            aspect_ratios=list(m.aspect_ratios),
            needs_image=m.needs_image,
            accepts_image=m.accepts_image,
            is_default=m.provider == providers.default_name,
        )
        for m in providers.models()
    ]


@router.get("/communities/{community_id}/videos", response_model=VideoPage)
def list_videos(
    community_id: uuid.UUID,
    session: SessionDep,
    signer: SignerDep,
    user: CurrentUser,
    video_type: Annotated[VideoType | None, Query(alias="type")] = None,
    status: VideoStatus | None = None,
    cursor: Annotated[str | None, Query(max_length=200)] = None,
    limit: Annotated[int, Query(ge=1, le=100)] = 24,
) -> VideoPage:
    """A community's videos, newest first. Members only."""
    return service.list_videos(
        session, signer, user, community_id, video_type=video_type, status=status, cursor=cursor, limit=limit
    )


@router.post("/communities/{community_id}/videos", response_model=VideoOut, status_code=202)
def create_video(
    community_id: uuid.UUID,
    order: CreateVideo,
    session: SessionDep,
    providers: ProvidersDep,
    storage: StorageDep,
    signer: SignerDep,
    jobs: JobsDep,
    events: EventsDep,
    user: CurrentUser,
    background: BackgroundTasks,
) -> VideoOut:
    """Start a video. Admins only. Answers at once; follow it with the events stream or GET."""
    created = service.create_video(session, providers, storage, jobs, user, community_id, order)
    background.add_task(events.publish, community_id)
    return service.to_out(signer, created.video)


@router.post("/communities/{community_id}/prompt-preview", response_model=PromptPreview)
def preview_prompt(
    community_id: uuid.UUID,
    body: PromptPreviewRequest,
    session: SessionDep,
    providers: ProvidersDep,
    user: CurrentUser,
) -> PromptPreview:
    """The exact prompt a video of this type would be made from, before anything is spent."""
    return service.preview_prompt(session, providers, user, community_id, body.video_type, body.custom_prompt)


@router.get("/communities/{community_id}/videos/events")
async def community_video_events(
    community_id: uuid.UUID,
    session: SessionDep,
    database: DatabaseDep,
    events: EventsDep,
    signer: SignerDep,
    user: CurrentUser,
) -> EventSourceResponse:
    """Server-Sent Events: a `video` event with the video's JSON whenever one of the community's videos changes."""
    await asyncio.to_thread(communities.require_member, session, community_id, user)
    stream = community_events(database, events, signer, community_id)
    return EventSourceResponse(stream, ping=STREAM_PING_SECONDS)


@router.get("/videos/{video_id}", response_model=VideoOut)
def get_video(video_id: uuid.UUID, session: SessionDep, signer: SignerDep, user: CurrentUser) -> VideoOut:
    """One video. Members only."""
    return service.to_out(signer, service.get_video(session, user, video_id))


@router.get("/videos/{video_id}/events")
async def video_events(
    video_id: uuid.UUID,
    session: SessionDep,
    database: DatabaseDep,
    events: EventsDep,
    signer: SignerDep,
    user: CurrentUser,
) -> EventSourceResponse:
    """Server-Sent Events for one video: its state now, then each change, ending when it is terminal."""
    video = await asyncio.to_thread(service.get_video, session, user, video_id)
    stream = community_events(database, events, signer, video.community_id, video_id=video_id)
    return EventSourceResponse(stream, ping=STREAM_PING_SECONDS)


@router.post("/videos/{video_id}/cancel", response_model=CancelResult)
async def cancel_video(
    video_id: uuid.UUID,
    session: SessionDep,
    providers: ProvidersDep,
    signer: SignerDep,
    jobs: JobsDep,
    events: EventsDep,
    user: CurrentUser,
    background: BackgroundTasks,
) -> CancelResult:
    """Cancel a video still in progress. Admins only. Some providers cannot stop a video once it started."""
    result = await service.cancel_video(session, providers, signer, user, video_id)
    if result.outcome == "canceled":
        # After the commit: the job then re-reads a row that is already canceled.
        background.add_task(events.publish, result.video.community_id)
        background.add_task(jobs.wake, str(video_id), "canceled")
    return result


@router.delete("/videos/{video_id}", status_code=204)
def delete_video(
    video_id: uuid.UUID,
    session: SessionDep,
    jobs: JobsDep,
    events: EventsDep,
    user: CurrentUser,
    background: BackgroundTasks,
) -> None:
    """Delete a video, its stored files and the provider's copy. Admins only."""
    community_id = service.delete_video(session, jobs, user, video_id)
    background.add_task(events.publish, community_id)


def _stored_file(key: str | None, storage: StorageDep, media_type: str) -> FileResponse:
    if key is None or not storage.exists(key):
        raise NotFound("This video has no stored file yet.")
    return FileResponse(storage.local_path(key), media_type=media_type)


@router.get("/videos/{video_id}/file", response_class=FileResponse, responses={200: {"content": {"video/mp4": {}}}})
def video_file(video_id: uuid.UUID, session: SessionDep, storage: StorageDep, user: CurrentUser) -> FileResponse:
    """The MP4, for members (supports HTTP Range)."""
    return _stored_file(service.get_video(session, user, video_id).video_key, storage, "video/mp4")


@router.get("/videos/{video_id}/poster", response_class=FileResponse, responses={200: {"content": {"image/jpeg": {}}}})
def video_poster(video_id: uuid.UUID, session: SessionDep, storage: StorageDep, user: CurrentUser) -> FileResponse:
    """The JPEG poster, for members."""
    return _stored_file(service.get_video(session, user, video_id).poster_key, storage, "image/jpeg")
