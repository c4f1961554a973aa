"""Who is calling: a bearer JWT (API clients, Supabase frontends) or the session cookie (the web UI).

Cookie-authenticated requests that change state must carry the CSRF token (double-submit: the `botvideo_csrf`
cookie echoed in `X-CSRF-Token` or a `csrf_token` form field); bearer requests cannot be forged by another site.
"""

from __future__ import annotations

import hmac
import secrets
from typing import Annotated

from fastapi import Depends, Request

from botvideo.auth import service
from botvideo.auth.models import User
from botvideo.auth.tokens import TokenClaims
from botvideo.core.deps import RuntimeDep, SessionDep
from botvideo.core.errors import Forbidden, NotAuthenticated

SESSION_COOKIE = "botvideo_session"
CSRF_COOKIE = "botvideo_csrf"
CSRF_HEADER = "x-csrf-token"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def new_csrf_token() -> str:
    return secrets.token_urlsafe(32)


def bearer_token(request: Request) -> str | None:
    header = request.headers.get("authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() == "bearer" and token.strip():
        return token.strip()
    return None


async def _csrf_ok(request: Request) -> bool:
    cookie = request.cookies.get(CSRF_COOKIE)
    if not cookie:
        return False
    sent = request.headers.get(CSRF_HEADER)
    if sent is None and request.headers.get("content-type", "").startswith(
        ("application/x-www-form-urlencoded", "multipart/form-data")
    ):
        form = await request.form()
        value = form.get("csrf_token")
        sent = value if isinstance(value, str) else None
    return sent is not None and hmac.compare_digest(sent, cookie)


async def verified_claims(request: Request, runtime: RuntimeDep) -> TokenClaims:
    token = bearer_token(request)
    if token is not None:
        return runtime.tokens.verify(token)
    if request.method == "GET" and request.url.path.endswith("/events"):
        # EventSource cannot set headers; a stream only reads, so a token in the query is acceptable there.
        query_token = request.query_params.get("access_token")
        if query_token:
            return runtime.tokens.verify(query_token)
    cookie = request.cookies.get(SESSION_COOKIE)
    if cookie:
        claims = runtime.tokens.verify(cookie)
        if request.method not in SAFE_METHODS and not await _csrf_ok(request):
            raise Forbidden("The form expired. Reload the page and try again.")
        return claims
    raise NotAuthenticated("Sign in first: send `Authorization: Bearer <access token>`.")


ClaimsDep = Annotated[TokenClaims, Depends(verified_claims)]


def current_user(claims: ClaimsDep, session: SessionDep) -> User:
    return service.user_for_claims(session, claims)


CurrentUser = Annotated[User, Depends(current_user)]
