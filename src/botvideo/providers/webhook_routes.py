"""Provider webhooks: treated as hints. Each one only wakes the video's job, which re-reads the provider's status."""

from __future__ import annotations

import logging
import uuid

import sqlalchemy as sa
from fastapi import APIRouter, Request

from botvideo.core.db import unit_of_work
from botvideo.core.deps import RuntimeDep
from botvideo.core.errors import NotFound
from botvideo.videos import repository
from botvideo.videos.models import WebhookDelivery

log = logging.getLogger(__name__)

router = APIRouter(prefix="/api/v1/webhooks", tags=["webhooks"])


@router.post("/{provider}/{video_id}", status_code=204)
async def provider_webhook(provider: str, video_id: uuid.UUID, request: Request, runtime: RuntimeDep) -> None:
    """Receive a provider's notice that a request changed. Signed deliveries are de-duplicated on their id."""
    import asyncio

    if provider != "higgsfield":
        raise NotFound()
    from botvideo.providers.higgsfield.webhooks import parse_webhook, split_secrets

    body = await request.body()
    secret = runtime.settings.hf_webhook_secret
    secrets = split_secrets(secret.get_secret_value()) if secret else []
    hook = parse_webhook(dict(request.headers), body, secrets)
    if secrets and not hook.verified:
        log.warning("webhook.unverified provider=%s video=%s reason=%s", provider, video_id, hook.rejection)

    def record() -> bool:
        """True when this delivery is new (and the video is ours)."""
        with unit_of_work(runtime.sessions) as session:
            video = repository.get(session, video_id)
            if video is None or video.provider != provider:
                raise NotFound()
            if not (hook.verified and hook.webhook_id):
                return True
            try:
                with session.begin_nested():
                    session.add(WebhookDelivery(provider=provider, webhook_id=hook.webhook_id, video_id=video_id))
            except sa.exc.IntegrityError:
                return False
            return True

    if await asyncio.to_thread(record):
        await runtime.jobs.wake(
            str(video_id), "webhook", idempotency_key=f"webhook-{hook.webhook_id}" if hook.verified else None
        )
