"""Route dependency for the video providers this process offers (built once, on the server's event loop)."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends

from botvideo.core.deps import from_state
from botvideo.providers.registry import ProviderRegistry

ProvidersDep = Annotated[ProviderRegistry, Depends(from_state("providers", ProviderRegistry))]
