"""Route dependency for the video providers this process offers (built once, on the server's event loop)."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from botvideo.providers.registry import ProviderRegistry


def get_providers(request: Request) -> ProviderRegistry:
    providers: ProviderRegistry = request.app.state.providers
    return providers


ProvidersDep = Annotated[ProviderRegistry, Depends(get_providers)]
