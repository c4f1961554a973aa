"""Who is calling, decided in one place: a bearer JWT (API clients, Supabase frontends) or the session cookie.

Cookie-authenticated requests that change state must carry the CSRF token (double submit: the `botvideo_csrf`
cookie echoed in `X-CSRF-Token` or a `csrf_token` form field); bearer requests cannot be forged by another site.
"""

from __future__ import annotations

import hmac
import secrets
from typing import Annotated

from fastapi import Depends, Request

from botvideo.auth import service
from botvideo.auth.models import User
from botvideo.auth.tokens import TokenClaims, TokenService
from botvideo.core.deps import SessionDep, from_state
from botvideo.core.errors import Forbidden, NotAuthenticated

SESSION_COOKIE = "botvideo_session"
CSRF_COOKIE = "botvideo_csrf"
CSRF_HEADER = "x-csrf-token"
CSRF_FORM_FIELD = "csrf_token"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


TokensDep = Annotated[TokenService, Depends(from_state("tokens", TokenService))]


def new_csrf_token() -> str:
    return secrets.token_urlsafe(32)


def csrf_matches(request: Request, sent: str | None) -> bool:
    """The one CSRF check: what the request sent must echo the CSRF cookie, which another site cannot read."""
    cookie = request.cookies.get(CSRF_COOKIE)
    return bool(cookie) and bool(sent) and hmac.compare_digest(str(sent), str(cookie))


def require_csrf(request: Request, sent: str | None) -> None:
    if not csrf_matches(request, sent):
        raise Forbidden("The form expired. Reload the page and try again.")


async def _sent_csrf(request: Request) -> str | None:
    sent = request.headers.get(CSRF_HEADER)
    if sent is None and request.headers.get("content-type", "").startswith(
        ("application/x-www-form-urlencoded", "multipart/form-data")
    ):
        value = (await request.form()).get(CSRF_FORM_FIELD)
        sent = value if isinstance(value, str) else None
    return sent


def _bearer_token(request: Request) -> str | None:
    scheme, _, token = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() == "bearer" and token.strip():
        return token.strip()
    if request.method == "GET" and request.url.path.endswith("/events"):
        # EventSource cannot set headers; a stream only reads, so a token in the query is acceptable there.
        return request.query_params.get("access_token") or None
    return None


async def _claims(request: Request, tokens: TokenService) -> TokenClaims | None:
    """The caller's verified claims, None when the request carries no credentials at all."""
    token = _bearer_token(request)
    if token is not None:
        return tokens.verify(token)
    cookie = request.cookies.get(SESSION_COOKIE)
    if cookie is None:
        return None
    claims = tokens.verify(cookie)
    if request.method not in SAFE_METHODS:
        require_csrf(request, await _sent_csrf(request))
    return claims


async def current_user(request: Request, tokens: TokensDep, session: SessionDep) -> User:
    claims = await _claims(request, tokens)
    if claims is None:
        raise NotAuthenticated("Sign in first: send `Authorization: Bearer <access token>`.")
    return service.user_for_claims(session, claims)


async def optional_user(request: Request, tokens: TokensDep, session: SessionDep) -> User | None:
    """The signed-in user, or None for anyone else (also for an expired or foreign token): for pages and media."""
    try:
        claims = await _claims(request, tokens)
    except NotAuthenticated:
        return None
    return service.user_for_claims(session, claims) if claims is not None else None


CurrentUser = Annotated[User, Depends(current_user)]
OptionalUser = Annotated[User | None, Depends(optional_user)]
