from __future__ import annotations

import base64
import json
import time

from botvideo.providers.higgsfield.webhooks import (
    VerifiedWebhook,
    WebhookRejection,
    parse_webhook,
    signed_headers,
    split_secrets,
    verify,
)

SECRET = "whsec_" + base64.b64encode(b"current-secret-0123456789").decode()
OLD_SECRET = "whsec_" + base64.b64encode(b"previous-secret-987654321").decode()
BODY = json.dumps({"status": "completed", "request_id": "req-1", "video": {"url": "https://cdn/x.mp4"}}).encode()


def test_valid_signature_is_verified_with_id_and_payload() -> None:
    headers = signed_headers([SECRET], "msg_1", BODY)
    result = verify(headers, BODY, [SECRET])
    assert isinstance(result, VerifiedWebhook)
    assert result.webhook_id == "msg_1"
    assert result.payload["request_id"] == "req-1"


def test_known_standard_webhooks_vector_verifies() -> None:
    # Test vector from the Standard Webhooks reference libraries.
    secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
    body = b'{"test": 2432232314}'
    headers = {
        "webhook-id": "msg_p5jXN8AQM9LWM0D4loKWxJek",
        "webhook-timestamp": "1614265330",
        "webhook-signature": "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=",
    }
    assert isinstance(verify(headers, body, [secret], now=1614265330), VerifiedWebhook)


def test_wrong_secret_is_rejected() -> None:
    headers = signed_headers([OLD_SECRET], "msg_1", BODY)
    result = parse_webhook(headers, BODY, [SECRET])
    assert not result.verified
    assert result.rejection is WebhookRejection.BAD_SIGNATURE


def test_tampered_body_is_rejected() -> None:
    headers = signed_headers([SECRET], "msg_1", BODY)
    assert not parse_webhook(headers, BODY.replace(b"completed", b"failed"), [SECRET]).verified


def test_stale_timestamp_is_rejected() -> None:
    sent_at = time.time() - 6 * 60
    headers = signed_headers([SECRET], "msg_1", BODY, now=sent_at)
    assert parse_webhook(headers, BODY, [SECRET]).rejection is WebhookRejection.STALE_TIMESTAMP


def test_future_timestamp_beyond_tolerance_is_rejected() -> None:
    headers = signed_headers([SECRET], "msg_1", BODY, now=time.time() + 6 * 60)
    assert parse_webhook(headers, BODY, [SECRET]).rejection is WebhookRejection.STALE_TIMESTAMP


def test_missing_headers_are_rejected() -> None:
    assert parse_webhook({}, BODY, [SECRET]).rejection is WebhookRejection.MISSING_HEADERS


def test_no_configured_secret_means_unverified() -> None:
    headers = signed_headers([SECRET], "msg_1", BODY)
    assert parse_webhook(headers, BODY, []).rejection is WebhookRejection.NO_SECRET


def test_replayed_delivery_exposes_the_same_webhook_id_for_dedupe() -> None:
    headers = signed_headers([SECRET], "msg_replayed", BODY)
    first = parse_webhook(headers, BODY, [SECRET])
    second = parse_webhook(headers, BODY, [SECRET])
    assert first.verified
    assert second.verified
    assert first.webhook_id == second.webhook_id == "msg_replayed"


def test_rotation_delivery_with_two_signatures_passes_with_either_secret() -> None:
    headers = signed_headers([OLD_SECRET, SECRET], "msg_rot", BODY)
    assert len(headers["webhook-signature"].split()) == 2
    assert parse_webhook(headers, BODY, [SECRET]).verified
    assert parse_webhook(headers, BODY, [OLD_SECRET]).verified


def test_receiver_with_two_configured_secrets_accepts_a_delivery_signed_by_one() -> None:
    headers = signed_headers([OLD_SECRET], "msg_old", BODY)
    assert parse_webhook(headers, BODY, [SECRET, OLD_SECRET]).verified


def test_header_names_are_case_insensitive() -> None:
    headers = {key.title(): value for key, value in signed_headers([SECRET], "msg_1", BODY).items()}
    assert parse_webhook(headers, BODY, [SECRET]).verified


def test_parsed_webhook_exposes_request_id_and_status() -> None:
    result = parse_webhook(signed_headers([SECRET], "msg_1", BODY), BODY, [SECRET])
    assert (result.request_id, result.status) == ("req-1", "completed")


def test_split_secrets_reads_a_rotation_list() -> None:
    assert split_secrets(f"{SECRET}, {OLD_SECRET}") == [SECRET, OLD_SECRET]
    assert split_secrets(None) == []
