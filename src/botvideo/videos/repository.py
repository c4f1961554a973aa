"""Queries on video rows: by id, by request, the gallery's keyset pages, changes since a time; webhook deliveries."""

from __future__ import annotations

import base64
import uuid
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from botvideo.core.db import utcnow
from botvideo.core.errors import BadRequest
from botvideo.videos.models import BotVideo, WebhookDelivery


def get(session: Session, video_id: uuid.UUID) -> BotVideo | None:
    return session.get(BotVideo, video_id)


def get_for_update(session: Session, video_id: uuid.UUID) -> BotVideo | None:
    return session.scalar(sa.select(BotVideo).where(BotVideo.id == video_id).with_for_update())


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
        created_at = datetime.fromisoformat(created)
        if created_at.tzinfo is None:
            raise ValueError("a cursor's time carries its zone")
        return created_at, uuid.UUID(video_id)
    except (ValueError, UnicodeDecodeError) as exc:
        raise BadRequest("The cursor is not valid; start again without it.", code="invalid_cursor") from exc


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


def record_delivery(session: Session, provider: str, webhook_id: str, video_id: uuid.UUID) -> bool:
    """Remember a verified webhook delivery; False when it was seen before (a redelivery)."""
    values = {"provider": provider, "webhook_id": webhook_id, "video_id": video_id, "received_at": utcnow()}
    insert = postgresql.insert if session.get_bind().dialect.name == "postgresql" else sqlite.insert
    result = session.execute(insert(WebhookDelivery).values(values).on_conflict_do_nothing())
    return bool(getattr(result, "rowcount", 0))
