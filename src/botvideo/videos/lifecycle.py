"""State transitions of a video row, each guarded so a repeated or late step cannot undo a terminal state.

Workflow steps call these inside their own unit of work; they flush, never commit.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from datetime import timedelta
from typing import Any

from sqlalchemy.orm import Session

from botvideo.core.db import utcnow
from botvideo.core.kinds import VideoStatus
from botvideo.providers.base import SAFE_MESSAGES, ErrorCode
from botvideo.videos import repository
from botvideo.videos.models import BotVideo


def _open(session: Session, video_id: uuid.UUID) -> BotVideo | None:
    video = repository.get_for_update(session, video_id)
    if video is None or video.status_enum.is_terminal:
        return None
    return video


def begin(session: Session, video_id: uuid.UUID, deadline_seconds: float) -> BotVideo | None:
    video = _open(session, video_id)
    if video is None:
        return None
    if video.deadline_at is None:
        video.deadline_at = video.created_at + timedelta(seconds=deadline_seconds)
    session.flush()
    return video


def record_submission(
    session: Session, video_id: uuid.UUID, request_id: str, raw: Mapping[str, Any]
) -> BotVideo | None:
    video = repository.get_for_update(session, video_id)
    if video is None:
        return None
    metadata = dict(video.generation_metadata or {})
    seen = list(metadata.get("provider_request_ids", []))
    if request_id not in seen:
        seen.append(request_id)
    metadata["provider_request_ids"] = seen
    metadata["submission"] = dict(raw)
    video.generation_metadata = metadata
    if video.provider_request_id is None:
        video.provider_request_id = request_id
    if not video.status_enum.is_terminal:
        video.status = VideoStatus.PROCESSING.value
        video.progress = video.progress or 0.0
    session.flush()
    return video


def record_progress(session: Session, video_id: uuid.UUID, progress: float | None) -> BotVideo | None:
    video = _open(session, video_id)
    if video is None:
        return None
    if video.status != VideoStatus.PROCESSING.value:
        video.status = VideoStatus.PROCESSING.value
    if progress is not None and (video.progress is None or abs(progress - video.progress) >= 0.005):
        video.progress = round(min(max(progress, 0.0), 1.0), 4)
    session.flush()
    return video


def note(session: Session, video_id: uuid.UUID, key: str, value: Any) -> BotVideo | None:
    """Keep a provider detail for operators; never shown to users."""
    video = repository.get_for_update(session, video_id)
    if video is not None:
        metadata = dict(video.generation_metadata or {})
        metadata[key] = value
        video.generation_metadata = metadata
        session.flush()
    return video


def complete(
    session: Session,
    video_id: uuid.UUID,
    *,
    video_key: str,
    poster_key: str,
    thumbnail_key: str,
    duration_seconds: float,
    width: int,
    height: int,
    resolution: str,
) -> BotVideo | None:
    video = _open(session, video_id)
    if video is None:
        return None
    video.status = VideoStatus.COMPLETED.value
    video.progress = 1.0
    video.video_key = video_key
    video.poster_key = poster_key
    video.thumbnail_key = thumbnail_key
    video.duration = max(1, round(duration_seconds))
    video.width = width
    video.height = height
    video.resolution = resolution
    video.completed_at = utcnow()
    metadata = dict(video.generation_metadata or {})
    metadata["duration_seconds"] = duration_seconds
    metadata["storage"] = {"video": video_key, "poster": poster_key, "thumbnail": thumbnail_key}
    video.generation_metadata = metadata
    session.flush()
    return video


def fail(session: Session, video_id: uuid.UUID, code: ErrorCode, detail: str | None = None) -> BotVideo | None:
    video = _open(session, video_id)
    if video is None:
        return None
    video.status = (VideoStatus.CANCELED if code is ErrorCode.CANCELED else VideoStatus.FAILED).value
    video.error_code = code.value
    video.error_message = SAFE_MESSAGES[code]
    video.completed_at = utcnow()
    if detail:
        metadata = dict(video.generation_metadata or {})
        metadata["provider_error"] = detail[:4000]
        video.generation_metadata = metadata
    session.flush()
    return video


def cancel(session: Session, video_id: uuid.UUID) -> BotVideo | None:
    """An admin's cancel: remembered on the row (a submit still in flight sees it) and the video ends canceled."""
    video = repository.get_for_update(session, video_id)
    if video is None:
        return None
    if video.cancel_requested_at is None:
        video.cancel_requested_at = utcnow()
    return fail(session, video_id, ErrorCode.CANCELED, "canceled by an admin")
