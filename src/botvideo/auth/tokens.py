"""Bearer JWTs as Supabase Auth issues them: HS256, `aud` authenticated, `exp` enforced, algorithms pinned."""

from __future__ import annotations

import time
import uuid
from dataclasses import dataclass

import jwt

from botvideo.core.config import Settings
from botvideo.core.errors import NotAuthenticated

ALGORITHM = "HS256"


@dataclass(frozen=True)
class TokenClaims:
    sub: uuid.UUID
    email: str | None


class TokenService:
    def __init__(self, secret: str, *, audience: str, issuer: str | None, ttl_seconds: int) -> None:
        self._secret = secret
        self._audience = audience
        self._issuer = issuer
        self.ttl_seconds = ttl_seconds

    @classmethod
    def from_settings(cls, settings: Settings) -> TokenService:
        return cls(
            settings.jwt_secret.get_secret_value(),
            audience=settings.jwt_audience,
            issuer=settings.jwt_issuer,
            ttl_seconds=settings.session_ttl_seconds,
        )

    def issue(self, sub: uuid.UUID, *, email: str | None = None, ttl_seconds: int | None = None) -> str:
        now = int(time.time())
        claims: dict[str, object] = {
            "sub": str(sub),
            "aud": self._audience,
            "role": "authenticated",
            "iat": now,
            "exp": now + (ttl_seconds if ttl_seconds is not None else self.ttl_seconds),
        }
        if email:
            claims["email"] = email
        if self._issuer:
            claims["iss"] = self._issuer
        return jwt.encode(claims, self._secret, algorithm=ALGORITHM)

    def verify(self, token: str) -> TokenClaims:
        try:
            claims = jwt.decode(
                token,
                self._secret,
                algorithms=[ALGORITHM],
                audience=self._audience,
                issuer=self._issuer,
                options={"require": ["exp", "sub", "aud"]},
            )
        except jwt.ExpiredSignatureError as exc:
            raise NotAuthenticated("Your session has expired. Sign in again.") from exc
        except jwt.InvalidAudienceError as exc:
            raise NotAuthenticated("The access token is not meant for this service.") from exc
        except jwt.PyJWTError as exc:
            # Includes a logged-out Supabase client sending its API key (not a JWT) as the bearer.
            raise NotAuthenticated("The access token is not valid. Sign in again.") from exc
        try:
            sub = uuid.UUID(str(claims["sub"]))
        except ValueError as exc:
            raise NotAuthenticated("The access token names no user.") from exc
        email = claims.get("email")
        return TokenClaims(sub=sub, email=email if isinstance(email, str) else None)
