"""The auth API's request and answer shapes (Supabase's password-grant session among them)."""

from __future__ import annotations

import uuid

from pydantic import BaseModel, ConfigDict, Field


class Credentials(BaseModel):
    model_config = ConfigDict(extra="ignore")

    email: str = Field(min_length=3, max_length=320)
    password: str = Field(min_length=1, max_length=1024)


class Registration(Credentials):
    display_name: str = Field(default="", max_length=120)


class UserOut(BaseModel):
    id: uuid.UUID
    auth_user_id: uuid.UUID
    email: str | None
    display_name: str


class Session(BaseModel):
    """Shaped like Supabase Auth's password grant, so its clients can sign in here."""

    access_token: str
    token_type: str = "bearer"
    expires_in: int
    user: UserOut
