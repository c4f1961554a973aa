"""Provider webhooks: treated as hints. Each one only wakes the video's job, which re-reads the provider's status."""

from __future__ import annotations

import logging
import uuid

from fastapi import APIRouter, BackgroundTasks, Request

from botvideo.core.deps import SessionDep, SettingsDep
from botvideo.core.errors import NotFound
from botvideo.providers.higgsfield.webhooks import parse_webhook, split_secrets
from botvideo.videos import repository
from botvideo.videos.deps import JobsDep

log = logging.getLogger(__name__)

router = APIRouter(prefix="/api/v1/webhooks", tags=["webhooks"])

WEBHOOK_PROVIDERS = frozenset({"higgsfield"})


@router.post("/{provider}/{video_id}", status_code=204, name="provider_webhook")
async def provider_webhook(
    provider: str,
    video_id: uuid.UUID,
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    jobs: JobsDep,
    background: BackgroundTasks,
) -> None:
    """Receive a provider's notice that a request changed. Signed deliveries are de-duplicated on their id."""
    if provider not in WEBHOOK_PROVIDERS:
        raise NotFound()
    body = await request.body()
    secret = settings.hf_webhook_secret
    secrets = split_secrets(secret.get_secret_value()) if secret else []
    hook = parse_webhook(dict(request.headers), body, secrets)
    if secrets and not hook.verified:
        log.warning("webhook.unverified provider=%s video=%s reason=%s", provider, video_id, hook.rejection)

    video = repository.get(session, video_id)
    if video is None or video.provider != provider:
        raise NotFound()
    if (
        hook.verified
        and hook.webhook_id
        and not repository.record_delivery(session, provider, hook.webhook_id, video_id)
    ):
        return  # a redelivery: its wake was sent the first time
    # After the commit, so a redelivery racing this one finds the delivery recorded.
    key = f"webhook-{hook.webhook_id}" if hook.verified else None
    background.add_task(jobs.wake, str(video_id), "webhook", idempotency_key=key)
