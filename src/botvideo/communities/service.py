"""Communities and who may do what in them: members view, admins create, cancel and delete."""

from __future__ import annotations

import io
import uuid
from dataclasses import dataclass

from PIL import Image, UnidentifiedImageError
from sqlalchemy.orm import Session

from botvideo.auth.models import User
from botvideo.communities import repository
from botvideo.communities.models import Community, CommunityRole
from botvideo.core.errors import Forbidden, InvalidInput, NotFound
from botvideo.providers.base import BotProfile
from botvideo.storage.base import MediaStorage

MAX_AVATAR_BYTES = 8 * 1024 * 1024
MAX_AVATAR_PIXELS = 40_000_000
AVATAR_SIZE = 1024
MEDIA_PREFIX = "communities"


@dataclass(frozen=True)
class Membership:
    community: Community
    role: CommunityRole

    @property
    def is_admin(self) -> bool:
        return self.role is CommunityRole.ADMIN


def bot_profile(community: Community, storage: MediaStorage | None = None) -> BotProfile:
    """What prompts and providers know of the bot; with storage, its avatar file too."""
    return BotProfile(
        name=community.bot_name,
        description=community.description or "",
        instructions=community.agent_instructions or "",
        token_name=community.token_name,
        token_symbol=community.token_symbol,
        avatar_path=storage.local_path(community.avatar_key) if storage and community.avatar_key else None,
    )


def require_member(session: Session, community_id: uuid.UUID, user: User) -> Membership:
    """Anyone outside the community gets a 404, so ids of other communities reveal nothing."""
    community = repository.get(session, community_id)
    member = repository.membership(session, community_id, user.id) if community else None
    if community is None or member is None:
        raise NotFound("Community not found.")
    return Membership(community=community, role=CommunityRole(member.role))


def require_admin(session: Session, community_id: uuid.UUID, user: User) -> Membership:
    membership = require_member(session, community_id, user)
    if not membership.is_admin:
        raise Forbidden("Only the bot's admins can do that.")
    return membership


def my_communities(session: Session, user: User) -> list[Membership]:
    return [Membership(c, CommunityRole(role)) for c, role in repository.for_member(session, user.id)]


def _clean(value: str | None, limit: int, field: str, *, required: bool = False) -> str | None:
    text = (value or "").strip()
    if required and not text:
        raise InvalidInput(f"{field} is required.")
    if len(text) > limit:
        raise InvalidInput(f"{field} is too long ({len(text)} characters; the limit is {limit}).")
    return text or None


def create_community(
    session: Session,
    creator: User,
    *,
    name: str,
    agent_name: str | None = None,
    agent_instructions: str | None = None,
    description: str | None = None,
) -> Community:
    community = repository.add(
        session,
        Community(
            name=_clean(name, 120, "Name", required=True),
            agent_name=_clean(agent_name, 120, "Agent name"),
            agent_instructions=_clean(agent_instructions, 4000, "Instructions"),
            description=_clean(description, 4000, "Description"),
            created_by=creator.id,
        ),
    )
    repository.add_member(session, community.id, creator.id, CommunityRole.ADMIN.value)
    return community


def set_token(session: Session, membership: Membership, *, token_name: str, token_symbol: str) -> Community:
    del session  # the change is flushed with the request's unit of work
    symbol = (token_symbol or "").strip().lstrip("$").upper()
    if not symbol or len(symbol) > 10 or not symbol.isalnum():
        raise InvalidInput("The token symbol must be 1–10 letters or digits, like BOT.")
    membership.community.token_name = _clean(token_name, 80, "Token name", required=True)
    membership.community.token_symbol = symbol
    return membership.community


def normalize_avatar(content: bytes) -> bytes:
    """Accept any image Pillow reads and make it a square JPEG, so providers and the engine get one format.
    Raises `InvalidInput` before anything is stored or written."""
    if len(content) > MAX_AVATAR_BYTES:
        raise InvalidInput("The avatar is larger than 8 MB.")
    try:
        with Image.open(io.BytesIO(content)) as image:
            if image.width * image.height > MAX_AVATAR_PIXELS:
                raise InvalidInput("The avatar has too many pixels; use an image under 40 megapixels.")
            image.load()
            rgb = image.convert("RGB")
    except (UnidentifiedImageError, OSError, Image.DecompressionBombError) as exc:
        raise InvalidInput("The avatar is not an image we can read. Use a PNG, JPEG or WebP.") from exc
    side = min(rgb.size)
    left, top = (rgb.width - side) // 2, (rgb.height - side) // 2
    square = rgb.crop((left, top, left + side, top + side)).resize((AVATAR_SIZE, AVATAR_SIZE))
    buffer = io.BytesIO()
    square.save(buffer, format="JPEG", quality=90)
    return buffer.getvalue()


def store_avatar(storage: MediaStorage, membership: Membership, avatar_jpeg: bytes) -> Community:
    """Store an avatar made by `normalize_avatar` and point the bot at it."""
    community = membership.community
    key = f"{MEDIA_PREFIX}/{community.id}/avatar-{uuid.uuid4().hex[:12]}.jpg"
    storage.save_bytes(key, avatar_jpeg)
    community.avatar_key = key
    return community


def set_avatar(storage: MediaStorage, membership: Membership, content: bytes) -> Community:
    return store_avatar(storage, membership, normalize_avatar(content))


def media_key_prefix(community_id: uuid.UUID) -> str:
    """Every stored file of a community lives under this prefix, which is how its members are let read it."""
    return f"{MEDIA_PREFIX}/{community_id}/"


def may_read_media(session: Session, user: User, key: str) -> bool:
    """Members read their community's stored files (the rule `/media` applies without a signed URL)."""
    prefix, _, rest = key.partition("/")
    community_id, _, _ = rest.partition("/")
    if prefix != MEDIA_PREFIX:
        return False
    try:
        require_member(session, uuid.UUID(community_id), user)
    except (ValueError, NotFound):
        return False
    return True
