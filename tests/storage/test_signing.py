from __future__ import annotations

import time
from urllib.parse import parse_qs, urlsplit

from botvideo.storage.signing import MediaSigner

SIGNER = MediaSigner(b"secret", ttl_seconds=3600)


def _query(url: str) -> dict[str, str]:
    return {k: v[0] for k, v in parse_qs(urlsplit(url).query).items()}


def test_a_fresh_signature_verifies() -> None:
    query = _query(SIGNER.url("communities/c/videos/v.mp4"))
    assert SIGNER.verify("communities/c/videos/v.mp4", query["exp"], query["sig"], download=False)


def test_a_signature_does_not_open_another_key() -> None:
    query = _query(SIGNER.url("communities/c/videos/v.mp4"))
    assert not SIGNER.verify("communities/d/videos/v.mp4", query["exp"], query["sig"], download=False)


def test_an_inline_signature_does_not_grant_a_download() -> None:
    query = _query(SIGNER.url("k.mp4"))
    assert not SIGNER.verify("k.mp4", query["exp"], query["sig"], download=True)


def test_an_expired_signature_is_refused() -> None:
    query = _query(SIGNER.url("k.mp4", now=time.time() - 3 * 3600))
    assert not SIGNER.verify("k.mp4", query["exp"], query["sig"], download=False)


def test_urls_stay_stable_within_a_window_so_browsers_can_cache() -> None:
    now = (int(time.time()) // 3600) * 3600 + 10
    assert SIGNER.url("k.mp4", now=now) == SIGNER.url("k.mp4", now=now + 600)
