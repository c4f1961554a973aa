"""A service killed with SIGKILL mid-generation and restarted loses no job and submits none twice.

The provider is the Higgsfield stand-in, a separate server that counts every request it accepts, so a second
submission of any video would show up in its books even across the service's restart.
"""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

import httpx
import pytest

from tests.conftest import TEST_JWT_SECRET
from tests.support.service_process import ServiceProcess
from tests.support.standin import running_standin

pytestmark = pytest.mark.slow

VIDEOS = 8


def _env(tmp_path: Path, database_url: str, standin_url: str, key: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("BOTVIDEO_", "HF_"))}
    env.update(
        {
            "BOTVIDEO_DATA_DIR": str(tmp_path / "data"),
            "BOTVIDEO_DATABASE_URL": database_url,
            "BOTVIDEO_JWT_SECRET": TEST_JWT_SECRET,
            "BOTVIDEO_POLL_INTERVAL_SECONDS": "0.3",
            "BOTVIDEO_QUEUE_POLLING_INTERVAL_SECONDS": "0.1",
            "BOTVIDEO_PROVIDER_CONCURRENCY": "8",
            "HF_KEY": key,
            "HF_BASE_URL": standin_url,
        }
    )
    return env


def _wait(predicate, timeout: float, what: str) -> None:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.1)
    raise AssertionError(f"timed out waiting for {what}")


def test_sigkill_mid_generation_loses_no_job_and_submits_none_twice(tmp_path: Path, database_url: str) -> None:
    with running_standin(queued_seconds=1.5, in_progress_seconds=3.0) as standin:
        service = ServiceProcess(_env(tmp_path, database_url, standin.base_url, standin.key), tmp_path / "serve.log")
        demo = json.loads(service.cli("demo"))
        headers = {"Authorization": f"Bearer {demo['access_token']}"}
        service.start()
        try:
            video_ids = []
            kinds = ["intro", "promo", "token_reveal", "custom"]
            for index in range(VIDEOS):
                body = {"video_type": kinds[index % 4]}
                if body["video_type"] == "custom":
                    body["custom_prompt"] = f"A comet painting the sky, take {index}"
                response = httpx.post(
                    f"{service.base_url}/api/v1/communities/{demo['community_id']}/videos",
                    json=body,
                    headers=headers,
                    timeout=10,
                )
                assert response.status_code == 202, response.text
                video_ids.append(response.json()["id"])

            # Kill once some requests are at the provider and none has finished.
            _wait(lambda: standin.stats()["accepted_total"] >= VIDEOS // 2, 30, "submissions")
            service.kill()
            killed_at = standin.stats()["accepted_total"]
            assert killed_at < VIDEOS or any(
                r["status"] in ("queued", "in_progress") for r in standin.stats()["requests"].values()
            )

            service.start()

            def all_terminal() -> bool:
                for video_id in video_ids:
                    status = httpx.get(f"{service.base_url}/api/v1/videos/{video_id}", headers=headers).json()["status"]
                    if status not in ("completed", "failed", "canceled"):
                        return False
                return True

            _wait(all_terminal, 120, "every video to finish")
            statuses = [
                httpx.get(f"{service.base_url}/api/v1/videos/{v}", headers=headers).json()["status"] for v in video_ids
            ]
        finally:
            service.stop()
        assert statuses == ["completed"] * VIDEOS
        books = standin.stats()
        assert books["accepted_total"] == VIDEOS
        assert sorted(books["accepted_by_idempotency_key"].values()) == [1] * VIDEOS
