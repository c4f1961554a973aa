from __future__ import annotations

from fastapi import Response

from botvideo.auth.deps import CSRF_COOKIE, SESSION_COOKIE, new_csrf_token
from botvideo.runtime import Runtime


def start_session(response: Response, runtime: Runtime, token: str) -> str:
    """Set the session cookie (HttpOnly, SameSite=Lax) and a fresh CSRF token the page's scripts can read."""
    max_age = runtime.settings.session_ttl_seconds
    secure = (runtime.settings.public_url or "").startswith("https://")
    response.set_cookie(SESSION_COOKIE, token, max_age=max_age, httponly=True, samesite="lax", secure=secure)
    csrf = new_csrf_token()
    response.set_cookie(CSRF_COOKIE, csrf, max_age=max_age, httponly=False, samesite="strict", secure=secure)
    return csrf


def end_session(response: Response) -> None:
    response.delete_cookie(SESSION_COOKIE)
    response.delete_cookie(CSRF_COOKIE)
