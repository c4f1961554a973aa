"""Standard Webhooks signatures, as Higgsfield signs its deliveries.

Pure functions: the service's route passes the headers, the raw body and the configured secrets, and gets
back a typed result. Replay protection (remembering `webhook-id`s) is the route's job; this module only
exposes the id.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
import time
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

SECRET_PREFIX = "whsec_"
TOLERANCE_SECONDS = 5 * 60
SIGNATURE_VERSION = "v1"


class WebhookRejection(StrEnum):
    NO_SECRET = "no_secret"  # HF_WEBHOOK_SECRET is not configured: nothing to check against
    MISSING_HEADERS = "missing_headers"
    BAD_TIMESTAMP = "bad_timestamp"
    STALE_TIMESTAMP = "stale_timestamp"
    BAD_SIGNATURE = "bad_signature"
    BAD_BODY = "bad_body"


@dataclass(frozen=True)
class VerifiedWebhook:
    webhook_id: str
    timestamp: int
    payload: Mapping[str, Any]


@dataclass(frozen=True)
class UnverifiedWebhook:
    reason: WebhookRejection
    webhook_id: str | None = None


@dataclass(frozen=True)
class HiggsfieldWebhook:
    """One delivery as the service route needs it. Only act on it when `verified`."""

    verified: bool
    webhook_id: str | None
    request_id: str | None
    status: str | None
    rejection: WebhookRejection | None = None
    payload: Mapping[str, Any] = field(default_factory=dict)


def decode_secret(secret: str) -> bytes:
    """The HMAC key: base64 of whatever follows `whsec_`. Raises ValueError for a malformed secret."""
    try:
        return base64.b64decode(secret.removeprefix(SECRET_PREFIX), validate=True)
    except binascii.Error as exc:
        raise ValueError("webhook secret must be 'whsec_' followed by base64") from exc


def sign(secret: str, webhook_id: str, timestamp: int, body: bytes) -> str:
    """One `v1,<base64>` signature of the body."""
    signed = f"{webhook_id}.{timestamp}.".encode() + body
    digest = hmac.new(decode_secret(secret), signed, hashlib.sha256).digest()
    return f"{SIGNATURE_VERSION},{base64.b64encode(digest).decode()}"


def signature_header(secrets: Iterable[str], webhook_id: str, timestamp: int, body: bytes) -> str:
    """The `webhook-signature` value: one signature per secret, space-separated, as during a rotation."""
    return " ".join(sign(secret, webhook_id, timestamp, body) for secret in secrets)


def signed_headers(secrets: Sequence[str], webhook_id: str, body: bytes, *, now: float | None = None) -> dict[str, str]:
    timestamp = int(time.time() if now is None else now)
    headers = {"webhook-id": webhook_id, "webhook-timestamp": str(timestamp)}
    if secrets:
        headers["webhook-signature"] = signature_header(secrets, webhook_id, timestamp, body)
    return headers


def verify(
    headers: Mapping[str, str],
    body: bytes,
    secrets: Sequence[str],
    *,
    now: float | None = None,
    tolerance_seconds: int = TOLERANCE_SECONDS,
) -> VerifiedWebhook | UnverifiedWebhook:
    """Check a delivery against every configured secret (several during a rotation); any match passes."""
    lowered = {key.lower(): value for key, value in headers.items()}
    webhook_id = lowered.get("webhook-id")
    raw_timestamp = lowered.get("webhook-timestamp")
    signatures = lowered.get("webhook-signature")
    if not secrets:
        return UnverifiedWebhook(WebhookRejection.NO_SECRET, webhook_id)
    if not webhook_id or not raw_timestamp or not signatures:
        return UnverifiedWebhook(WebhookRejection.MISSING_HEADERS, webhook_id)
    try:
        timestamp = int(raw_timestamp)
    except ValueError:
        return UnverifiedWebhook(WebhookRejection.BAD_TIMESTAMP, webhook_id)
    current = time.time() if now is None else now
    if abs(current - timestamp) > tolerance_seconds:
        return UnverifiedWebhook(WebhookRejection.STALE_TIMESTAMP, webhook_id)

    offered = [entry.split(",", 1)[1] for entry in signatures.split() if entry.startswith(f"{SIGNATURE_VERSION},")]
    matched = False
    for secret in secrets:
        try:
            expected = sign(secret, webhook_id, timestamp, body).split(",", 1)[1]
        except ValueError:
            continue  # a malformed secret matches nothing; the others may still match
        # Compare against every offered signature without stopping early, in constant time each.
        for candidate in offered:
            matched |= hmac.compare_digest(expected.encode(), candidate.encode())
    if not matched:
        return UnverifiedWebhook(WebhookRejection.BAD_SIGNATURE, webhook_id)
    try:
        payload = json.loads(body)
    except ValueError:
        return UnverifiedWebhook(WebhookRejection.BAD_BODY, webhook_id)
    if not isinstance(payload, dict):
        return UnverifiedWebhook(WebhookRejection.BAD_BODY, webhook_id)
    return VerifiedWebhook(webhook_id=webhook_id, timestamp=timestamp, payload=payload)


def parse_webhook(
    headers: Mapping[str, str], body: bytes, secrets: Sequence[str], *, now: float | None = None
) -> HiggsfieldWebhook:
    """Verify a delivery and pull out what the workflow needs.

    Unverified deliveries still expose what they claim, for logging; never act on their contents.
    """
    result = verify(headers, body, secrets, now=now)
    if isinstance(result, VerifiedWebhook):
        return HiggsfieldWebhook(
            verified=True,
            webhook_id=result.webhook_id,
            request_id=_text(result.payload.get("request_id")),
            status=_text(result.payload.get("status")),
            payload=result.payload,
        )
    claimed: Mapping[str, Any] = {}
    try:
        loaded = json.loads(body)
        if isinstance(loaded, dict):
            claimed = loaded
    except ValueError:
        pass
    return HiggsfieldWebhook(
        verified=False,
        webhook_id=result.webhook_id,
        request_id=_text(claimed.get("request_id")),
        status=_text(claimed.get("status")),
        rejection=result.reason,
    )


def _text(value: Any) -> str | None:
    return value if isinstance(value, str) else None


def split_secrets(value: str | None) -> list[str]:
    """HF_WEBHOOK_SECRET may hold several secrets (space- or comma-separated) during a rotation."""
    if not value:
        return []
    return [part for part in value.replace(",", " ").split() if part]
