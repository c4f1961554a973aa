"""The stand-in's own promises: Higgsfield's shapes and errors, scripted failures, webhooks, persistence."""

from __future__ import annotations

import base64
import json
from pathlib import Path

import httpx
import pytest

from botvideo.providers.higgsfield.webhooks import parse_webhook
from tests.support.standin import StandinHandle, running_standin, running_webhook_receiver

SEEDANCE = "bytedance/seedance/v1/pro/fast/text-to-video"
SECRET = "whsec_" + base64.b64encode(b"standin-test-secret").decode()


def api(standin: StandinHandle) -> httpx.Client:
    return httpx.Client(base_url=standin.base_url, headers={"Authorization": f"Key {standin.key}"})


def test_wrong_key_gets_401_invalid_credentials(standin: StandinHandle) -> None:
    response = httpx.post(f"{standin.base_url}/{SEEDANCE}", json={"prompt": "x"}, headers={"Authorization": "Key a:b"})
    assert response.status_code == 401
    assert response.json() == {"detail": "Invalid credentials"}


def test_legacy_key_headers_are_accepted(standin: StandinHandle) -> None:
    key_id, secret = standin.key.split(":")
    response = httpx.post(
        f"{standin.base_url}/{SEEDANCE}",
        json={"prompt": "x"},
        headers={"hf-api-key": key_id, "hf-secret": secret},
    )
    assert response.status_code == 200


def test_unknown_model_gets_404_not_found(standin: StandinHandle) -> None:
    with api(standin) as http:
        response = http.post("/acme/unknown", json={"prompt": "x"})
    assert response.status_code == 404
    assert response.json() == {"detail": "Not found"}


def test_invalid_body_gets_a_fastapi_style_422(standin: StandinHandle) -> None:
    with api(standin) as http:
        response = http.post(f"/{SEEDANCE}", json={"duration": "5"})
    assert response.status_code == 422
    detail = response.json()["detail"]
    assert {"loc": ["body", "prompt"], "msg": "Field required", "type": "missing"} in detail
    assert any(item["loc"] == ["body", "duration"] and item["type"] == "int_type" for item in detail)


def test_submit_answers_queued_with_absolute_urls_to_itself(standin: StandinHandle) -> None:
    with api(standin) as http:
        body = http.post(f"/{SEEDANCE}", json={"prompt": "x"}).json()
    assert body["status"] == "queued"
    assert body["status_url"] == f"{standin.base_url}/requests/{body['request_id']}/status"
    assert body["cancel_url"] == f"{standin.base_url}/requests/{body['request_id']}/cancel"


def test_every_response_carries_a_correlation_id(standin: StandinHandle) -> None:
    with api(standin) as http:
        assert http.post(f"/{SEEDANCE}", json={"prompt": "x"}).headers["x-correlation-id"]
        assert http.get("/requests/nope/status").headers["x-correlation-id"]
    assert httpx.get(f"{standin.base_url}/_standin/stats").headers["x-correlation-id"]


def test_same_idempotency_key_returns_the_same_request_and_counts_once(standin: StandinHandle) -> None:
    with api(standin) as http:
        first = http.post(f"/{SEEDANCE}", json={"prompt": "x"}, headers={"Idempotency-Key": "v1"}).json()
        second = http.post(f"/{SEEDANCE}", json={"prompt": "x"}, headers={"Idempotency-Key": "v1"}).json()
    assert first["request_id"] == second["request_id"]
    stats = standin.stats()
    assert stats["accepted_total"] == 1
    assert stats["accepted_by_idempotency_key"] == {"v1": 1}


def test_cancel_after_start_gets_400_with_the_documented_text(standin: StandinHandle) -> None:
    standin.set_scenario(queued_seconds=0, in_progress_seconds=30)
    with api(standin) as http:
        request_id = http.post(f"/{SEEDANCE}", json={"prompt": "x"}).json()["request_id"]
        standin.wait_for_status(request_id, "in_progress")
        response = http.post(f"/requests/{request_id}/cancel")
    assert response.status_code == 400
    assert response.json() == {"detail": "The request has already started and can no longer be canceled"}


def test_python_urllib_user_agent_is_blocked_like_cloudflare_does(standin: StandinHandle) -> None:
    response = httpx.get(
        f"{standin.base_url}/requests/x/status",
        headers={"User-Agent": "Python-urllib/3.11", "Authorization": f"Key {standin.key}"},
    )
    assert response.status_code == 403
    assert response.text == "error code: 1010"


def test_upload_put_must_carry_the_returned_headers(standin: StandinHandle) -> None:
    with api(standin) as http:
        slot = http.post("/files/generate-upload-url", json={"content_type": "image/png"}).json()
    assert slot["upload_headers"]["Content-Type"] == "image/png"
    assert httpx.put(slot["upload_url"], content=b"png", headers={"Content-Type": "image/png"}).status_code == 403
    assert httpx.put(slot["upload_url"], content=b"png", headers=slot["upload_headers"]).status_code == 200
    assert httpx.get(slot["public_url"]).content == b"png"


def test_upload_put_with_an_authorization_header_is_refused(standin: StandinHandle) -> None:
    with api(standin) as http:
        slot = http.post("/files/generate-upload-url", json={"content_type": "image/png"}).json()
    headers = {**slot["upload_headers"], "Authorization": f"Key {standin.key}"}
    assert httpx.put(slot["upload_url"], content=b"png", headers=headers).status_code == 400


def test_completed_request_sends_a_signed_webhook() -> None:
    with running_webhook_receiver() as receiver, running_standin(webhook_secrets=[SECRET]) as standin:
        with api(standin) as http:
            request_id = http.post(f"/{SEEDANCE}", params={"hf_webhook": receiver.url}, json={"prompt": "x"}).json()[
                "request_id"
            ]
        delivery = receiver.wait_for(1)[0]
    webhook = parse_webhook(delivery.headers, delivery.body, [SECRET])
    assert webhook.verified
    assert (webhook.request_id, webhook.status) == (request_id, "completed")
    assert json.loads(delivery.body)["video"]["url"].endswith(f"{request_id}.mp4")


def test_webhook_is_retried_after_a_5xx_with_the_same_id() -> None:
    with running_webhook_receiver() as receiver, running_standin(webhook_secrets=[SECRET]) as standin:
        receiver.fail_next = 2
        with api(standin) as http:
            http.post(f"/{SEEDANCE}", params={"hf_webhook": receiver.url}, json={"prompt": "x [standin:fail]"})
        receiver.wait_for(1)
        deliveries = standin.stats()["webhook_deliveries"]
    assert deliveries[0]["attempts"] == 3
    assert deliveries[0]["delivered"]
    assert json.loads(receiver.received[0].body)["status"] == "failed"


def test_rotation_signs_each_delivery_once_per_secret() -> None:
    old = "whsec_" + base64.b64encode(b"old-secret").decode()
    with running_webhook_receiver() as receiver, running_standin(webhook_secrets=[old, SECRET]) as standin:
        with api(standin) as http:
            http.post(f"/{SEEDANCE}", params={"hf_webhook": receiver.url}, json={"prompt": "x"})
        delivery = receiver.wait_for(1)[0]
    assert len(delivery.headers["webhook-signature"].split()) == 2
    assert parse_webhook(delivery.headers, delivery.body, [old]).verified


def test_state_file_keeps_requests_and_counts_across_stand_in_restarts(tmp_path: Path) -> None:
    state_file = tmp_path / "standin.json"
    with running_standin(state_file=state_file, queued_seconds=30) as standin, api(standin) as http:
        request_id = http.post(f"/{SEEDANCE}", json={"prompt": "x"}, headers={"Idempotency-Key": "v1"}).json()[
            "request_id"
        ]
    with running_standin(state_file=state_file, queued_seconds=30) as standin, api(standin) as http:
        again = http.post(f"/{SEEDANCE}", json={"prompt": "x"}, headers={"Idempotency-Key": "v1"}).json()
        stats = standin.stats()
    assert again["request_id"] == request_id
    assert stats["accepted_total"] == 1


def test_scenario_changes_only_the_given_fields(standin: StandinHandle) -> None:
    standin.set_scenario(outcome="nsfw")
    scenario = standin.set_scenario(slow=True)
    assert (scenario["outcome"], scenario["slow"]) == ("nsfw", True)
    standin.reset_scenario()
    assert httpx.get(f"{standin.base_url}/_standin/scenario").json()["outcome"] == "completed"


@pytest.mark.parametrize(("marker", "status"), [("[standin:fail]", "failed"), ("[standin:nsfw]", "nsfw")])
def test_prompt_markers_script_the_outcome(standin: StandinHandle, marker: str, status: str) -> None:
    with api(standin) as http:
        request_id = http.post(f"/{SEEDANCE}", json={"prompt": f"demo {marker}"}).json()["request_id"]
    standin.wait_for_status(request_id, status)


def test_delete_of_a_running_request_is_refused(standin: StandinHandle) -> None:
    standin.set_scenario(queued_seconds=30)
    with api(standin) as http:
        request_id = http.post(f"/{SEEDANCE}", json={"prompt": "x"}).json()["request_id"]
        assert http.delete(f"/requests/{request_id}").status_code == 400
