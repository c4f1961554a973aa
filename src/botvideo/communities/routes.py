"""REST API for communities (bots) under /api/v1: mine, onboard, read, avatar, token."""

from __future__ import annotations

import uuid

from fastapi import APIRouter, UploadFile

from botvideo.auth.deps import CurrentUser
from botvideo.communities import service
from botvideo.communities.schemas import CommunityOut, CreateCommunity, SetToken
from botvideo.communities.service import Membership
from botvideo.core.deps import SessionDep
from botvideo.storage.deps import SignerDep, StorageDep
from botvideo.storage.signing import MediaSigner

router = APIRouter(prefix="/api/v1/communities", tags=["communities"])


def to_out(signer: MediaSigner, membership: Membership) -> CommunityOut:
    community = membership.community
    return CommunityOut(
        id=community.id,
        name=community.name,
        agent_name=community.agent_name,
        bot_name=community.bot_name,
        agent_instructions=community.agent_instructions,
        description=community.description,
        token_name=community.token_name,
        token_symbol=community.token_symbol,
        avatar_url=signer.url(community.avatar_key) if community.avatar_key else None,
        role=membership.role.value,
        created_at=community.created_at,
    )


@router.get("", response_model=list[CommunityOut])
def my_communities(session: SessionDep, signer: SignerDep, user: CurrentUser) -> list[CommunityOut]:
    """The communities (bots) I belong to."""
    return [to_out(signer, m) for m in service.my_communities(session, user)]


@router.post("", response_model=CommunityOut, status_code=201)
def create_community(body: CreateCommunity, session: SessionDep, signer: SignerDep, user: CurrentUser) -> CommunityOut:
    """Onboard a bot; the caller becomes its admin."""
    community = service.create_community(
        session,
        user,
        name=body.name,
        agent_name=body.agent_name,
        agent_instructions=body.agent_instructions,
        description=body.description,
    )
    return to_out(signer, service.require_member(session, community.id, user))


@router.get("/{community_id}", response_model=CommunityOut)
def get_community(community_id: uuid.UUID, session: SessionDep, signer: SignerDep, user: CurrentUser) -> CommunityOut:
    return to_out(signer, service.require_member(session, community_id, user))


@router.put("/{community_id}/avatar", response_model=CommunityOut)
async def set_avatar(
    community_id: uuid.UUID,
    file: UploadFile,
    session: SessionDep,
    storage: StorageDep,
    signer: SignerDep,
    user: CurrentUser,
) -> CommunityOut:
    """Upload the bot's avatar (PNG, JPEG or WebP, up to 8 MB)."""
    content = await file.read(service.MAX_AVATAR_BYTES + 1)
    membership = service.require_admin(session, community_id, user)
    service.set_avatar(storage, membership, content)
    return to_out(signer, membership)


@router.put("/{community_id}/token", response_model=CommunityOut)
def set_token(
    community_id: uuid.UUID, body: SetToken, session: SessionDep, signer: SignerDep, user: CurrentUser
) -> CommunityOut:
    """Launch the bot's token (name and symbol)."""
    membership = service.require_admin(session, community_id, user)
    service.set_token(session, membership, token_name=body.token_name, token_symbol=body.token_symbol)
    return to_out(signer, membership)
