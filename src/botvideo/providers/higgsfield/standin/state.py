"""The stand-in's memory: requests, uploads and the counts tests use to prove nothing was submitted twice.

Optionally mirrored to a JSON file after every change, so it outlives restarts of whatever talks to it (and of
itself). Times are wall-clock seconds so a reloaded file keeps its schedule.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from pydantic import BaseModel, Field

from botvideo.providers.higgsfield.standin.config import Outcome

TERMINAL = frozenset({"completed", "failed", "nsfw", "canceled"})
IN_FLIGHT = frozenset({"queued", "in_progress"})


class StoredRequest(BaseModel):
    request_id: str
    model_id: str
    body: dict[str, Any]
    status: str = "queued"
    outcome: Outcome = "completed"
    created_at: float
    queued_seconds: float
    in_progress_seconds: float
    started_at: float | None = None
    finished_at: float | None = None
    base_url: str
    webhook_url: str | None = None
    idempotency_key: str | None = None
    error: str | None = None
    video_file: str | None = None
    webhook_id: str | None = None
    webhook_done: bool = False


class StoredUpload(BaseModel):
    token: str
    content_type: str
    upload_headers: dict[str, str]
    expires_at: float
    file_name: str | None = None  # set once the PUT arrived


class WebhookDelivery(BaseModel):
    request_id: str
    webhook_id: str
    url: str
    attempts: int = 0
    response_status: int | None = None
    error: str | None = None
    delivered: bool = False


class StandinState(BaseModel):
    requests: dict[str, StoredRequest] = Field(default_factory=dict)
    uploads: dict[str, StoredUpload] = Field(default_factory=dict)
    idempotency: dict[str, str] = Field(default_factory=dict)  # key -> request id
    submits_received: int = 0
    accepted_total: int = 0
    accepted_by_idempotency_key: dict[str, int] = Field(default_factory=dict)
    idempotent_replays: int = 0
    cancels: int = 0
    deletes: int = 0
    webhook_deliveries: list[WebhookDelivery] = Field(default_factory=list)

    def in_flight(self) -> int:
        return sum(1 for request in self.requests.values() if request.status in IN_FLIGHT)

    def stats(self) -> dict[str, Any]:
        return {
            "submits_received": self.submits_received,
            "accepted_total": self.accepted_total,
            "accepted_by_idempotency_key": dict(self.accepted_by_idempotency_key),
            "idempotent_replays": self.idempotent_replays,
            "in_flight": self.in_flight(),
            "cancels": self.cancels,
            "deletes": self.deletes,
            "requests": {
                request.request_id: {
                    "status": request.status,
                    "model_id": request.model_id,
                    "idempotency_key": request.idempotency_key,
                    "webhook_url": request.webhook_url,
                    "body": request.body,
                }
                for request in self.requests.values()
            },
            "webhook_deliveries": [delivery.model_dump() for delivery in self.webhook_deliveries],
        }


def load_state(path: Path | None) -> StandinState:
    if path is None or not path.exists():
        return StandinState()
    return StandinState.model_validate_json(path.read_text())


def save_state(state: StandinState, path: Path | None) -> None:
    if path is None:
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(path.name + ".part")
    partial.write_text(json.dumps(state.model_dump(mode="json"), indent=1))
    os.replace(partial, path)
