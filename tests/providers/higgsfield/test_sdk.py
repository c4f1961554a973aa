"""The official `higgsfield-client` SDK drives the stand-in: proof that the stand-in speaks Higgsfield."""

from __future__ import annotations

from collections.abc import Iterator

import higgsfield_client
import pytest
from higgsfield_client import Cancelled, Completed, HiggsfieldClientError, Queued, SyncClient

from tests.support.standin import StandinHandle

SEEDANCE = "bytedance/seedance/v1/pro/fast/text-to-video"


@pytest.fixture
def sdk(standin: StandinHandle, monkeypatch: pytest.MonkeyPatch) -> Iterator[SyncClient]:
    # By-id calls build URLs from this module constant, not from the client's base_url (SDK quirk).
    monkeypatch.setattr(higgsfield_client.http.client, "BASE_URL", standin.base_url)
    client = SyncClient(base_url=standin.base_url, api_key=standin.key, timeout=10)
    yield client
    # The SDK opens its httpx clients lazily and never closes them (no close method): close what it opened.
    for opened in ("_client", "_upload_client"):
        if opened in vars(client):
            vars(client)[opened].close()


def test_sdk_submit_status_and_result(sdk: SyncClient) -> None:
    controller = sdk.submit(SEEDANCE, {"prompt": "a robot", "duration": 5, "resolution": "720"})
    assert isinstance(controller.status(), Queued)
    result = controller.get()
    assert result["status"] == "completed"
    assert result["video"]["url"].endswith(".mp4")


def test_sdk_status_and_result_by_request_id(sdk: SyncClient) -> None:
    request_id = sdk.submit(SEEDANCE, {"prompt": "a robot"}).request_id
    assert sdk.result(request_id)["status"] == "completed"
    assert isinstance(sdk.status(request_id), Completed)


def test_sdk_cancel_while_queued(sdk: SyncClient, standin: StandinHandle) -> None:
    standin.set_scenario(queued_seconds=30)
    controller = sdk.submit(SEEDANCE, {"prompt": "a robot"})
    controller.cancel()
    assert isinstance(controller.status(), Cancelled)


def test_sdk_cancel_after_start_raises_with_the_documented_text(sdk: SyncClient, standin: StandinHandle) -> None:
    standin.set_scenario(queued_seconds=0, in_progress_seconds=30)
    controller = sdk.submit(SEEDANCE, {"prompt": "a robot"})
    standin.wait_for_status(controller.request_id, "in_progress")
    with pytest.raises(HiggsfieldClientError, match="already started"):
        sdk.cancel(controller.request_id)


def test_sdk_upload_returns_a_public_url_serving_the_bytes(sdk: SyncClient) -> None:
    import httpx

    public_url = sdk.upload(b"image bytes", "image/jpeg")
    assert httpx.get(public_url).content == b"image bytes"


def test_sdk_sees_validation_errors(sdk: SyncClient) -> None:
    with pytest.raises(HiggsfieldClientError, match="Field required"):
        sdk.submit(SEEDANCE, {"duration": 5})
