"""A video row: the spec's `bot_videos` columns plus what the job lifecycle needs; webhook deliveries seen."""

from __future__ import annotations

import uuid
from datetime import datetime
from enum import StrEnum
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from botvideo.core.db import Base, utcnow
from botvideo.core.kinds import VideoStatus, VideoType


def _listed(kinds: type[StrEnum]) -> str:
    return ", ".join(f"'{kind.value}'" for kind in kinds)


class BotVideo(Base):
    """One video of a bot: the spec's `bot_videos` row plus what the job lifecycle needs."""

    __tablename__ = "bot_videos"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    community_id: Mapped[uuid.UUID] = mapped_column(sa.ForeignKey("communities.id", ondelete="CASCADE"))
    video_type: Mapped[str] = mapped_column(sa.String(32), default=VideoType.INTRO.value)
    prompt: Mapped[str] = mapped_column(sa.Text)
    source_image_url: Mapped[str | None] = mapped_column(sa.Text)
    model: Mapped[str] = mapped_column(sa.String(200))
    status: Mapped[str] = mapped_column(sa.String(16), default=VideoStatus.PENDING.value)
    duration: Mapped[int | None] = mapped_column(sa.Integer)
    resolution: Mapped[str | None] = mapped_column(sa.String(16), default="1080p")
    generation_metadata: Mapped[dict[str, Any]] = mapped_column(default=dict)
    error_message: Mapped[str | None] = mapped_column(sa.Text)
    created_by: Mapped[uuid.UUID | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    completed_at: Mapped[datetime | None]

    # Lifecycle.
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    provider: Mapped[str] = mapped_column(sa.String(32))
    provider_request_id: Mapped[str | None] = mapped_column(sa.String(200), index=True)
    error_code: Mapped[str | None] = mapped_column(sa.String(32))
    progress: Mapped[float | None] = mapped_column(sa.Float)
    aspect_ratio: Mapped[str] = mapped_column(sa.String(8), default="16:9")
    requested_duration: Mapped[int] = mapped_column(sa.Integer, default=5)
    seed: Mapped[int] = mapped_column(sa.Integer, default=0)
    width: Mapped[int | None] = mapped_column(sa.Integer)
    height: Mapped[int | None] = mapped_column(sa.Integer)
    video_key: Mapped[str | None] = mapped_column(sa.String(512))
    poster_key: Mapped[str | None] = mapped_column(sa.String(512))
    thumbnail_key: Mapped[str | None] = mapped_column(sa.String(512))
    source_image_key: Mapped[str | None] = mapped_column(sa.String(512))
    deadline_at: Mapped[datetime | None]
    cancel_requested_at: Mapped[datetime | None]

    __table_args__ = (
        sa.CheckConstraint(f"status IN ({_listed(VideoStatus)})", name="status"),
        sa.CheckConstraint(f"video_type IN ({_listed(VideoType)})", name="video_type"),
        # The gallery: a community's videos, newest first, keyset-paginated on (created_at, id).
        sa.Index("ix_bot_videos_community_created", "community_id", sa.text("created_at DESC"), sa.text("id DESC")),
        sa.Index("ix_bot_videos_community_status", "community_id", "status"),
        sa.Index("ix_bot_videos_status", "status"),
    )

    @property
    def status_enum(self) -> VideoStatus:
        return VideoStatus(self.status)


class WebhookDelivery(Base):
    """Provider webhook ids already acted on, so a redelivery wakes nothing twice."""

    __tablename__ = "webhook_deliveries"

    provider: Mapped[str] = mapped_column(sa.String(32), primary_key=True)
    webhook_id: Mapped[str] = mapped_column(sa.String(200), primary_key=True)
    video_id: Mapped[uuid.UUID | None]
    received_at: Mapped[datetime] = mapped_column(default=utcnow)
