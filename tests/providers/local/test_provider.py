from __future__ import annotations

import asyncio
from collections.abc import Iterator
from pathlib import Path

import pytest

from botvideo.core.errors import InvalidInput
from botvideo.core.kinds import VideoStatus
from botvideo.engine import RenderPool
from botvideo.engine.media import probe_video
from botvideo.providers.base import (
    BotProfile,
    CancelOutcome,
    ErrorCode,
    GenerationRequest,
    VideoProvider,
)
from botvideo.providers.local import MODEL_ID, LocalProvider

pytestmark = pytest.mark.anyio


@pytest.fixture(scope="module")
def render_pool() -> Iterator[RenderPool]:
    with RenderPool(workers=2) as pool:
        yield pool


def request(video_id: str = "v1", **overrides: object) -> GenerationRequest:
    fields: dict[str, object] = {
        "video_id": video_id,
        "video_type": "intro",
        "prompt": "",
        "model": MODEL_ID,
        "bot": BotProfile(name="Nova", description="A calm guide to DeFi."),
        "duration_seconds": 2,
        "resolution": "720p",
        "aspect_ratio": "1:1",
    }
    fields.update(overrides)
    return GenerationRequest(**fields)  # type: ignore[arg-type]


async def wait_until_terminal(provider: LocalProvider, request_id: str) -> object:
    for _ in range(600):
        state = await provider.status(request_id)
        if state.status.is_terminal:
            return state
        await asyncio.sleep(0.05)
    raise AssertionError("the render never finished")


def test_local_provider_satisfies_the_protocol(tmp_path: Path) -> None:
    provider = LocalProvider(tmp_path)
    assert isinstance(provider, VideoProvider)
    (model,) = provider.models()
    assert (model.id, model.kind, model.durations) == (MODEL_ID, "motion-graphics", tuple(range(2, 16)))
    assert model.accepts_image
    assert set(model.aspect_ratios) == {"16:9", "9:16", "1:1"}


@pytest.mark.parametrize(
    "bad", [{"duration_seconds": 1}, {"duration_seconds": 16}, {"resolution": "4k"}, {"aspect_ratio": "4:3"}]
)
def test_validate_rejects_out_of_range_requests(bad: dict[str, object], tmp_path: Path) -> None:
    with pytest.raises(InvalidInput):
        LocalProvider(tmp_path).validate(request(**bad))


async def test_submit_renders_in_the_background_and_completes_with_file_urls(
    tmp_path: Path, render_pool: RenderPool
) -> None:
    provider = LocalProvider(tmp_path, pool=render_pool)
    submission = await provider.submit(request(), idempotency_key="k1")
    assert submission.request_id == "local-v1"
    assert (tmp_path / "local" / "local-v1.json").exists()
    state = await wait_until_terminal(provider, submission.request_id)
    assert state.status is VideoStatus.COMPLETED  # type: ignore[attr-defined]
    assert state.output_url.startswith("file://")  # type: ignore[attr-defined]
    destination = tmp_path / "out" / "video.mp4"
    await provider.download(state, destination)  # type: ignore[arg-type]
    probe = probe_video(destination)
    assert (probe.width, probe.height, probe.frames) == (720, 720, 60)
    assert await provider.download_poster(state, tmp_path / "out" / "poster.jpg")  # type: ignore[arg-type]


async def test_status_reports_progress_while_rendering(tmp_path: Path, render_pool: RenderPool) -> None:
    provider = LocalProvider(tmp_path, pool=render_pool)
    submission = await provider.submit(request(duration_seconds=6, resolution="1080p"), idempotency_key="k")
    seen: list[float] = []
    for _ in range(600):
        state = await provider.status(submission.request_id)
        if state.status is VideoStatus.PROCESSING and state.progress:
            seen.append(state.progress)
        if state.status.is_terminal:
            break
        await asyncio.sleep(0.05)
    assert seen
    assert 0 < min(seen) < 1
    assert seen == sorted(seen)
    await provider.aclose()


async def test_same_idempotency_key_returns_the_same_request_without_a_second_render(
    tmp_path: Path, render_pool: RenderPool
) -> None:
    provider = LocalProvider(tmp_path, pool=render_pool)
    first = await provider.submit(request(), idempotency_key="same")
    task = provider._renders[first.request_id].task
    second = await provider.submit(request(), idempotency_key="same")
    assert second.request_id == first.request_id
    assert provider._renders[first.request_id].task is task
    await wait_until_terminal(provider, first.request_id)


async def test_a_restarted_process_renders_the_persisted_request_again(tmp_path: Path, render_pool: RenderPool) -> None:
    first = LocalProvider(tmp_path, pool=render_pool)
    submission = await first.submit(request(), idempotency_key="k")
    await first.cancel(submission.request_id)
    restarted = LocalProvider(tmp_path, pool=render_pool)
    state = await restarted.status(submission.request_id)
    assert state.status in (VideoStatus.PENDING, VideoStatus.PROCESSING)
    final = await wait_until_terminal(restarted, submission.request_id)
    assert final.status is VideoStatus.COMPLETED  # type: ignore[attr-defined]


async def test_cancel_stops_a_running_render(tmp_path: Path, render_pool: RenderPool) -> None:
    provider = LocalProvider(tmp_path, pool=render_pool)
    submission = await provider.submit(request(duration_seconds=10, resolution="1080p"), idempotency_key="k")
    await asyncio.sleep(0.3)
    assert await provider.cancel(submission.request_id) is CancelOutcome.CANCELED
    state = await provider.status(submission.request_id)
    assert state.status is VideoStatus.CANCELED
    assert not (tmp_path / "local" / "local-v1.mp4").exists()


async def test_delete_removes_the_work_files(tmp_path: Path, render_pool: RenderPool) -> None:
    provider = LocalProvider(tmp_path, pool=render_pool)
    submission = await provider.submit(request(), idempotency_key="k")
    await wait_until_terminal(provider, submission.request_id)
    await provider.delete(submission.request_id)
    assert list((tmp_path / "local").iterdir()) == []


async def test_render_failure_maps_to_internal_with_the_reason(tmp_path: Path, render_pool: RenderPool) -> None:
    provider = LocalProvider(tmp_path, pool=render_pool, preset="not-a-preset")
    submission = await provider.submit(request(), idempotency_key="k")
    state = await wait_until_terminal(provider, submission.request_id)
    assert state.status is VideoStatus.FAILED  # type: ignore[attr-defined]
    assert state.error_code is ErrorCode.INTERNAL  # type: ignore[attr-defined]
    assert "preset" in (state.detail or "")  # type: ignore[attr-defined]


async def test_unknown_request_is_reported_as_failed(tmp_path: Path) -> None:
    state = await LocalProvider(tmp_path).status("local-missing")
    assert state.status is VideoStatus.FAILED
