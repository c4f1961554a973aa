"""The video job queues: enqueue a video's workflow or its cleanup in the caller's transaction, wake a waiting job."""

from __future__ import annotations

import sqlalchemy as sa
from dbos import DBOSClient
from sqlalchemy.orm import Session

from botvideo.core import dbos
from botvideo.core.config import Settings

QUEUE_NAME = "videos"
CLEANUP_QUEUE_NAME = "video-cleanup"
GENERATE_VIDEO_WORKFLOW = "botvideo.generate_video"
CLEANUP_WORKFLOW = "botvideo.clean_up_deleted_video"
PROVIDER_UPDATE_TOPIC = "provider-update"


def queues(settings: Settings) -> list[dbos.QueueSpec]:
    return [
        # The provider's concurrency cap is the queue's per-partition limit (one partition per provider).
        dbos.QueueSpec(
            QUEUE_NAME,
            worker_concurrency=settings.worker_concurrency,
            polling_interval_seconds=settings.queue_polling_interval_seconds,
            partition_concurrency=settings.provider_concurrency,
        ),
        dbos.QueueSpec(CLEANUP_QUEUE_NAME, worker_concurrency=4, polling_interval_seconds=1.0),
    ]


class JobQueue:
    """Enqueues video jobs and talks to running ones."""

    def __init__(self, settings: Settings) -> None:
        self.engine: sa.Engine | None = dbos.system_engine(settings)
        self._client: DBOSClient = dbos.client(settings, self.engine)

    def enqueue_video(self, session: Session, video_id: str, *, provider: str) -> None:
        """Enqueue in the caller's transaction: the job exists exactly when the row does."""
        self._client.enqueue_in_transaction(
            session,
            {
                "workflow_name": GENERATE_VIDEO_WORKFLOW,
                "queue_name": QUEUE_NAME,
                "workflow_id": video_id,
                "queue_partition_key": provider,
            },
            video_id,
        )

    def enqueue_cleanup(
        self,
        session: Session,
        video_id: str,
        *,
        provider: str,
        request_ids: list[str],
        storage_keys: list[str],
        stop_generation: bool,
    ) -> None:
        """Enqueued with the row's deletion, so files and the provider's copy are removed even after a crash."""
        self._client.enqueue_in_transaction(
            session,
            {"workflow_name": CLEANUP_WORKFLOW, "queue_name": CLEANUP_QUEUE_NAME, "workflow_id": f"cleanup-{video_id}"},
            video_id,
            provider,
            request_ids,
            storage_keys,
            stop_generation,
        )

    async def wake(self, video_id: str, reason: str, *, idempotency_key: str | None = None) -> None:
        """Make a waiting job re-read its provider status now instead of at its next poll."""
        await self._client.send_async(
            video_id, {"reason": reason}, PROVIDER_UPDATE_TOPIC, idempotency_key=idempotency_key
        )

    def close(self) -> None:
        self._client.destroy()
        if self.engine is not None:
            self.engine.dispose()
