"""Imports every feature's models so metadata (Alembic, tests) sees all tables."""

from botvideo.auth.models import User
from botvideo.communities.models import Community, CommunityMember
from botvideo.core.db import Base
from botvideo.videos.models import BotVideo, WebhookDelivery

__all__ = ["Base", "BotVideo", "Community", "CommunityMember", "User", "WebhookDelivery"]
