"""A community (bot) row and its members with their roles."""

from __future__ import annotations

import uuid
from datetime import datetime
from enum import StrEnum

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from botvideo.core.db import Base, utcnow


class CommunityRole(StrEnum):
    ADMIN = "admin"
    MEMBER = "member"


class Community(Base):
    """A bot and the people around it."""

    __tablename__ = "communities"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    name: Mapped[str] = mapped_column(sa.String(120))
    agent_name: Mapped[str | None] = mapped_column(sa.String(120))
    agent_instructions: Mapped[str | None] = mapped_column(sa.Text)
    description: Mapped[str | None] = mapped_column(sa.Text)
    avatar_key: Mapped[str | None] = mapped_column(sa.String(512))  # storage key of the avatar image
    token_name: Mapped[str | None] = mapped_column(sa.String(80))
    token_symbol: Mapped[str | None] = mapped_column(sa.String(16))
    created_by: Mapped[uuid.UUID | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    @property
    def bot_name(self) -> str:
        return (self.agent_name or "").strip() or self.name


class CommunityMember(Base):
    __tablename__ = "community_members"

    community_id: Mapped[uuid.UUID] = mapped_column(
        sa.ForeignKey("communities.id", ondelete="CASCADE"), primary_key=True
    )
    user_id: Mapped[uuid.UUID] = mapped_column(
        sa.ForeignKey("users.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    role: Mapped[str] = mapped_column(sa.String(16), default=CommunityRole.MEMBER.value)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    __table_args__ = (sa.CheckConstraint("role IN ('admin', 'member')", name="role"),)
