"""The user row: a Supabase Auth user id, and for standalone sign-in an email and password hash."""

from __future__ import annotations

import uuid
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from botvideo.core.db import Base, utcnow


class User(Base):
    __tablename__ = "users"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    # The JWT `sub`: Supabase Auth's user id, or our own when botvideo signs users in itself.
    auth_user_id: Mapped[uuid.UUID] = mapped_column(unique=True, default=uuid.uuid4)
    email: Mapped[str | None] = mapped_column(sa.String(320), unique=True)
    display_name: Mapped[str] = mapped_column(sa.String(120), default="")
    password_hash: Mapped[str | None] = mapped_column(sa.String(255))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
