"""The web session: one place issues a user's token and sets it as a cookie beside a fresh CSRF token."""

from __future__ import annotations

from fastapi import Response

from botvideo.auth.deps import CSRF_COOKIE, SESSION_COOKIE, new_csrf_token
from botvideo.auth.models import User
from botvideo.auth.tokens import TokenService
from botvideo.core.config import Settings


def start_session(response: Response, settings: Settings, tokens: TokenService, user: User) -> str:
    """Issue the user's access token, set it as the session cookie (HttpOnly, SameSite=Lax) with a CSRF token the
    page's scripts can read, and return the token."""
    token = tokens.issue(user.auth_user_id, email=user.email)
    max_age = tokens.ttl_seconds
    secure = settings.https
    response.set_cookie(SESSION_COOKIE, token, max_age=max_age, httponly=True, samesite="lax", secure=secure)
    response.set_cookie(
        CSRF_COOKIE, new_csrf_token(), max_age=max_age, httponly=False, samesite="strict", secure=secure
    )
    return token


def set_csrf_cookie(response: Response, settings: Settings, token: str) -> None:
    """A CSRF cookie before there is a session, so the sign-in form itself cannot be forged (login CSRF)."""
    response.set_cookie(CSRF_COOKIE, token, httponly=False, samesite="strict", secure=settings.https)


def end_session(response: Response) -> None:
    response.delete_cookie(SESSION_COOKIE)
    response.delete_cookie(CSRF_COOKIE)
