"""Which providers a process offers: the local engine always, Higgsfield when its credentials are set."""

from __future__ import annotations

from typing import TYPE_CHECKING

import httpx

from botvideo.core.config import Settings
from botvideo.providers.base import VideoProvider
from botvideo.providers.registry import ProviderRegistry

if TYPE_CHECKING:
    from botvideo.engine import RenderPool
    from botvideo.runtime import RegistryBuilder


def default_registry_builder(settings: Settings, render_pool: RenderPool | None) -> RegistryBuilder:
    def build(http: httpx.AsyncClient) -> ProviderRegistry:
        from botvideo.providers.local import LocalProvider

        providers: list[VideoProvider] = [
            LocalProvider(settings.work_dir, pool=render_pool, preset=settings.render_preset)
        ]
        if settings.higgsfield_credentials:
            from botvideo.providers.higgsfield import build_higgsfield_provider

            providers.append(build_higgsfield_provider(settings, http))
        return ProviderRegistry(providers, default=settings.provider_name)

    return build
