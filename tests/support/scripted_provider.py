"""A provider whose behaviour tests script through the prompt. Tests only: the real providers are the local
engine and Higgsfield (tested against its stand-in server)."""

from __future__ import annotations

import re
import shutil
from collections import Counter
from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path

import av
import numpy as np

from botvideo.core.errors import InvalidInput
from botvideo.core.kinds import VideoStatus
from botvideo.providers.base import (
    CancelOutcome,
    ErrorCode,
    GenerationRequest,
    ModelInfo,
    ProviderBusy,
    ProviderError,
    ProviderJobState,
    Submission,
)

SCRIPTED_MODEL = "scripted/model"
_MARKER = re.compile(r"\[script:([a-z_]+)\]")


def write_tiny_mp4(path: Path, *, frames: int = 24, size: tuple[int, int] = (64, 48)) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with av.open(str(path), "w") as container:
        stream = container.add_stream("libx264", rate=Fraction(24, 1))
        stream.width, stream.height = size
        stream.pix_fmt = "yuv420p"
        for index in range(frames):
            pixels = np.full((size[1], size[0], 3), (index * 10) % 255, dtype=np.uint8)
            for packet in stream.encode(av.VideoFrame.from_ndarray(pixels, format="rgb24")):
                container.mux(packet)
        for packet in stream.encode():
            container.mux(packet)


@dataclass
class _Request:
    script: str
    polls: int = 0
    canceled: bool = False


@dataclass
class ProviderLedger:
    """Shared across the per-event-loop provider instances, so tests see every call."""

    submissions: Counter[str] = field(default_factory=Counter)
    requests: dict[str, _Request] = field(default_factory=dict)
    busy_left: int = 0
    deleted: list[str] = field(default_factory=list)


class ScriptedProvider:
    """Markers in the prompt pick the outcome: `[script:moderation]`, `[script:credits]`, `[script:unavailable]`,
    `[script:invalid]`, `[script:failed]`, `[script:busy]`, `[script:never]` (never finishes), `[script:canceled]`.
    Otherwise the request completes after `polls_to_finish` status reads."""

    name = "scripted"

    def __init__(self, work_dir: Path, ledger: ProviderLedger, *, polls_to_finish: int = 2) -> None:
        self.work_dir = work_dir
        self.ledger = ledger
        self.polls_to_finish = polls_to_finish
        self.output = work_dir / "scripted-output.mp4"
        if not self.output.exists():
            write_tiny_mp4(self.output)

    def models(self) -> list[ModelInfo]:
        return [
            ModelInfo(
                id=SCRIPTED_MODEL,
                provider=self.name,
                label="Scripted",
                description="Test provider",
                kind="text-to-video",
                durations=(2, 5, 10),
                resolutions=("1080p", "720p"),
                aspect_ratios=("16:9", "9:16", "1:1"),
                accepts_image=True,
                aliases=("higgsfield/realistic-vision-v5",),
            )
        ]

    def default_model(self, video_type: str, *, has_image: bool) -> str:
        del video_type, has_image
        return SCRIPTED_MODEL

    def validate(self, request: GenerationRequest) -> None:
        if request.duration_seconds not in (2, 5, 10):
            raise InvalidInput("The scripted model makes 2, 5 or 10 second videos.")

    async def submit(self, request: GenerationRequest, *, idempotency_key: str) -> Submission:
        match = _MARKER.search(request.prompt)
        script = match.group(1) if match else "ok"
        if script == "busy" and self.ledger.busy_left > 0:
            self.ledger.busy_left -= 1
            raise ProviderBusy("concurrency limit reached")
        if script == "credits":
            raise ProviderError(ErrorCode.INSUFFICIENT_CREDITS, "403 Not enough credits")
        if script == "invalid":
            raise ProviderError(ErrorCode.INVALID_REQUEST, "422 prompt: field required")
        request_id = f"req-{idempotency_key}"
        if request_id not in self.ledger.requests:
            self.ledger.submissions[idempotency_key] += 1
            self.ledger.requests[request_id] = _Request(script=script)
        return Submission(request_id=request_id, status=VideoStatus.PENDING)

    async def status(self, request_id: str) -> ProviderJobState:
        request = self.ledger.requests[request_id]
        request.polls += 1
        if request.canceled:
            return ProviderJobState(status=VideoStatus.CANCELED)
        if request.script == "never" or request.polls < self.polls_to_finish:
            return ProviderJobState(status=VideoStatus.PROCESSING, progress=min(0.9, request.polls / 4))
        if request.script == "moderation":
            return ProviderJobState(
                status=VideoStatus.FAILED,
                error_code=ErrorCode.MODERATION,
                detail="nsfw: raw provider words",
            )
        if request.script == "failed":
            return ProviderJobState(
                status=VideoStatus.FAILED, error_code=ErrorCode.INTERNAL, detail="GPU exploded at node 7"
            )
        if request.script == "unavailable":
            raise ProviderError(ErrorCode.PROVIDER_UNAVAILABLE, "503 model offline", retryable=False)
        if request.script == "canceled":
            return ProviderJobState(status=VideoStatus.CANCELED)
        return ProviderJobState(status=VideoStatus.COMPLETED, progress=1.0, output_url=self.output.as_uri())

    async def cancel(self, request_id: str) -> CancelOutcome:
        request = self.ledger.requests.get(request_id)
        if request is None:
            return CancelOutcome.NOT_FOUND
        if request.script == "too_late":
            return CancelOutcome.TOO_LATE
        request.canceled = True
        return CancelOutcome.CANCELED

    async def delete(self, request_id: str) -> None:
        self.ledger.deleted.append(request_id)

    async def download(self, state: ProviderJobState, destination: Path) -> None:
        assert state.output_url is not None
        shutil.copyfile(self.output, destination)

    async def download_poster(self, state: ProviderJobState, destination: Path) -> bool:
        del state, destination
        return False

    async def aclose(self) -> None:
        return None
