"""Expiring HMAC signatures for media URLs, so a `<video src>` works without an Authorization header."""

from __future__ import annotations

import hashlib
import hmac
import time
from urllib.parse import urlencode


class MediaSigner:
    def __init__(self, secret: bytes, ttl_seconds: int) -> None:
        # Derived, so the JWT secret itself never signs anything a browser can see next to a URL.
        self._key = hmac.new(secret, b"botvideo-media-url", hashlib.sha256).digest()
        self.ttl_seconds = ttl_seconds

    def _signature(self, key: str, expires: int, download: bool) -> str:
        message = f"{key}\n{expires}\n{int(download)}".encode()
        return hmac.new(self._key, message, hashlib.sha256).hexdigest()

    def url(self, key: str, *, download: bool = False, now: float | None = None) -> str:
        # Expiry snapped to a window boundary: the URL stays the same for a while, so browsers can cache media.
        current = now if now is not None else time.time()
        expires = (int(current) // self.ttl_seconds + 2) * self.ttl_seconds
        query = {"exp": str(expires), "sig": self._signature(key, expires, download)}
        if download:
            query["download"] = "1"
        return f"/media/{key}?{urlencode(query)}"

    def verify(self, key: str, expires: str | None, signature: str | None, *, download: bool) -> bool:
        if not expires or not signature or not expires.isdigit():
            return False
        if int(expires) < time.time():
            return False
        expected = self._signature(key, int(expires), download)
        return hmac.compare_digest(expected, signature)
