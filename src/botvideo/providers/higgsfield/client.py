"""A small typed client for Higgsfield's queue API (docs/higgsfield.md).

It speaks HTTP and Higgsfield's wire shapes only; `provider.py` maps them onto botvideo's provider interface.
Safe to retry: status, cancel, delete, upload PUT, downloads. Submit is retried only because every attempt
carries the same Idempotency-Key (see docs/higgsfield.md for what remains if Higgsfield ignores it).
"""

from __future__ import annotations

import asyncio
import ipaddress
import logging
import os
import random
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote, urljoin, urlsplit

import httpx
from pydantic import BaseModel, ConfigDict, ValidationError

from botvideo.providers.base import CancelOutcome
from botvideo.providers.higgsfield.errors import (
    HiggsfieldBlocked,
    HiggsfieldBusy,
    HiggsfieldCredentialsRejected,
    HiggsfieldError,
    HiggsfieldModelNotFound,
    HiggsfieldModelUnavailable,
    HiggsfieldOutOfCredits,
    HiggsfieldRejectedRequest,
    HiggsfieldRequestNotFound,
    HiggsfieldUnreachable,
    HiggsfieldUnsafeUrl,
)

log = logging.getLogger(__name__)

DEFAULT_BASE_URL = "https://api.higgsfield.ai"
# Cloudflare in front of api.higgsfield.ai answers `error code: 1010` to some default library User-Agents.
USER_AGENT = "botvideo/0.1 (+https://github.com/botvideo)"
API_TIMEOUT = httpx.Timeout(30.0, connect=10.0)
DOWNLOAD_TIMEOUT = httpx.Timeout(120.0, connect=10.0)
MAX_DOWNLOAD_BYTES = 1024 * 1024 * 1024
MAX_REDIRECTS = 3

# The concurrency-cap 400's wording is undocumented (Higgsfield documents only the status code); any submit 400
# whose text talks about concurrency, too many requests or a request limit is read as "busy". Validation 400s
# rarely use these words.
_CONCURRENCY_WORDS = re.compile(
    r"concurren|too many (?:requests|generations|jobs)|(?:request|generation|job)s? (?:limit|in progress)"
    r"|limit (?:reached|exceeded)|in progress",
    re.IGNORECASE,
)
_CLOUDFLARE_BLOCK = "error code: 1010"


def is_concurrency_limit(text: str) -> bool:
    return bool(_CONCURRENCY_WORDS.search(text))


@dataclass(frozen=True)
class RetryPolicy:
    """Exponential backoff with jitter and a cap, for network errors, 429 and 5xx."""

    attempts: int = 4
    base_delay: float = 0.5
    max_delay: float = 8.0

    def delay(self, attempt: int) -> float:
        ceiling: float = min(self.max_delay, self.base_delay * 2.0 ** (attempt - 1))
        return ceiling / 2 + random.uniform(0, ceiling / 2)


class MediaRef(BaseModel):
    model_config = ConfigDict(extra="allow")
    url: str


class RequestStatus(BaseModel):
    """Higgsfield's request document: the submit answer, the status answer and the webhook body alike."""

    model_config = ConfigDict(extra="allow")

    status: str
    request_id: str
    status_url: str | None = None
    cancel_url: str | None = None
    video: MediaRef | None = None
    images: list[MediaRef] | None = None
    error: str | None = None


class UploadSlot(BaseModel):
    model_config = ConfigDict(extra="allow")

    public_url: str
    upload_url: str
    content_type: str | None = None
    upload_headers: dict[str, str] | None = None


def split_credentials(credentials: str) -> tuple[str, str]:
    key_id, sep, secret = credentials.partition(":")
    if not sep or not key_id or not secret or ":" in secret:
        # Never echo the value: it is a secret.
        raise ValueError("Higgsfield credentials must look like 'key_id:key_secret' (HF_KEY)")
    return key_id, secret


class HiggsfieldClient:
    def __init__(
        self,
        http: httpx.AsyncClient,
        *,
        credentials: str,
        base_url: str = DEFAULT_BASE_URL,
        retry: RetryPolicy | None = None,
        user_agent: str = USER_AGENT,
    ) -> None:
        split_credentials(credentials)
        self._http = http
        self._auth = f"Key {credentials}"
        self.base_url = base_url.rstrip("/")
        self._base_netloc = urlsplit(self.base_url).netloc.lower()
        self.retry = retry or RetryPolicy()
        self.user_agent = user_agent

    # --- API calls ------------------------------------------------------------------------------------------

    async def submit(
        self,
        model_id: str,
        body: Mapping[str, Any],
        *,
        idempotency_key: str,
        webhook_url: str | None = None,
    ) -> RequestStatus:
        params = {"hf_webhook": webhook_url} if webhook_url else None
        response = await self._call(
            "POST",
            f"/{model_id.strip('/')}",
            operation="submit",
            json=dict(body),
            params=params,
            headers={"Idempotency-Key": idempotency_key},
        )
        if response.status_code >= 400:
            raise self._error(response, "submit", not_found=HiggsfieldModelNotFound)
        return self._document(response, "submit")

    async def status(self, request_id: str) -> RequestStatus:
        response = await self._call("GET", f"/requests/{quote(request_id, safe='')}/status", operation="status")
        if response.status_code >= 400:
            raise self._error(response, "status", not_found=HiggsfieldRequestNotFound)
        return self._document(response, "status")

    async def cancel(self, request_id: str) -> CancelOutcome:
        """202: canceled while queued. 400: already started, it will finish (and be charged)."""
        response = await self._call("POST", f"/requests/{quote(request_id, safe='')}/cancel", operation="cancel")
        if response.status_code in (200, 202, 204):
            return CancelOutcome.CANCELED
        if response.status_code == 400:
            return CancelOutcome.TOO_LATE
        if response.status_code == 404:
            return CancelOutcome.NOT_FOUND
        raise self._error(response, "cancel", not_found=HiggsfieldRequestNotFound)

    async def delete(self, request_id: str) -> None:
        """Remove a finished request's data at Higgsfield. Already gone (404) is fine."""
        response = await self._call("DELETE", f"/requests/{quote(request_id, safe='')}", operation="delete")
        if response.status_code == 404 or response.status_code < 300:
            return
        raise self._error(response, "delete", not_found=HiggsfieldRequestNotFound)

    async def upload(self, data: bytes, content_type: str) -> str:
        """Host bytes at Higgsfield and return the public URL a model field can take."""
        response = await self._call(
            "POST", "/files/generate-upload-url", operation="upload", json={"content_type": content_type}
        )
        if response.status_code >= 400:
            raise self._error(response, "upload", not_found=HiggsfieldModelUnavailable)
        try:
            slot = UploadSlot.model_validate(response.json())
        except (ValueError, ValidationError) as exc:
            raise HiggsfieldError(f"upload: unexpected answer: {exc}", http_status=response.status_code) from exc
        self.check_provider_url(slot.upload_url)
        # The presigned PUT must carry exactly the returned headers and never our credentials.
        headers = dict(slot.upload_headers or {"Content-Type": content_type})
        headers.setdefault("User-Agent", self.user_agent)
        put = await self._send_with_retries(
            "upload PUT",
            lambda: self._http.put(slot.upload_url, content=data, headers=headers, timeout=DOWNLOAD_TIMEOUT),
        )
        if put.status_code >= 300:
            raise HiggsfieldError(f"upload PUT: {_text_of(put)}", http_status=put.status_code)
        return slot.public_url

    async def download(self, url: str, destination: Path) -> None:
        """Stream a provider-hosted file to `destination` via a temp file and a rename (safe to retry)."""
        destination.parent.mkdir(parents=True, exist_ok=True)
        partial = destination.with_name(destination.name + ".part")
        for attempt in range(1, self.retry.attempts + 1):
            try:
                await self._download_once(url, partial)
                os.replace(partial, destination)
                return
            except (httpx.TransportError, _RetryableDownload) as exc:
                if attempt == self.retry.attempts:
                    raise HiggsfieldUnreachable(f"download: {type(exc).__name__}: {exc}") from exc
                log.warning("higgsfield.download_retry attempt=%s error=%s", attempt, exc)
                await asyncio.sleep(self.retry.delay(attempt))
            finally:
                partial.unlink(missing_ok=True)

    # --- URL safety -----------------------------------------------------------------------------------------

    def check_provider_url(self, url: str) -> None:
        """Refuse URLs a compromised or confused provider answer could use to reach our own network.

        https to a public host only; plain http (and private addresses) only for the configured API host
        itself, which is how the local stand-in on 127.0.0.1 serves its files.
        """
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise HiggsfieldUnsafeUrl(f"not an http(s) URL: {url[:200]}")
        if parts.username or parts.password:
            raise HiggsfieldUnsafeUrl("URL carries credentials")
        if parts.netloc.lower() == self._base_netloc:
            return
        if parts.scheme != "https":
            raise HiggsfieldUnsafeUrl(f"refusing plain http to {parts.hostname}")
        try:
            address = ipaddress.ip_address(parts.hostname)
        except ValueError:
            if parts.hostname.lower() in ("localhost", "localhost.localdomain"):
                raise HiggsfieldUnsafeUrl(f"refusing local host {parts.hostname}") from None
            return
        if not address.is_global:
            raise HiggsfieldUnsafeUrl(f"refusing non-public address {parts.hostname}")

    # --- plumbing -------------------------------------------------------------------------------------------

    def _headers(self, extra: Mapping[str, str] | None = None) -> dict[str, str]:
        headers = {
            "Authorization": self._auth,
            "User-Agent": self.user_agent,
            "Accept": "application/json",
        }
        if extra:
            headers.update(extra)
        return headers

    async def _call(
        self,
        method: str,
        path: str,
        *,
        operation: str,
        json: Any = None,
        params: Mapping[str, str] | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> httpx.Response:
        url = self.base_url + path
        return await self._send_with_retries(
            operation,
            lambda: self._http.request(
                method,
                url,
                json=json,
                params=params,
                headers=self._headers(headers),
                timeout=API_TIMEOUT,
            ),
        )

    async def _send_with_retries(self, operation: str, send: Any) -> httpx.Response:
        """Network errors, 429 and 5xx are retried with backoff; the last 5xx answer is returned to map."""
        for attempt in range(1, self.retry.attempts + 1):
            try:
                response: httpx.Response = await send()
            except httpx.TransportError as exc:
                if attempt == self.retry.attempts:
                    raise HiggsfieldUnreachable(f"{operation}: {type(exc).__name__}: {exc}") from exc
                log.warning("higgsfield.retry operation=%s attempt=%s error=%r", operation, attempt, exc)
            else:
                if response.status_code < 500 and response.status_code != 429:
                    return response
                if attempt == self.retry.attempts:
                    return response
                log.warning(
                    "higgsfield.retry operation=%s attempt=%s http_status=%s correlation_id=%s",
                    operation,
                    attempt,
                    response.status_code,
                    response.headers.get("x-correlation-id"),
                )
            await asyncio.sleep(self.retry.delay(attempt))
        raise AssertionError("unreachable: the loop returns or raises on its last attempt")

    def _document(self, response: httpx.Response, operation: str) -> RequestStatus:
        try:
            return RequestStatus.model_validate(response.json())
        except (ValueError, ValidationError) as exc:
            raise HiggsfieldError(
                f"{operation}: unexpected answer: {_text_of(response)}",
                http_status=response.status_code,
                correlation_id=response.headers.get("x-correlation-id"),
            ) from exc

    def _error(
        self, response: httpx.Response, operation: str, *, not_found: type[HiggsfieldError]
    ) -> HiggsfieldError | HiggsfieldBusy:
        status = response.status_code
        text = _text_of(response)
        correlation_id = response.headers.get("x-correlation-id")
        details: dict[str, Any] = {"http_status": status, "correlation_id": correlation_id}
        if status == 400:
            if operation == "submit" and is_concurrency_limit(text):
                return HiggsfieldBusy(text, **details)
            return HiggsfieldRejectedRequest(text, **details)
        if status == 401:
            log.error(
                "higgsfield.credentials_rejected: Higgsfield rejected the API credentials (HF_KEY, or "
                "HF_API_KEY + HF_API_SECRET); check the key pair in the Higgsfield console. "
                "correlation_id=%s",
                correlation_id,
            )
            return HiggsfieldCredentialsRejected(text, **details)
        if status == 403:
            if _CLOUDFLARE_BLOCK in text:
                log.error(
                    "higgsfield.cloudflare_block: Cloudflare in front of %s refused the request "
                    "(error code 1010), "
                    "which it does for some User-Agents; we sent %r. This is not a credits problem.",
                    self.base_url,
                    self.user_agent,
                )
                return HiggsfieldBlocked(text, **details)
            return HiggsfieldOutOfCredits(text, **details)
        if status == 404:
            return not_found(text, **details)
        if status == 422:
            return HiggsfieldRejectedRequest(text, **details)
        if status in (423, 503):
            return HiggsfieldModelUnavailable(text, **details)
        if status == 429 or status >= 500:
            return HiggsfieldUnreachable(text, **details)
        return HiggsfieldError(text, **details)

    async def _download_once(self, url: str, partial: Path) -> None:
        for _hop in range(MAX_REDIRECTS + 1):
            self.check_provider_url(url)
            # No Authorization header: output URLs live on a CDN and must never see our key.
            async with self._http.stream(
                "GET",
                url,
                headers={"User-Agent": self.user_agent},
                timeout=DOWNLOAD_TIMEOUT,
                follow_redirects=False,
            ) as response:
                if response.is_redirect and "location" in response.headers:
                    url = urljoin(url, response.headers["location"])
                    continue
                if response.status_code >= 500 or response.status_code == 429:
                    raise _RetryableDownload(f"HTTP {response.status_code}")
                if response.status_code == 404:
                    raise HiggsfieldRequestNotFound("download: the output is gone (expired?)", http_status=404)
                if response.status_code >= 400:
                    raise HiggsfieldError(f"download: HTTP {response.status_code}", http_status=response.status_code)
                written = 0
                with partial.open("wb") as out:
                    async for chunk in response.aiter_bytes(1024 * 1024):
                        written += len(chunk)
                        if written > MAX_DOWNLOAD_BYTES:
                            raise HiggsfieldError("download: output larger than the size cap")
                        out.write(chunk)
                if written == 0:
                    raise _RetryableDownload("empty body")
                return
        raise HiggsfieldUnsafeUrl("download: too many redirects")


class _RetryableDownload(Exception):
    pass


def _text_of(response: httpx.Response) -> str:
    """Higgsfield's error words: `detail` (a string, or FastAPI's list of problems), else the raw body."""
    try:
        data = response.json()
    except ValueError:
        return response.text[:1000]
    if isinstance(data, dict):
        detail = data.get("detail") or data.get("message") or data.get("error")
        if isinstance(detail, str):
            return detail
        if isinstance(detail, list):
            return "; ".join(_problem(item) for item in detail)
    return response.text[:1000]


def _problem(item: Any) -> str:
    if isinstance(item, dict):
        loc = ".".join(str(part) for part in item.get("loc", []))
        return f"{loc}: {item.get('msg', '')}"
    return str(item)
