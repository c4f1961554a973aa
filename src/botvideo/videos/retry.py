"""Every retry and wait rule of a video's job, as data in one place."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class StepRetry:
    """How DBOS retries a step that raised: `attempts` in all, waiting `interval` × `backoff`^n between them."""

    attempts: int
    interval_seconds: float
    backoff: float

    def options(self) -> dict[str, Any]:
        return {
            "retries_allowed": True,
            "max_attempts": self.attempts,
            "interval_seconds": self.interval_seconds,
            "backoff_rate": self.backoff,
        }


# A provider status read or a download: transient network failures.
PROVIDER_CALL = StepRetry(attempts=4, interval_seconds=2.0, backoff=2.0)
# Removing the provider's copy of a deleted video: nobody waits on it, so it can take longer.
CLEANUP_CALL = StepRetry(attempts=5, interval_seconds=5.0, backoff=2.0)

# A submission that failed transiently is tried again this many rounds (each round is already a few HTTP
# attempts with backoff inside the provider client), then the video fails as `provider_unavailable`.
SUBMIT_ROUNDS = 3
# Waiting for a free slot (provider busy) or after a failed round: the poll interval, doubling, at most this.
SUBMIT_WAIT_CEILING_SECONDS = 60.0


def submit_wait(round_: int, base_seconds: float) -> float:
    return float(min(SUBMIT_WAIT_CEILING_SECONDS, base_seconds * 2.0 ** min(round_, 4)))


def poll_interval(elapsed: float, base: float, backoff_after: float, ceiling: float) -> float:
    """Every `base` seconds for the first `backoff_after`, then growing by half each minute up to `ceiling`."""
    if elapsed < backoff_after:
        return base
    minutes_late = (elapsed - backoff_after) / 60.0
    return float(min(ceiling, base * (1.5 ** (1 + minutes_late))))
