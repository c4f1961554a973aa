from __future__ import annotations

import base64
import uuid
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Session

from botvideo.core.errors import InvalidInput
from botvideo.videos.models import TERMINAL_STATUSES, BotVideo

_TERMINAL = [status.value for status in TERMINAL_STATUSES]


def get(session: Session, video_id: uuid.UUID) -> BotVideo | None:
    return session.get(BotVideo, video_id)


def get_for_update(session: Session, video_id: uuid.UUID) -> BotVideo | None:
    return session.scalar(sa.select(BotVideo).where(BotVideo.id == video_id).with_for_update())


def get_by_request_id(session: Session, provider: str, request_id: str) -> BotVideo | None:
    return session.scalar(
        sa.select(BotVideo).where(BotVideo.provider == provider, BotVideo.provider_request_id == request_id)
    )


def add(session: Session, video: BotVideo) -> BotVideo:
    session.add(video)
    session.flush()
    return video


def delete(session: Session, video: BotVideo) -> None:
    session.delete(video)
    session.flush()


def encode_cursor(video: BotVideo) -> str:
    raw = f"{video.created_at.isoformat()}|{video.id}".encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(cursor: str) -> tuple[datetime, uuid.UUID]:
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
        created, video_id = raw.split("|", 1)
        return datetime.fromisoformat(created), uuid.UUID(video_id)
    except (ValueError, UnicodeDecodeError) as exc:
        raise InvalidInput("The cursor is not valid; start again without it.") from exc


def page(
    session: Session,
    community_id: uuid.UUID,
    *,
    video_type: str | None = None,
    status: str | None = None,
    cursor: str | None = None,
    limit: int = 24,
) -> tuple[list[BotVideo], str | None]:
    """Newest first, keyset-paginated on (created_at, id) so pages stay stable while videos are added."""
    query = sa.select(BotVideo).where(BotVideo.community_id == community_id)
    if video_type:
        query = query.where(BotVideo.video_type == video_type)
    if status:
        query = query.where(BotVideo.status == status)
    if cursor:
        created_at, video_id = decode_cursor(cursor)
        query = query.where(
            sa.or_(
                BotVideo.created_at < created_at,
                sa.and_(BotVideo.created_at == created_at, BotVideo.id < video_id),
            )
        )
    rows = list(session.scalars(query.order_by(BotVideo.created_at.desc(), BotVideo.id.desc()).limit(limit + 1)))
    next_cursor = encode_cursor(rows[limit - 1]) if len(rows) > limit else None
    return rows[:limit], next_cursor


def changed_since(session: Session, community_id: uuid.UUID, since: datetime) -> list[BotVideo]:
    return list(
        session.scalars(
            sa.select(BotVideo)
            .where(BotVideo.community_id == community_id, BotVideo.updated_at >= since)
            .order_by(BotVideo.updated_at)
        )
    )


def is_terminal_status(status: str) -> bool:
    return status in _TERMINAL
