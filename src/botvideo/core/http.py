"""The HTTP client every outbound call uses: bounded timeouts, no redirects followed unless a caller opts in."""

from __future__ import annotations

import httpx


def new_http_client() -> httpx.AsyncClient:
    return httpx.AsyncClient(timeout=httpx.Timeout(30.0, connect=10.0), follow_redirects=False)
