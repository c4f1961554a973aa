"""Which providers a process offers: the local engine always, Higgsfield when its credentials are set."""

from __future__ import annotations

import httpx

from botvideo.core.config import Settings
from botvideo.engine import RenderPool
from botvideo.providers.base import VideoProvider
from botvideo.providers.higgsfield import build_higgsfield_provider
from botvideo.providers.local import LocalProvider
from botvideo.providers.registry import ProviderRegistry


def build_providers(settings: Settings, http: httpx.AsyncClient, render_pool: RenderPool | None) -> ProviderRegistry:
    providers: list[VideoProvider] = [LocalProvider(settings.work_dir, pool=render_pool, preset=settings.render_preset)]
    if settings.higgsfield_credentials:
        providers.append(build_higgsfield_provider(settings, http))
    return ProviderRegistry(providers, default=settings.provider_name)
