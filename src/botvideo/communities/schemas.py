"""The communities API's request and answer shapes."""

from __future__ import annotations

import uuid
from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field


class CreateCommunity(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str = Field(min_length=1, max_length=120)
    agent_name: str | None = Field(default=None, max_length=120)
    agent_instructions: str | None = Field(default=None, max_length=4000)
    description: str | None = Field(default=None, max_length=4000)


class SetToken(BaseModel):
    model_config = ConfigDict(extra="forbid")

    token_name: str = Field(min_length=1, max_length=80)
    token_symbol: str = Field(min_length=1, max_length=11)


class CommunityOut(BaseModel):
    id: uuid.UUID
    name: str
    agent_name: str | None
    bot_name: str
    agent_instructions: str | None
    description: str | None
    token_name: str | None
    token_symbol: str | None
    avatar_url: str | None
    role: str
    created_at: datetime
