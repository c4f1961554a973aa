"""Fetching an image from a URL a user gave us, without letting that URL reach our own network."""

from __future__ import annotations

import asyncio
import ipaddress
import socket
from urllib.parse import urlsplit

import httpx

from botvideo.core.errors import InvalidInput

MAX_IMAGE_BYTES = 8 * 1024 * 1024


def check_public_https_url(url: str) -> str:
    """Reject anything but a plain https URL on a public host name (checked again, resolved, before fetching)."""
    parts = urlsplit(url.strip())
    if parts.scheme != "https" or not parts.hostname:
        raise InvalidInput("The source image URL must be an https:// address.")
    if parts.username or parts.password:
        raise InvalidInput("The source image URL must not contain credentials.")
    host = parts.hostname
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        if host == "localhost" or host.endswith((".localhost", ".local", ".internal")):
            raise InvalidInput("The source image URL must be on the public internet.") from None
    else:
        if not address.is_global:
            raise InvalidInput("The source image URL must be on the public internet.")
    return url.strip()


async def _resolves_to_public(host: str, port: int) -> bool:
    infos = await asyncio.get_running_loop().getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return bool(infos) and all(ipaddress.ip_address(info[4][0]).is_global for info in infos)


async def fetch_public_image(http: httpx.AsyncClient, url: str) -> bytes:
    """Download at most MAX_IMAGE_BYTES from a public https URL; redirects are not followed (each hop would need
    the same checks). A host that resolves to a private address is refused: DNS can point anywhere."""
    checked = check_public_https_url(url)
    parts = urlsplit(checked)
    if not await _resolves_to_public(parts.hostname or "", parts.port or 443):
        raise InvalidInput("The source image URL must be on the public internet.")
    async with http.stream("GET", checked, follow_redirects=False, timeout=20.0) as response:
        if response.status_code != 200:
            raise InvalidInput(f"The source image could not be fetched (HTTP {response.status_code}).")
        content = bytearray()
        async for chunk in response.aiter_bytes():
            content.extend(chunk)
            if len(content) > MAX_IMAGE_BYTES:
                raise InvalidInput("The source image is larger than 8 MB.")
        return bytes(content)
