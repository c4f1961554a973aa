"""How the stand-in behaves: fixed settings, plus a scenario that tests and demos change while it runs."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

Outcome = Literal["completed", "failed", "nsfw"]

DEFAULT_KEY = "standin-key-id:standin-key-secret"


class Scenario(BaseModel):
    """Scripted behaviour. Counters (`server_errors`, `accept_then_fail`) are used up one call at a time."""

    model_config = ConfigDict(extra="forbid")

    outcome: Outcome = Field(default="completed", description="How new requests end.")
    slow: bool = Field(default=False, description="New requests stay in_progress for `slow_seconds`.")
    server_errors: int = Field(default=0, ge=0, description="The next N API calls answer 500.")
    accept_then_fail: int = Field(
        default=0,
        ge=0,
        description="The next N submits are accepted, then answered 502 (an ambiguous failure).",
    )
    max_in_flight: int | None = Field(
        default=None,
        ge=0,
        description="Submits answer the concurrency 400 while N requests are queued/in progress.",
    )
    out_of_credits: bool = Field(default=False, description="Submits answer 403 (not enough credits).")
    cloudflare_block: bool = Field(default=False, description="Every API call answers Cloudflare's 403 1010 page.")
    model_unavailable: Literal[404, 423, 503] | None = Field(
        default=None, description="Submits answer this status: model not found, locked or unavailable."
    )
    honour_idempotency_keys: bool = Field(
        default=True, description="False mimics the docs that say Idempotency-Key is ignored."
    )
    queued_seconds: float | None = Field(default=None, ge=0, description="Overrides the configured queue time.")
    in_progress_seconds: float | None = Field(default=None, ge=0, description="Overrides the configured run time.")


class StandinConfig(BaseModel):
    model_config = ConfigDict(extra="forbid")

    key: str = Field(default=DEFAULT_KEY, description="The only accepted `id:secret` pair.")
    webhook_secrets: list[str] = Field(
        default_factory=list,
        description="`whsec_…` secrets deliveries are signed with; two mimic a rotation (one signature "
        "each). "
        "Empty: deliveries go unsigned, as Higgsfield's do before the secret is first revealed.",
    )
    queued_seconds: float = Field(default=1.0, ge=0)
    in_progress_seconds: float = Field(default=2.0, ge=0)
    slow_seconds: float = Field(default=20.0, ge=0)
    public_url: str | None = Field(
        default=None, description="Base of the URLs it hands out; default: the base URL the caller used."
    )
    state_file: Path | None = Field(default=None, description="JSON file keeping requests and counts.")
    media_dir: Path | None = Field(default=None, description="Where videos and uploads go (default: a temp dir).")
    render_width: int = Field(default=640, gt=0)
    render_height: int = Field(default=360, gt=0)
    max_clip_seconds: float = Field(default=5.0, gt=0, description="Rendered clips are capped to stay fast.")
    use_engine: bool = Field(default=True, description="Render with botvideo.engine when it is importable.")
    webhook_attempts: int = Field(default=5, ge=1)
    webhook_backoff_seconds: float = Field(default=0.5, ge=0)
    tick_seconds: float = Field(default=0.05, gt=0)
    scenario: Scenario = Field(default_factory=Scenario)
