"""Queries on communities (bots) and their members."""

from __future__ import annotations

import uuid

import sqlalchemy as sa
from sqlalchemy.orm import Session

from botvideo.communities.models import Community, CommunityMember


def get(session: Session, community_id: uuid.UUID) -> Community | None:
    return session.get(Community, community_id)


def membership(session: Session, community_id: uuid.UUID, user_id: uuid.UUID) -> CommunityMember | None:
    return session.get(CommunityMember, (community_id, user_id))


def for_member(session: Session, user_id: uuid.UUID) -> list[tuple[Community, str]]:
    rows = session.execute(
        sa.select(Community, CommunityMember.role)
        .join(CommunityMember, CommunityMember.community_id == Community.id)
        .where(CommunityMember.user_id == user_id)
        .order_by(Community.created_at.desc())
    ).all()
    return [(community, role) for community, role in rows]


def add(session: Session, community: Community) -> Community:
    session.add(community)
    session.flush()
    return community


def add_member(session: Session, community_id: uuid.UUID, user_id: uuid.UUID, role: str) -> CommunityMember:
    member = membership(session, community_id, user_id)
    if member is None:
        member = CommunityMember(community_id=community_id, user_id=user_id, role=role)
        session.add(member)
    else:
        member.role = role
    session.flush()
    return member
