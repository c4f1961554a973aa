"""The providers this process can use, and which one serves a given model."""

from __future__ import annotations

from botvideo.core.errors import InvalidInput
from botvideo.providers.base import ModelInfo, VideoProvider


class ProviderRegistry:
    def __init__(self, providers: list[VideoProvider], default: str) -> None:
        self._providers = {provider.name: provider for provider in providers}
        if default not in self._providers:
            raise ValueError(f"default provider {default!r} is not configured")
        self.default_name = default

    @property
    def default(self) -> VideoProvider:
        return self._providers[self.default_name]

    def get(self, name: str) -> VideoProvider:
        try:
            return self._providers[name]
        except KeyError:
            raise InvalidInput(f"The provider {name!r} is not available on this server.") from None

    def models(self) -> list[ModelInfo]:
        # The default provider's models first: the UI preselects the first one.
        ordered = [self.default, *(p for p in self._providers.values() if p.name != self.default_name)]
        return [model for provider in ordered for model in provider.models()]

    def model(self, model_id: str) -> tuple[VideoProvider, ModelInfo]:
        """The provider and canonical model for an id or an alias (such as the spec's `realistic-vision-v5`)."""
        for provider in self._providers.values():
            for model in provider.models():
                if model_id == model.id or model_id in model.aliases:
                    return provider, model
        raise InvalidInput(f"Unknown model {model_id!r}. Available: {', '.join(m.id for m in self.models())}.")

    async def aclose(self) -> None:
        for provider in self._providers.values():
            await provider.aclose()
