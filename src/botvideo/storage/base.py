"""A narrow interface for where media lives, so an S3 implementation can replace local files."""

from __future__ import annotations

from pathlib import Path
from typing import Protocol


class MediaStorage(Protocol):
    def save_file(self, key: str, source: Path) -> str:
        """Store `source` under `key` (moving it when possible) and return the key. Idempotent."""

    def save_bytes(self, key: str, content: bytes) -> str: ...

    def exists(self, key: str) -> bool: ...

    def local_path(self, key: str) -> Path:
        """A readable file for `key` (local storage serves it directly with HTTP Range support)."""

    def delete(self, key: str) -> None:
        """Remove `key`; a missing key is not an error."""


class InvalidStorageKey(ValueError):
    pass
