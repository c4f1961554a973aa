"""Higgsfield as a video provider: client, model catalog, webhook checks and a stand-in server."""

from botvideo.providers.higgsfield.client import DEFAULT_BASE_URL, HiggsfieldClient, RetryPolicy
from botvideo.providers.higgsfield.provider import (
    HiggsfieldProvider,
    build_higgsfield_provider,
    idempotency_key_for,
)
from botvideo.providers.higgsfield.webhooks import HiggsfieldWebhook, parse_webhook

__all__ = [
    "DEFAULT_BASE_URL",
    "HiggsfieldClient",
    "HiggsfieldProvider",
    "HiggsfieldWebhook",
    "RetryPolicy",
    "build_higgsfield_provider",
    "idempotency_key_for",
    "parse_webhook",
]
