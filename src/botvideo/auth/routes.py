"""Sign-in, registration, sign-out and who am I, on Supabase's password-grant shape."""

from __future__ import annotations

from fastapi import APIRouter, Response

from botvideo.auth import service
from botvideo.auth.cookies import end_session, start_session
from botvideo.auth.deps import CurrentUser, TokensDep
from botvideo.auth.models import User
from botvideo.auth.schemas import Credentials, Registration, Session, UserOut
from botvideo.auth.tokens import TokenService
from botvideo.core.config import Settings
from botvideo.core.deps import SessionDep, SettingsDep

router = APIRouter(tags=["auth"])


def _user_out(user: User) -> UserOut:
    return UserOut(id=user.id, auth_user_id=user.auth_user_id, email=user.email, display_name=user.display_name)


def _signed_in(response: Response, settings: Settings, tokens: TokenService, user: User) -> Session:
    token = start_session(response, settings, tokens, user)
    return Session(access_token=token, expires_in=tokens.ttl_seconds, user=_user_out(user))


@router.post("/auth/v1/token", response_model=Session)
def password_grant(
    body: Credentials, session: SessionDep, settings: SettingsDep, tokens: TokensDep, response: Response
) -> Session:
    """Sign in with email and password; returns an access token and also sets the web session cookie."""
    return _signed_in(response, settings, tokens, service.sign_in(session, body.email, body.password))


@router.post("/api/v1/auth/register", response_model=Session, status_code=201)
def register(
    body: Registration, session: SessionDep, settings: SettingsDep, tokens: TokensDep, response: Response
) -> Session:
    """Create an account (standalone mode, when botvideo signs users in itself)."""
    user = service.register(session, body.email, body.password, body.display_name)
    return _signed_in(response, settings, tokens, user)


@router.post("/api/v1/auth/logout", status_code=204)
def logout(response: Response) -> None:
    end_session(response)


@router.get("/api/v1/me", response_model=UserOut)
def me(user: CurrentUser) -> UserOut:
    return _user_out(user)
