"""Queries on user rows."""

from __future__ import annotations

import uuid

import sqlalchemy as sa
from sqlalchemy.orm import Session

from botvideo.auth.models import User


def get_by_auth_user_id(session: Session, auth_user_id: uuid.UUID) -> User | None:
    return session.scalar(sa.select(User).where(User.auth_user_id == auth_user_id))


def get_by_email(session: Session, email: str) -> User | None:
    return session.scalar(sa.select(User).where(sa.func.lower(User.email) == email.strip().lower()))


def add(session: Session, user: User) -> User:
    session.add(user)
    session.flush()
    return user
