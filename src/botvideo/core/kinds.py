"""The lists the product knows, defined once: video types (with their labels) and video statuses.

Every other place (models, schemas, routes, the engine, prompts, templates and `app.js`) takes them from here.
"""

from __future__ import annotations

from enum import StrEnum


class VideoType(StrEnum):
    INTRO = "intro"
    PROMO = "promo"
    TOKEN_REVEAL = "token_reveal"
    CUSTOM = "custom"

    @property
    def label(self) -> str:
        return _TYPE_LABELS[self][0]

    @property
    def description(self) -> str:
        return _TYPE_LABELS[self][1]


# In the order the dialog offers them.
_TYPE_LABELS: dict[VideoType, tuple[str, str]] = {
    VideoType.INTRO: ("Character Intro", "A cinematic reveal of your bot as a character."),
    VideoType.PROMO: ("Promotional", "A fast, upbeat showcase of what your bot does."),
    VideoType.TOKEN_REVEAL: ("Token Launch", "Your bot's coin forming in a burst of light, ticker and all."),
    VideoType.CUSTOM: ("Custom", "Describe any scene yourself; it is made from your words."),
}


class VideoStatus(StrEnum):
    """A video's status, and a provider's normalized status of its request (a queued request is `pending`)."""

    PENDING = "pending"
    PROCESSING = "processing"
    COMPLETED = "completed"
    FAILED = "failed"
    CANCELED = "canceled"

    @property
    def label(self) -> str:
        return self.value.capitalize()

    @property
    def is_terminal(self) -> bool:
        return self in TERMINAL_STATUSES


TERMINAL_STATUSES = frozenset({VideoStatus.COMPLETED, VideoStatus.FAILED, VideoStatus.CANCELED})


def vocabulary() -> dict[str, object]:
    """The lists as the web app's script reads them (embedded in each page as JSON)."""
    return {
        "types": [{"id": t.value, "label": t.label, "description": t.description} for t in VideoType],
        "statuses": [{"id": s.value, "label": s.label, "terminal": s.is_terminal} for s in VideoStatus],
    }
