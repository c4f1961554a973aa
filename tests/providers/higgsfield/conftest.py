from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from botvideo.providers.base import BotProfile, GenerationRequest
from botvideo.providers.higgsfield import HiggsfieldClient, HiggsfieldProvider, RetryPolicy
from tests.support.standin import StandinHandle, running_standin

FAST_RETRY = RetryPolicy(attempts=3, base_delay=0.01, max_delay=0.05)


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


@pytest.fixture
def standin() -> Iterator[StandinHandle]:
    with running_standin() as handle:
        yield handle


@pytest.fixture
async def http() -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient() as client:
        yield client


@pytest.fixture
def client(standin: StandinHandle, http: httpx.AsyncClient) -> HiggsfieldClient:
    return HiggsfieldClient(http, credentials=standin.key, base_url=standin.base_url, retry=FAST_RETRY)


@pytest.fixture
def provider(client: HiggsfieldClient) -> HiggsfieldProvider:
    return HiggsfieldProvider(client)


def create_request(**overrides: Any) -> GenerationRequest:
    fields: dict[str, Any] = {
        "video_id": "video-1",
        "video_type": "promo",
        "prompt": "A friendly robot waves at the camera",
        "model": "bytedance/seedance/v1/pro/fast/text-to-video",
        "bot": BotProfile(name="Robo"),
    }
    fields.update(overrides)
    return GenerationRequest(**fields)


@pytest.fixture
def avatar(tmp_path: Path) -> Path:
    from PIL import Image

    path = tmp_path / "avatar.png"
    Image.new("RGB", (64, 64), (200, 40, 90)).save(path)
    return path
