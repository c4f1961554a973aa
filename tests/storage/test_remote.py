from __future__ import annotations

import pytest

from botvideo.core.errors import InvalidInput
from botvideo.storage.base import InvalidStorageKey
from botvideo.storage.local import LocalStorage
from botvideo.storage.remote import check_public_https_url


@pytest.mark.parametrize(
    "url",
    [
        "http://example.com/a.png",
        "https://127.0.0.1/a.png",
        "https://10.1.2.3/a.png",
        "https://[::1]/a.png",
        "https://169.254.169.254/latest/meta-data",
        "https://localhost/a.png",
        "https://user:pw@example.com/a.png",
        "file:///etc/passwd",
    ],
)
def test_private_or_non_https_urls_are_refused(url: str) -> None:
    with pytest.raises(InvalidInput):
        check_public_https_url(url)


def test_a_public_https_url_is_accepted() -> None:
    assert check_public_https_url(" https://cdn.example.com/a.png ") == "https://cdn.example.com/a.png"


@pytest.mark.parametrize("key", ["../etc/passwd", "a/../../b", "/abs", "", "a//b"])
def test_storage_keys_cannot_escape_the_media_root(tmp_path, key: str) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(InvalidStorageKey):
        LocalStorage(tmp_path).local_path(key)
