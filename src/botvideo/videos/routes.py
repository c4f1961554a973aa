"""REST API for videos under /api/v1: list, read, create, cancel, delete, prompt preview, live streams."""

from __future__ import annotations

import uuid
from typing import Annotated, Literal

from fastapi import APIRouter, BackgroundTasks, Query, Request
from fastapi.responses import FileResponse
from sse_starlette import EventSourceResponse

from botvideo.auth.deps import CurrentUser
from botvideo.communities import service as communities
from botvideo.core.deps import RuntimeDep, SessionDep
from botvideo.core.errors import NotFound
from botvideo.videos import service
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


@router.get("/models", response_model=list[ModelOut])
def list_models(runtime: RuntimeDep, _user: CurrentUser) -> list[ModelOut]:
    """Models a video can be made with; the first is this server's default."""
    registry = runtime.provider_registry()
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
            is_default=m.provider == registry.default_name,
        )
        for m in registry.models()
    ]


@router.get("/communities/{community_id}/videos", response_model=VideoPage)
def list_videos(
    community_id: uuid.UUID,
    session: SessionDep,
    runtime: RuntimeDep,
    user: CurrentUser,
    video_type: Annotated[Literal["intro", "promo", "token_reveal", "custom"] | None, Query(alias="type")] = None,
    status: Literal["pending", "processing", "completed", "failed", "canceled"] | None = None,
    cursor: Annotated[str | None, Query(max_length=200)] = None,
    limit: Annotated[int, Query(ge=1, le=100)] = 24,
) -> VideoPage:
    """A community's videos, newest first. Members only."""
    return service.list_videos(
        session, runtime, user, community_id, video_type=video_type, status=status, cursor=cursor, limit=limit
    )


@router.post("/communities/{community_id}/videos", response_model=VideoOut, status_code=202)
def create_video(
    community_id: uuid.UUID,
    order: CreateVideo,
    session: SessionDep,
    runtime: RuntimeDep,
    user: CurrentUser,
    background: BackgroundTasks,
) -> VideoOut:
    """Start a video. Admins only. Answers at once; follow it with the events stream or GET."""
    created = service.create_video(session, runtime, user, community_id, order)
    background.add_task(runtime.events.publish, community_id)
    return service.to_out(runtime, created.video)


@router.post("/communities/{community_id}/prompt-preview", response_model=PromptPreview)
def preview_prompt(
    community_id: uuid.UUID,
    body: PromptPreviewRequest,
    session: SessionDep,
    runtime: RuntimeDep,
    user: CurrentUser,
) -> PromptPreview:
    """The exact prompt a video of this type would be made from, before anything is spent."""
    return service.preview_prompt(
        session, runtime.provider_registry(), user, community_id, body.video_type, body.custom_prompt
    )


@router.get("/communities/{community_id}/videos/events")
async def community_video_events(
    community_id: uuid.UUID, request: Request, runtime: RuntimeDep, user: CurrentUser
) -> EventSourceResponse:
    """Server-Sent Events: a `video` event with the video's JSON whenever one of the community's videos changes."""
    import asyncio

    def authorize() -> None:
        with runtime.sessions() as session:
            communities.require_member(session, community_id, user)

    await asyncio.to_thread(authorize)
    del request
    return EventSourceResponse(community_events(runtime, community_id), ping=15)


@router.get("/videos/{video_id}", response_model=VideoOut)
def get_video(video_id: uuid.UUID, session: SessionDep, runtime: RuntimeDep, user: CurrentUser) -> VideoOut:
    """One video. Members only."""
    return service.to_out(runtime, service.get_video(session, user, video_id))


@router.get("/videos/{video_id}/events")
async def video_events(video_id: uuid.UUID, runtime: RuntimeDep, user: CurrentUser) -> EventSourceResponse:
    """Server-Sent Events for one video: its state now, then each change, ending when it is terminal."""
    import asyncio

    def authorize() -> uuid.UUID:
        with runtime.sessions() as session:
            return service.get_video(session, user, video_id).community_id

    community_id = await asyncio.to_thread(authorize)
    return EventSourceResponse(community_events(runtime, community_id, video_id=video_id), ping=15)


@router.post("/videos/{video_id}/cancel", response_model=CancelResult)
async def cancel_video(video_id: uuid.UUID, runtime: RuntimeDep, user: CurrentUser) -> CancelResult:
    """Cancel a video still in progress. Admins only. Some providers cannot stop a video once it started."""
    return await service.cancel_video(runtime, user, video_id)


@router.delete("/videos/{video_id}", status_code=204)
def delete_video(
    video_id: uuid.UUID,
    session: SessionDep,
    runtime: RuntimeDep,
    user: CurrentUser,
    background: BackgroundTasks,
) -> None:
    """Delete a video, its stored files and the provider's copy. Admins only."""
    community_id = service.delete_video(session, runtime, user, video_id)
    background.add_task(runtime.events.publish, community_id)


def _stored_file(
    session: SessionDep, runtime: RuntimeDep, user: CurrentUser, video_id: uuid.UUID, kind: str
) -> FileResponse:
    video = service.get_video(session, user, video_id)
    key = {"file": video.video_key, "poster": video.poster_key, "thumbnail": video.thumbnail_key}[kind]
    if key is None or not runtime.storage.exists(key):
        raise NotFound("This video has no stored file yet.")
    media_type = {"file": "video/mp4", "poster": "image/jpeg", "thumbnail": "image/webp"}[kind]
    return FileResponse(runtime.storage.local_path(key), media_type=media_type)


@router.get("/videos/{video_id}/file")
def video_file(video_id: uuid.UUID, session: SessionDep, runtime: RuntimeDep, user: CurrentUser) -> FileResponse:
    """The MP4, for members (supports HTTP Range)."""
    return _stored_file(session, runtime, user, video_id, "file")


@router.get("/videos/{video_id}/poster")
def video_poster(video_id: uuid.UUID, session: SessionDep, runtime: RuntimeDep, user: CurrentUser) -> FileResponse:
    """The JPEG poster, for members."""
    return _stored_file(session, runtime, user, video_id, "poster")
