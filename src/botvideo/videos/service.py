"""Creating, reading, canceling and deleting videos. Callers own the transaction; these functions flush only."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from sqlalchemy.orm import Session

from botvideo.auth.models import User
from botvideo.communities import service as communities
from botvideo.communities.models import Community
from botvideo.core.errors import Conflict, InvalidInput, NotFound
from botvideo.core.kinds import VideoStatus, VideoType
from botvideo.providers.base import CancelOutcome, GenerationRequest, ProviderError
from botvideo.providers.registry import ProviderRegistry
from botvideo.storage.local import LocalStorage
from botvideo.storage.remote import check_public_https_url
from botvideo.storage.signing import MediaSigner
from botvideo.videos import lifecycle, repository
from botvideo.videos.jobs import JobQueue
from botvideo.videos.models import BotVideo
from botvideo.videos.prompts import build_prompt
from botvideo.videos.schemas import CancelResult, CreateVideo, PromptPreview, VideoOut, VideoPage

DEFAULT_DURATION = 5
DEFAULT_RESOLUTION = "1080p"
DEFAULT_ASPECT_RATIO = "16:9"


def _uses_avatar(community: Community, video_type: str, requested: bool | None) -> bool:
    if community.avatar_key is None:
        return False
    return requested if requested is not None else video_type == VideoType.INTRO


def preview_prompt(
    session: Session,
    registry: ProviderRegistry,
    user: User,
    community_id: uuid.UUID,
    video_type: str,
    custom_prompt: str | None,
) -> PromptPreview:
    membership = communities.require_admin(session, community_id, user)
    community = membership.community
    uses_avatar = _uses_avatar(community, video_type, None)
    prompt = build_prompt(video_type, communities.bot_profile(community), custom_prompt)
    model = registry.default.default_model(video_type, has_image=uses_avatar)
    return PromptPreview(video_type=video_type, prompt=prompt, default_model=model, uses_avatar=uses_avatar)


@dataclass(frozen=True)
class CreatedVideo:
    video: BotVideo
    job_id: str


def create_video(
    session: Session,
    providers: ProviderRegistry,
    storage: LocalStorage,
    jobs: JobQueue,
    user: User,
    community_id: uuid.UUID,
    order: CreateVideo,
) -> CreatedVideo:
    """Authorize, validate everything a provider would reject, then insert the row and enqueue its job together."""
    membership = communities.require_admin(session, community_id, user)
    community = membership.community
    registry = providers
    prompt = build_prompt(order.video_type, communities.bot_profile(community), order.custom_prompt)

    source_image_url = check_public_https_url(order.source_image_url) if order.source_image_url else None
    uses_avatar = source_image_url is None and _uses_avatar(community, order.video_type, order.use_avatar)
    if order.use_avatar and community.avatar_key is None:
        raise InvalidInput("This bot has no avatar yet. Upload one, or turn off 'animate the avatar'.")
    has_image = uses_avatar or source_image_url is not None

    if order.model:
        provider, model = registry.model(order.model)
    else:
        provider = registry.default
        provider, model = registry.model(provider.default_model(order.video_type, has_image=has_image))
    if model.needs_image and not has_image:
        raise InvalidInput(f"{model.label} animates an image: give a source image or upload the bot's avatar first.")
    if not model.accepts_image:
        uses_avatar, source_image_url = False, None

    duration = order.duration or (DEFAULT_DURATION if DEFAULT_DURATION in model.durations else model.durations[0])
    resolution = order.resolution or (
        DEFAULT_RESOLUTION if DEFAULT_RESOLUTION in model.resolutions else model.resolutions[0]
    )
    aspect_ratio = order.aspect_ratio or (
        DEFAULT_ASPECT_RATIO if DEFAULT_ASPECT_RATIO in model.aspect_ratios else model.aspect_ratios[0]
    )
    video_id = uuid.uuid4()
    source_key = community.avatar_key if uses_avatar else None
    seed = order.seed if order.seed is not None else uuid.uuid4().int % 1_000_000
    provider.validate(
        GenerationRequest(
            video_id=str(video_id),
            video_type=order.video_type,
            prompt=prompt,
            model=model.id,
            bot=communities.bot_profile(community),
            duration_seconds=duration,
            resolution=resolution,
            aspect_ratio=aspect_ratio,
            source_image_path=storage.local_path(source_key) if source_key else None,
            source_image_url=source_image_url,
            seed=seed,
        )
    )
    video = repository.add(
        session,
        BotVideo(
            id=video_id,
            community_id=community.id,
            video_type=order.video_type,
            prompt=prompt,
            source_image_url=source_image_url,
            source_image_key=source_key,
            model=model.id,
            provider=provider.name,
            status=VideoStatus.PENDING.value,
            duration=duration,
            requested_duration=duration,
            resolution=resolution,
            aspect_ratio=aspect_ratio,
            seed=seed,
            generation_metadata={"requested_model": order.model} if order.model and order.model != model.id else {},
            created_by=user.id,
        ),
    )
    jobs.enqueue_video(session, str(video.id), provider=provider.name)
    return CreatedVideo(video=video, job_id=str(video.id))


def get_video(session: Session, user: User, video_id: uuid.UUID) -> BotVideo:
    video = repository.get(session, video_id)
    if video is None:
        raise NotFound("Video not found.")
    try:
        communities.require_member(session, video.community_id, user)
    except NotFound:
        raise NotFound("Video not found.") from None
    return video


def _admin_video(session: Session, user: User, video_id: uuid.UUID) -> BotVideo:
    video = get_video(session, user, video_id)
    communities.require_admin(session, video.community_id, user)
    return video


def list_videos(
    session: Session,
    signer: MediaSigner,
    user: User,
    community_id: uuid.UUID,
    *,
    video_type: str | None,
    status: str | None,
    cursor: str | None,
    limit: int,
) -> VideoPage:
    communities.require_member(session, community_id, user)
    rows, next_cursor = repository.page(
        session, community_id, video_type=video_type, status=status, cursor=cursor, limit=limit
    )
    return VideoPage(items=[to_out(signer, video) for video in rows], next_cursor=next_cursor)


async def cancel_video(
    session: Session, providers: ProviderRegistry, signer: MediaSigner, user: User, video_id: uuid.UUID
) -> CancelResult:
    """Cancel now when the provider still can; otherwise say it is too late and let the video finish. The caller
    wakes the job once the cancel is committed, so it stops waiting on the provider."""
    video = _admin_video(session, user, video_id)
    if video.status_enum.is_terminal:
        raise Conflict(f"The video is already {video.status}.")
    outcome = CancelOutcome.CANCELED
    if video.provider_request_id is not None:
        try:
            outcome = await providers.get(video.provider).cancel(video.provider_request_id)
        except ProviderError as exc:
            raise Conflict("The provider could not cancel the video right now. Try again shortly.") from exc
    if outcome is CancelOutcome.TOO_LATE:
        return CancelResult(
            video=to_out(signer, video),
            outcome="too_late",
            message="Too late to cancel: the provider has already started this video. It will finish.",
        )
    canceled = lifecycle.cancel(session, video_id)
    return CancelResult(video=to_out(signer, canceled or video), outcome="canceled", message="The video was canceled.")


def delete_video(session: Session, jobs: JobQueue, user: User, video_id: uuid.UUID) -> uuid.UUID:
    """Remove the row now; the stored files and the provider's copy go in a durable cleanup job."""
    video = _admin_video(session, user, video_id)
    keys = [k for k in (video.video_key, video.poster_key, video.thumbnail_key) if k]
    request_ids = list((video.generation_metadata or {}).get("provider_request_ids", []))
    if video.provider_request_id and video.provider_request_id not in request_ids:
        request_ids.append(video.provider_request_id)
    community_id = video.community_id
    running = not video.status_enum.is_terminal
    repository.delete(session, video)
    jobs.enqueue_cleanup(
        session,
        str(video_id),
        provider=video.provider,
        request_ids=request_ids,
        storage_keys=keys,
        stop_generation=running,
    )
    return community_id


def to_out(signer: MediaSigner, video: BotVideo) -> VideoOut:
    completed = video.status == VideoStatus.COMPLETED.value and video.video_key is not None
    return VideoOut(
        id=video.id,
        community_id=video.community_id,
        video_type=video.video_type,
        status=video.status,
        progress=video.progress,
        prompt=video.prompt,
        model=video.model,
        provider=video.provider,
        video_url=signer.url(video.video_key) if completed and video.video_key else None,
        download_url=signer.url(video.video_key, download=True) if completed and video.video_key else None,
        thumbnail_url=signer.url(video.poster_key) if video.poster_key else None,
        preview_url=signer.url(video.thumbnail_key) if video.thumbnail_key else None,
        duration=video.duration,
        resolution=video.resolution,
        aspect_ratio=video.aspect_ratio,
        width=video.width,
        height=video.height,
        error_code=video.error_code,
        error_message=video.error_message,
        created_by=video.created_by,
        created_at=video.created_at,
        updated_at=video.updated_at,
        completed_at=video.completed_at,
    )
