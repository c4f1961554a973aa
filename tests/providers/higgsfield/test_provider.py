"""HiggsfieldProvider and HiggsfieldClient against the stand-in, over real HTTP on 127.0.0.1."""

from __future__ import annotations

import logging
import socket
import time
from pathlib import Path

import httpx
import pytest

from botvideo.core.kinds import VideoStatus
from botvideo.engine.media import probe_video
from botvideo.providers.base import (
    CancelOutcome,
    ErrorCode,
    ProviderBusy,
    ProviderError,
    ProviderJobState,
    VideoProvider,
)
from botvideo.providers.higgsfield import HiggsfieldClient, HiggsfieldProvider
from botvideo.providers.higgsfield.errors import HiggsfieldUnsafeUrl
from tests.providers.higgsfield.conftest import FAST_RETRY, create_request
from tests.support.standin import StandinHandle

pytestmark = pytest.mark.anyio


async def wait_for(provider: HiggsfieldProvider, request_id: str, status: VideoStatus) -> ProviderJobState:
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        state = await provider.status(request_id)
        if state.status is status:
            return state
        if state.status.is_terminal:
            raise AssertionError(f"ended {state.status} ({state.detail}), wanted {status}")
        await _sleep(0.05)
    raise AssertionError(f"never reached {status}")


async def _sleep(seconds: float) -> None:
    import anyio

    await anyio.sleep(seconds)


async def test_provider_satisfies_the_video_provider_protocol(provider: HiggsfieldProvider) -> None:
    assert isinstance(provider, VideoProvider)
    assert provider.name == "higgsfield"


async def test_submit_returns_a_queued_submission(provider: HiggsfieldProvider) -> None:
    submission = await provider.submit(create_request(), idempotency_key="video-1")
    assert submission.status is VideoStatus.PENDING
    assert submission.request_id
    assert submission.raw["model_id"] == "bytedance/seedance/v1/pro/fast/text-to-video"


async def test_submit_sends_the_flat_body_and_idempotency_key(
    provider: HiggsfieldProvider, standin: StandinHandle
) -> None:
    submission = await provider.submit(create_request(duration_seconds=6), idempotency_key="video-1")
    seen = standin.stats()["requests"][submission.request_id]
    assert seen["body"]["duration"] == 6
    assert seen["body"]["resolution"] == "1080"
    assert seen["idempotency_key"] == "video-1"


async def test_submit_passes_the_webhook_url_as_hf_webhook(
    provider: HiggsfieldProvider, standin: StandinHandle
) -> None:
    hook = "http://127.0.0.1:9/webhooks/higgsfield?video=1&x=y"
    submission = await provider.submit(create_request(webhook_url=hook), idempotency_key="video-1")
    assert standin.stats()["requests"][submission.request_id]["webhook_url"] == hook


async def test_alias_submits_the_default_model(provider: HiggsfieldProvider, standin: StandinHandle) -> None:
    request = create_request(model="higgsfield/realistic-vision-v5")
    submission = await provider.submit(request, idempotency_key="video-1")
    assert standin.stats()["requests"][submission.request_id]["model_id"] == (
        "bytedance/seedance/v1/pro/fast/text-to-video"
    )


async def test_status_moves_from_queued_through_processing_to_completed(provider: HiggsfieldProvider) -> None:
    submission = await provider.submit(create_request(), idempotency_key="video-1")
    assert (await provider.status(submission.request_id)).status is VideoStatus.PENDING
    await wait_for(provider, submission.request_id, VideoStatus.PROCESSING)
    state = await wait_for(provider, submission.request_id, VideoStatus.COMPLETED)
    assert state.output_url is not None
    assert state.output_url.endswith(f"{submission.request_id}.mp4")


async def test_failed_request_maps_to_internal_with_provider_text_in_detail(
    provider: HiggsfieldProvider,
) -> None:
    submission = await provider.submit(create_request(prompt="boom [standin:fail]"), idempotency_key="k")
    state = await wait_for(provider, submission.request_id, VideoStatus.FAILED)
    assert state.error_code is ErrorCode.INTERNAL
    assert state.detail is not None
    assert "Generation failed" in state.detail


async def test_nsfw_request_maps_to_moderation(provider: HiggsfieldProvider) -> None:
    submission = await provider.submit(create_request(prompt="x [standin:nsfw]"), idempotency_key="k")
    state = await wait_for(provider, submission.request_id, VideoStatus.FAILED)
    assert state.error_code is ErrorCode.MODERATION


async def test_cancel_while_queued_cancels(provider: HiggsfieldProvider, standin: StandinHandle) -> None:
    standin.set_scenario(queued_seconds=30)
    submission = await provider.submit(create_request(), idempotency_key="k")
    assert await provider.cancel(submission.request_id) is CancelOutcome.CANCELED
    state = await provider.status(submission.request_id)
    assert state.status is VideoStatus.CANCELED
    assert state.error_code is ErrorCode.CANCELED


async def test_cancel_after_start_is_too_late(provider: HiggsfieldProvider) -> None:
    submission = await provider.submit(create_request(prompt="long one [standin:slow]"), idempotency_key="k")
    await wait_for(provider, submission.request_id, VideoStatus.PROCESSING)
    assert await provider.cancel(submission.request_id) is CancelOutcome.TOO_LATE


async def test_cancel_of_an_unknown_request_is_not_found(provider: HiggsfieldProvider) -> None:
    assert await provider.cancel("00000000-0000-0000-0000-000000000000") is CancelOutcome.NOT_FOUND


async def test_status_of_an_unknown_request_raises_provider_error(provider: HiggsfieldProvider) -> None:
    with pytest.raises(ProviderError) as raised:
        await provider.status("00000000-0000-0000-0000-000000000000")
    assert raised.value.error_code is ErrorCode.INTERNAL


async def test_delete_removes_a_finished_request(provider: HiggsfieldProvider, standin: StandinHandle) -> None:
    submission = await provider.submit(create_request(), idempotency_key="k")
    await wait_for(provider, submission.request_id, VideoStatus.COMPLETED)
    await provider.delete(submission.request_id)
    assert submission.request_id not in standin.stats()["requests"]


async def test_delete_tolerates_an_already_deleted_request(provider: HiggsfieldProvider) -> None:
    await provider.delete("00000000-0000-0000-0000-000000000000")


async def test_download_writes_a_playable_mp4(provider: HiggsfieldProvider, tmp_path: Path) -> None:
    submission = await provider.submit(create_request(), idempotency_key="k")
    state = await wait_for(provider, submission.request_id, VideoStatus.COMPLETED)
    destination = tmp_path / "out" / "video.mp4"
    await provider.download(state, destination)
    assert probe_video(destination).codec == "h264"
    assert not destination.with_name("video.mp4.part").exists()


async def test_download_poster_reports_no_poster(provider: HiggsfieldProvider, tmp_path: Path) -> None:
    state = ProviderJobState(status=VideoStatus.COMPLETED, output_url="https://cdn.example/v.mp4")
    assert await provider.download_poster(state, tmp_path / "poster.jpg") is False


@pytest.mark.parametrize(
    "url",
    [
        "http://cdn.example.com/v.mp4",  # plain http to a foreign host
        "https://10.0.0.5/v.mp4",  # private address
        "https://169.254.169.254/latest/meta-data",  # cloud metadata
        "https://localhost/v.mp4",
        "file:///etc/passwd",
        "https://user:pw@cdn.example.com/v.mp4",
    ],
)
async def test_download_refuses_unsafe_provider_urls(provider: HiggsfieldProvider, tmp_path: Path, url: str) -> None:
    state = ProviderJobState(status=VideoStatus.COMPLETED, output_url=url)
    with pytest.raises(HiggsfieldUnsafeUrl):
        await provider.download(state, tmp_path / "v.mp4")


async def test_image_to_video_uploads_the_source_image_first(
    provider: HiggsfieldProvider, standin: StandinHandle, avatar: Path
) -> None:
    request = create_request(
        video_type="intro", model="higgsfield-ai/dop/turbo", source_image_path=avatar, duration_seconds=5
    )
    submission = await provider.submit(request, idempotency_key="k")
    image_url = standin.stats()["requests"][submission.request_id]["body"]["image_url"]
    assert image_url.startswith(f"{standin.base_url}/cdn/uploads/")
    assert httpx.get(image_url).content == avatar.read_bytes()


async def test_upload_put_carries_no_credentials(client: HiggsfieldClient) -> None:
    # The stand-in refuses a PUT carrying Authorization, as presigned storage does: success proves none.
    public_url = await client.upload(b"\x89PNG fake", "image/png")
    assert httpx.get(public_url).content == b"\x89PNG fake"


async def test_a_source_image_is_uploaded_once_across_resubmits(
    provider: HiggsfieldProvider, standin: StandinHandle, avatar: Path
) -> None:
    request = create_request(video_type="intro", model="higgsfield-ai/dop/lite", source_image_path=avatar)
    await provider.submit(request, idempotency_key="same")
    await provider.submit(request, idempotency_key="same")
    stats = standin.stats()
    assert stats["accepted_total"] == 1
    assert stats["idempotent_replays"] == 1


async def test_invalid_request_is_refused_before_anything_is_sent(
    provider: HiggsfieldProvider, standin: StandinHandle
) -> None:
    from botvideo.core.errors import InvalidInput

    with pytest.raises(InvalidInput):
        await provider.submit(create_request(duration_seconds=30), idempotency_key="k")
    assert standin.stats()["submits_received"] == 0


# --- errors -------------------------------------------------------------------------------------------


async def test_concurrency_cap_raises_provider_busy(provider: HiggsfieldProvider, standin: StandinHandle) -> None:
    standin.set_scenario(max_in_flight=1, queued_seconds=30)
    await provider.submit(create_request(video_id="a"), idempotency_key="a")
    with pytest.raises(ProviderBusy):
        await provider.submit(create_request(video_id="b"), idempotency_key="b")


async def test_other_400_is_invalid_request(provider: HiggsfieldProvider) -> None:
    request = create_request(webhook_url="http://user:secret@127.0.0.1:9/hook")
    with pytest.raises(ProviderError) as raised:
        await provider.submit(request, idempotency_key="k")
    assert not isinstance(raised.value, ProviderBusy)
    assert raised.value.error_code is ErrorCode.INVALID_REQUEST
    assert "credentials" in raised.value.detail


async def test_wrong_key_is_an_operator_error_with_a_clear_log(
    standin: StandinHandle, http: httpx.AsyncClient, caplog: pytest.LogCaptureFixture
) -> None:
    client = HiggsfieldClient(http, credentials="wrong:key", base_url=standin.base_url, retry=FAST_RETRY)
    with caplog.at_level(logging.ERROR), pytest.raises(ProviderError) as raised:
        await HiggsfieldProvider(client).submit(create_request(), idempotency_key="k")
    assert raised.value.error_code is ErrorCode.PROVIDER_UNAVAILABLE
    assert "wrong:key" not in raised.value.message
    assert "Higgsfield rejected the API credentials (HF_KEY" in caplog.text


async def test_out_of_credits_is_insufficient_credits(provider: HiggsfieldProvider, standin: StandinHandle) -> None:
    standin.set_scenario(out_of_credits=True)
    with pytest.raises(ProviderError) as raised:
        await provider.submit(create_request(), idempotency_key="k")
    assert raised.value.error_code is ErrorCode.INSUFFICIENT_CREDITS


async def test_cloudflare_block_is_provider_unavailable_and_logged(
    provider: HiggsfieldProvider, standin: StandinHandle, caplog: pytest.LogCaptureFixture
) -> None:
    standin.set_scenario(cloudflare_block=True)
    with caplog.at_level(logging.ERROR), pytest.raises(ProviderError) as raised:
        await provider.submit(create_request(), idempotency_key="k")
    assert raised.value.error_code is ErrorCode.PROVIDER_UNAVAILABLE
    assert "User-Agent" in caplog.text
    assert "1010" in caplog.text


@pytest.mark.parametrize("http_status", [404, 423, 503])
async def test_unavailable_model_is_provider_unavailable(
    provider: HiggsfieldProvider, standin: StandinHandle, http_status: int
) -> None:
    standin.set_scenario(model_unavailable=http_status)
    with pytest.raises(ProviderError) as raised:
        await provider.submit(create_request(), idempotency_key="k")
    assert raised.value.error_code is ErrorCode.PROVIDER_UNAVAILABLE
    assert f"HTTP {http_status}" in raised.value.detail


async def test_unknown_model_path_is_provider_unavailable(client: HiggsfieldClient) -> None:
    with pytest.raises(ProviderError) as raised:
        await client.submit("acme/not-a-model", {"prompt": "x"}, idempotency_key="k")
    assert raised.value.error_code is ErrorCode.PROVIDER_UNAVAILABLE
    assert not raised.value.retryable


async def test_422_is_invalid_request_with_fields_in_detail(client: HiggsfieldClient) -> None:
    with pytest.raises(ProviderError) as raised:
        await client.submit(
            "bytedance/seedance/v1/pro/fast/text-to-video",
            {"prompt": "x", "duration": 30},
            idempotency_key="k",
        )
    assert raised.value.error_code is ErrorCode.INVALID_REQUEST
    assert "body.duration" in raised.value.detail


async def test_status_survives_a_burst_of_5xx(provider: HiggsfieldProvider, standin: StandinHandle) -> None:
    submission = await provider.submit(create_request(), idempotency_key="k")
    standin.set_scenario(server_errors=2)
    assert (await provider.status(submission.request_id)).status is VideoStatus.PENDING


async def test_submit_retries_5xx_and_is_accepted_once(provider: HiggsfieldProvider, standin: StandinHandle) -> None:
    standin.set_scenario(server_errors=2)
    await provider.submit(create_request(), idempotency_key="video-1")
    stats = standin.stats()
    assert stats["submits_received"] == 1
    assert stats["accepted_by_idempotency_key"] == {"video-1": 1}


async def test_submit_after_an_ambiguous_failure_reuses_the_key_and_gets_the_same_request(
    provider: HiggsfieldProvider, standin: StandinHandle
) -> None:
    standin.set_scenario(accept_then_fail=1)
    submission = await provider.submit(create_request(), idempotency_key="video-1")
    stats = standin.stats()
    assert stats["accepted_total"] == 1
    assert stats["idempotent_replays"] == 1
    assert list(stats["requests"]) == [submission.request_id]


async def test_persistent_5xx_raises_a_retryable_provider_error(
    provider: HiggsfieldProvider, standin: StandinHandle
) -> None:
    standin.set_scenario(server_errors=10)
    with pytest.raises(ProviderError) as raised:
        await provider.submit(create_request(), idempotency_key="k")
    assert raised.value.error_code is ErrorCode.PROVIDER_UNAVAILABLE
    assert raised.value.retryable


async def test_connection_refused_raises_a_retryable_provider_error(http: httpx.AsyncClient) -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    client = HiggsfieldClient(http, credentials="a:b", base_url=f"http://127.0.0.1:{port}", retry=FAST_RETRY)
    with pytest.raises(ProviderError) as raised:
        await client.status("r")
    assert raised.value.retryable


async def test_ignored_idempotency_key_shows_up_as_a_second_request_id_that_can_be_canceled(
    provider: HiggsfieldProvider, standin: StandinHandle
) -> None:
    standin.set_scenario(honour_idempotency_keys=False, queued_seconds=30)
    first = await provider.submit(create_request(), idempotency_key="video-1")
    second = await provider.submit(create_request(), idempotency_key="video-1")
    assert first.request_id != second.request_id
    assert await provider.cancel(second.request_id) is CancelOutcome.CANCELED
    assert standin.stats()["requests"][second.request_id]["status"] == "canceled"


async def test_unknown_status_keeps_processing_and_is_logged_once(caplog: pytest.LogCaptureFixture) -> None:
    def answer(_: httpx.Request) -> httpx.Response:
        return httpx.Response(200, json={"status": "warming_up", "request_id": "r1"})

    async with httpx.AsyncClient(transport=httpx.MockTransport(answer)) as http:
        provider = HiggsfieldProvider(HiggsfieldClient(http, credentials="a:b", base_url="https://api.test"))
        with caplog.at_level(logging.WARNING):
            first = await provider.status("r1")
            await provider.status("r1")
    assert first.status is VideoStatus.PROCESSING
    assert caplog.text.count("higgsfield.unknown_status") == 1


async def test_client_sends_key_auth_and_a_real_user_agent() -> None:
    seen: list[httpx.Request] = []

    def answer(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200, json={"status": "queued", "request_id": "r1"})

    async with httpx.AsyncClient(transport=httpx.MockTransport(answer)) as http:
        client = HiggsfieldClient(http, credentials="id:secret", base_url="https://api.test")
        await client.status("r1")
    assert seen[0].headers["authorization"] == "Key id:secret"
    assert seen[0].headers["user-agent"].startswith("botvideo/")


def test_credentials_without_a_colon_are_refused() -> None:
    with pytest.raises(ValueError, match="key_id:key_secret"):
        HiggsfieldClient(httpx.AsyncClient(), credentials="just-a-key")
