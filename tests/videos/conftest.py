from __future__ import annotations

from dataclasses import dataclass

import pytest

from botvideo.auth.models import User
from botvideo.communities.models import Community, CommunityRole
from tests.conftest import Service
from tests.factories import add_member, auth_headers, create_community, create_user


@dataclass
class Cast:
    admin: User
    member: User
    outsider: User
    community: Community
    other_community: Community
    admin_headers: dict[str, str]
    member_headers: dict[str, str]
    outsider_headers: dict[str, str]


@pytest.fixture
def cast(service: Service) -> Cast:
    with service.database.transaction() as session:
        admin = create_user(session, "admin@example.com")
        member = create_user(session, "member@example.com")
        outsider = create_user(session, "outsider@example.com")
        community = create_community(session, admin, token_name="Nova Coin", token_symbol="NOVA")
        add_member(session, community, member, CommunityRole.MEMBER)
        other = create_community(session, outsider, name="Other bot", agent_name=None)
        session.commit()
    return Cast(
        admin=admin,
        member=member,
        outsider=outsider,
        community=community,
        other_community=other,
        admin_headers=auth_headers(service.tokens, admin),
        member_headers=auth_headers(service.tokens, member),
        outsider_headers=auth_headers(service.tokens, outsider),
    )
