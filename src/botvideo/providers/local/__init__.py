"""The local provider: the procedural video engine behind the `VideoProvider` protocol."""

from botvideo.providers.local.provider import MODEL_ID, LocalProvider

__all__ = ["MODEL_ID", "LocalProvider"]
