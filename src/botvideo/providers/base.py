"""What every video provider offers the job engine: submit, status, cancel, delete, download.

Statuses and errors are normalized here so the workflow never sees a provider's own words. Raw provider text
travels in `detail`/`raw` and ends up in `generation_metadata`, never in front of a user.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import Any, Protocol, runtime_checkable

from botvideo.core.errors import BotvideoError
from botvideo.core.kinds import VideoStatus


class ErrorCode(StrEnum):
    MODERATION = "moderation"
    INSUFFICIENT_CREDITS = "insufficient_credits"
    PROVIDER_UNAVAILABLE = "provider_unavailable"
    INVALID_REQUEST = "invalid_request"
    TIMED_OUT = "timed_out"
    CANCELED = "canceled"
    INTERNAL = "internal"


SAFE_MESSAGES: Mapping[ErrorCode, str] = {
    ErrorCode.MODERATION: "The video was blocked by the provider's content filter. Try a different prompt or image.",
    ErrorCode.INSUFFICIENT_CREDITS: "The video provider account is out of credits. Ask the operator to top it up.",
    ErrorCode.PROVIDER_UNAVAILABLE: "The video provider is unavailable right now. Try again in a few minutes.",
    ErrorCode.INVALID_REQUEST: "The provider could not accept this request. Check the prompt, image and settings.",
    ErrorCode.TIMED_OUT: "The video took too long to generate and was stopped.",
    ErrorCode.CANCELED: "The video was canceled.",
    ErrorCode.INTERNAL: "Something went wrong while making the video. Try again.",
}


class ProviderError(BotvideoError):
    """A provider call failed. `message` is safe for users; `detail` is the provider's own text, for logs only."""

    status_code = 502

    def __init__(self, code: ErrorCode, detail: str = "", *, retryable: bool = False) -> None:
        super().__init__(SAFE_MESSAGES[code], code=code.value)
        self.error_code = code
        self.detail = detail
        self.retryable = retryable


class ProviderBusy(ProviderError):
    """The provider's concurrency cap is reached: wait for a slot, then submit again (nothing was accepted)."""

    def __init__(self, detail: str = "") -> None:
        super().__init__(ErrorCode.PROVIDER_UNAVAILABLE, detail, retryable=True)


class CancelOutcome(StrEnum):
    CANCELED = "canceled"
    TOO_LATE = "too_late"  # already running at the provider; it will finish
    NOT_FOUND = "not_found"


@dataclass(frozen=True)
class BotProfile:
    """What a provider may know about the bot a video is made for."""

    name: str
    description: str = ""
    instructions: str = ""
    token_name: str | None = None
    token_symbol: str | None = None
    avatar_path: Path | None = None


@dataclass(frozen=True)
class GenerationRequest:
    video_id: str
    video_type: str  # intro | promo | token_reveal | custom
    prompt: str
    model: str
    bot: BotProfile
    duration_seconds: int = 5
    resolution: str = "1080p"  # 1080p | 720p
    aspect_ratio: str = "16:9"  # 16:9 | 9:16 | 1:1
    source_image_path: Path | None = None
    source_image_url: str | None = None  # already public; providers needing a URL upload the path otherwise
    webhook_url: str | None = None
    seed: int = 0


@dataclass(frozen=True)
class Submission:
    request_id: str
    status: VideoStatus
    raw: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class ProviderJobState:
    status: VideoStatus
    progress: float | None = None  # 0..1 when the provider knows it
    output_url: str | None = None  # where `download` fetches the finished MP4
    poster_url: str | None = None
    error_code: ErrorCode | None = None
    detail: str | None = None  # provider's own words, never shown to users
    raw: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class ModelInfo:
    """One model a user can pick, with the ranges its request is validated against."""

    id: str
    provider: str
    label: str
    description: str
    kind: str  # "text-to-video" | "image-to-video" | "motion-graphics"
    durations: tuple[int, ...]
    resolutions: tuple[str, ...]
    aspect_ratios: tuple[str, ...]
    needs_image: bool = False
    accepts_image: bool = False
    aliases: tuple[str, ...] = ()


@runtime_checkable
class VideoProvider(Protocol):
    name: str

    def models(self) -> list[ModelInfo]: ...

    def default_model(self, video_type: str, *, has_image: bool) -> str: ...

    def validate(self, request: GenerationRequest) -> None:
        """Raise `botvideo.core.errors.InvalidInput` with a clear message before anything is spent."""

    async def submit(self, request: GenerationRequest, *, idempotency_key: str) -> Submission: ...

    async def status(self, request_id: str) -> ProviderJobState: ...

    async def cancel(self, request_id: str) -> CancelOutcome: ...

    async def delete(self, request_id: str) -> None: ...

    async def download(self, state: ProviderJobState, destination: Path) -> None:
        """Write the finished MP4 to `destination` (write a temp file and rename: the step may be retried)."""

    async def download_poster(self, state: ProviderJobState, destination: Path) -> bool:
        """Write a JPEG poster if the provider has one; False means the caller extracts one from the video."""

    async def aclose(self) -> None: ...
