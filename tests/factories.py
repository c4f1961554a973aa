"""Rows for tests, built the way the service builds them."""

from __future__ import annotations

import functools
import io
import uuid

from PIL import Image, ImageDraw
from sqlalchemy.orm import Session

from botvideo.auth import repository as auth_repository
from botvideo.auth.models import User
from botvideo.auth.passwords import hash_password
from botvideo.auth.tokens import TokenService
from botvideo.communities import repository as communities_repository
from botvideo.communities import service as communities_service
from botvideo.communities.models import Community, CommunityRole

DEFAULT_PASSWORD = "correct horse battery"


@functools.cache
def _password_hash(password: str) -> str:
    # Argon2 is slow on purpose; hashing each test's few passwords once per session keeps set-up cheap.
    return hash_password(password)


def create_user(session: Session, email: str | None = None, password: str = DEFAULT_PASSWORD) -> User:
    """A user row as registration writes it, with the password hashed once per session."""
    address = (email or f"user-{uuid.uuid4().hex[:8]}@example.com").strip().lower()
    user = User(auth_user_id=uuid.uuid4(), email=address, display_name="", password_hash=_password_hash(password))
    return auth_repository.add(session, user)


def create_community(
    session: Session,
    admin: User,
    *,
    name: str = "Nova",
    agent_name: str | None = "Nova the Navigator",
    instructions: str | None = "A cheerful space guide who explains the stars to curious people.",
    description: str | None = "Answers astronomy questions and plans stargazing nights.",
    token_name: str | None = None,
    token_symbol: str | None = None,
) -> Community:
    community = communities_service.create_community(
        session,
        admin,
        name=name,
        agent_name=agent_name,
        agent_instructions=instructions,
        description=description,
    )
    community.token_name = token_name
    community.token_symbol = token_symbol
    session.flush()
    return community


def add_member(session: Session, community: Community, user: User, role: CommunityRole = CommunityRole.MEMBER) -> None:
    communities_repository.add_member(session, community.id, user.id, role.value)


def avatar_png(size: int = 256) -> bytes:
    image = Image.new("RGB", (size, size), (40, 20, 90))
    ImageDraw.Draw(image).ellipse((size // 4, size // 4, 3 * size // 4, 3 * size // 4), fill=(250, 200, 60))
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


def token_for(tokens: TokenService, user: User) -> str:
    return tokens.issue(user.auth_user_id, email=user.email)


def auth_headers(tokens: TokenService, user: User) -> dict[str, str]:
    return {"Authorization": f"Bearer {token_for(tokens, user)}"}
