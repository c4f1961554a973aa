"""Throughput and latency of the job pipeline and of the read endpoints. A benchmark, not a test.

    uv run --frozen python benchmarks/pipeline_bench.py jobs --db sqlite --jobs 1000 --mode poll
    uv run --frozen python benchmarks/pipeline_bench.py jobs --db postgres --jobs 5000 --mode webhook
    uv run --frozen python benchmarks/pipeline_bench.py reads --db sqlite --rows 100000

`jobs`: N videos are created at once against an in-process provider that accepts instantly and completes each
request `--provider-seconds` after its submission. It measures jobs/s through the whole pipeline (submit, wait,
download, probe, poster, store, mark completed) and the lag from the provider's completion to the row reading
`completed`, with polling alone (`poll`) or with a webhook-style wake at completion (`webhook`: the provider calls
the same `JobQueue.wake` the webhook route calls after verifying a delivery).

`reads`: inserts `--rows` videos in one community, serves the app with uvicorn on 127.0.0.1 and measures
requests/s and p99 of `check-video-status` and of the gallery list (first page and a deep keyset page).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import platform
import shutil
import statistics
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import httpx
import sqlalchemy as sa
from pydantic import SecretStr

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.factories import auth_headers, create_community, create_user
from tests.support.databases import drop_test_databases, fresh_postgres_database
from tests.support.scripted_provider import write_tiny_mp4
from tests.support.standin import serving

from botvideo.app import create_app
from botvideo.core.config import Settings
from botvideo.core.db import utcnow
from botvideo.core.kinds import VideoStatus, VideoType
from botvideo.providers.base import (
    CancelOutcome,
    GenerationRequest,
    ModelInfo,
    ProviderJobState,
    Submission,
)
from botvideo.providers.registry import ProviderRegistry
from botvideo.videos.jobs import JobQueue
from botvideo.videos.models import BotVideo


def machine() -> str:
    cpu = "unknown CPU"
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    return f"{os.cpu_count()} cores, {cpu}, Python {platform.python_version()}"


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


class TimedProvider:
    """Accepts at once; a request is complete `seconds` after submission (its clock, not our polling)."""

    name = "bench"

    def __init__(self, work_dir: Path, seconds: float, wake: bool) -> None:
        self.seconds = seconds
        self.wake = wake
        self.output = work_dir / "bench.mp4"
        if not self.output.exists():
            write_tiny_mp4(self.output)
        self.completes_at: dict[str, float] = {}
        self._wakes: set[asyncio.Future[None]] = set()
        self.jobs: JobQueue | None = None

    def models(self) -> list[ModelInfo]:
        return [
            ModelInfo(
                id="bench/instant",
                provider=self.name,
                label="Bench",
                description="",
                kind="text-to-video",
                durations=(5,),
                resolutions=("1080p",),
                aspect_ratios=("16:9",),
            )
        ]

    def default_model(self, video_type: str, *, has_image: bool) -> str:
        del video_type, has_image
        return "bench/instant"

    def validate(self, request: GenerationRequest) -> None:
        del request

    async def submit(self, request: GenerationRequest, *, idempotency_key: str) -> Submission:
        del idempotency_key
        request_id = f"bench-{request.video_id}"
        self.completes_at.setdefault(request_id, time.time() + self.seconds)
        if self.wake:
            asyncio.get_running_loop().call_later(self.seconds, self._notify, request.video_id)
        return Submission(request_id=request_id, status=VideoStatus.PENDING)

    def _notify(self, video_id: str) -> None:
        assert self.jobs is not None, "the bench hands the provider the app's job queue once it is started"
        task = asyncio.ensure_future(self.jobs.wake(video_id, "webhook"))
        self._wakes.add(task)
        task.add_done_callback(self._wakes.discard)

    async def status(self, request_id: str) -> ProviderJobState:
        if time.time() >= self.completes_at[request_id]:
            return ProviderJobState(status=VideoStatus.COMPLETED, output_url=self.output.as_uri())
        return ProviderJobState(status=VideoStatus.PROCESSING)

    async def cancel(self, request_id: str) -> CancelOutcome:
        del request_id
        return CancelOutcome.TOO_LATE

    async def delete(self, request_id: str) -> None:
        del request_id

    async def download(self, state: ProviderJobState, destination: Path) -> None:
        del state
        shutil.copyfile(self.output, destination)

    async def download_poster(self, state: ProviderJobState, destination: Path) -> bool:
        del state, destination
        return False

    async def aclose(self) -> None:
        return None


@contextlib.contextmanager
def database(kind: str, directory: Path) -> Iterator[str]:
    if kind == "sqlite":
        yield f"sqlite:///{directory / 'bench.db'}"
    else:
        with fresh_postgres_database() as url:
            yield url


def base_settings(directory: Path, url: str, **overrides: Any) -> Settings:
    return Settings(
        data_dir=directory / "data",
        database_url=url,
        provider="local",
        executor_id="bench",
        jwt_secret=SecretStr("bench-secret-0123456789abcdef0123456789"),
        **overrides,
    )


async def run_jobs(args: argparse.Namespace) -> dict[str, Any]:
    with tempfile.TemporaryDirectory() as tmp, database(args.db, Path(tmp)) as url:
        settings = base_settings(
            Path(tmp),
            url,
            poll_interval_seconds=args.poll_seconds,
            provider_concurrency=args.jobs,
            worker_concurrency=args.worker_concurrency,
            queue_polling_interval_seconds=0.2,
            job_deadline_seconds=3600,
        )
        settings.work_dir.mkdir(parents=True, exist_ok=True)
        provider = TimedProvider(settings.work_dir, args.provider_seconds, wake=args.mode == "webhook")
        app = create_app(settings, providers=lambda http: ProviderRegistry([provider], "bench"), run_workers=True)
        async with app.router.lifespan_context(app):
            state = app.state
            provider.jobs = state.jobs
            from botvideo.videos import service
            from botvideo.videos.schemas import CreateVideo

            with state.database.transaction() as session:
                admin = create_user(session, "bench@example.com")
                community = create_community(session, admin)
            started = time.time()
            batch = 100
            for offset in range(0, args.jobs, batch):
                with state.database.transaction() as session:
                    for _ in range(min(batch, args.jobs - offset)):
                        order = CreateVideo(video_type=VideoType.PROMO)
                        service.create_video(
                            session, state.providers, state.storage, state.jobs, admin, community.id, order
                        )
            enqueued = time.time()
            while True:
                with state.database.transaction() as session:
                    done = session.scalar(
                        sa.select(sa.func.count()).select_from(BotVideo).where(BotVideo.status == "completed")
                    )
                    failed = session.scalar(
                        sa.select(sa.func.count())
                        .select_from(BotVideo)
                        .where(BotVideo.status.in_(["failed", "canceled"]))
                    )
                if (done or 0) + (failed or 0) >= args.jobs:
                    break
                await asyncio.sleep(0.25)
            finished = time.time()
            with state.database.transaction() as session:
                rows = session.execute(sa.select(BotVideo.provider_request_id, BotVideo.completed_at)).all()
            lags = [
                row.completed_at.timestamp() - provider.completes_at[row.provider_request_id]
                for row in rows
                if row.completed_at is not None and row.provider_request_id in provider.completes_at
            ]
        return {
            "benchmark": "jobs",
            "db": args.db,
            "mode": args.mode,
            "jobs": args.jobs,
            "completed": done,
            "failed": failed,
            "poll_seconds": args.poll_seconds,
            "worker_concurrency": args.worker_concurrency,
            "provider_seconds": args.provider_seconds,
            "enqueue_seconds": round(enqueued - started, 2),
            "wall_seconds": round(finished - started, 2),
            "jobs_per_second": round(args.jobs / (finished - started), 1),
            "lag_p50_seconds": round(statistics.median(lags), 3),
            "lag_p99_seconds": round(percentile(lags, 0.99), 3),
            "machine": machine(),
        }


def load_rows(engine: sa.Engine, community_id: uuid.UUID, count: int) -> list[uuid.UUID]:
    ids = [uuid.uuid4() for _ in range(count)]
    now = utcnow()
    table = BotVideo.__table__
    with engine.begin() as connection:
        for start in range(0, count, 5000):
            connection.execute(
                table.insert(),
                [
                    {
                        "id": video_id,
                        "community_id": community_id,
                        "video_type": "promo",
                        "prompt": "bench",
                        "model": "bench/instant",
                        "status": "completed",
                        "provider": "bench",
                        "generation_metadata": {},
                        "created_at": now - timedelta(seconds=index),
                        "updated_at": now,
                        "aspect_ratio": "16:9",
                        "requested_duration": 5,
                        "seed": 0,
                        "view_count": 0,
                        "download_count": 0,
                        "resolution": "1080p",
                        "duration": 5,
                    }
                    for index, video_id in enumerate(ids[start : start + 5000], start=start)
                ],
            )
    return ids


def hammer(
    base_url: str, headers: dict[str, str], requests: list[tuple[str, str, Any]], clients: int
) -> dict[str, float]:
    latencies: list[float] = []
    errors = 0
    lock = threading.Lock()
    queue = list(reversed(requests))

    def worker() -> None:
        nonlocal errors
        with httpx.Client(base_url=base_url, headers=headers, timeout=30) as client:
            while True:
                with lock:
                    if not queue:
                        return
                    method, path, body = queue.pop()
                began = time.perf_counter()
                response = client.request(method, path, json=body)
                elapsed = time.perf_counter() - began
                with lock:
                    latencies.append(elapsed)
                    errors += response.status_code != 200

    threads = [threading.Thread(target=worker) for _ in range(clients)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    wall = time.perf_counter() - started
    return {
        "requests": len(latencies),
        "errors": errors,
        "requests_per_second": round(len(latencies) / wall, 1),
        "p50_ms": round(statistics.median(latencies) * 1000, 1),
        "p99_ms": round(percentile(latencies, 0.99) * 1000, 1),
    }


def run_reads(args: argparse.Namespace) -> dict[str, Any]:
    with tempfile.TemporaryDirectory() as tmp, database(args.db, Path(tmp)) as url:
        settings = base_settings(Path(tmp), url)
        settings.work_dir.mkdir(parents=True, exist_ok=True)
        provider = TimedProvider(settings.work_dir, 1.0, wake=False)
        app = create_app(settings, providers=lambda http: ProviderRegistry([provider], "bench"), run_workers=False)
        with serving(app) as base_url:
            state = app.state
            with state.database.transaction() as session:
                admin = create_user(session, "bench@example.com")
                community = create_community(session, admin)
                session.commit()
            began = time.time()
            ids = load_rows(state.database.engine, community.id, args.rows)
            loaded = time.time() - began
            headers = auth_headers(state.tokens, admin)
            gallery = f"/api/v1/communities/{community.id}/videos"
            deep_cursor = httpx.get(base_url + gallery, params={"limit": 100}, headers=headers).json()["next_cursor"]
            for _ in range(50):  # deeper: 50 pages of 100 in
                deep_cursor = httpx.get(
                    base_url + gallery, params={"limit": 100, "cursor": deep_cursor}, headers=headers
                ).json()["next_cursor"]
            n = args.requests
            status_requests = [
                ("POST", "/functions/v1/check-video-status", {"videoId": str(ids[i * 7919 % len(ids)])})
                for i in range(n)
            ]
            results = {
                "check_video_status": hammer(base_url, headers, status_requests, args.clients),
                "gallery_first_page": hammer(
                    base_url, headers, [("GET", f"{gallery}?limit=24", None)] * n, args.clients
                ),
                "gallery_deep_page": hammer(
                    base_url, headers, [("GET", f"{gallery}?limit=24&cursor={deep_cursor}", None)] * n, args.clients
                ),
            }
    return {
        "benchmark": "reads",
        "db": args.db,
        "rows": args.rows,
        "load_seconds": round(loaded, 1),
        "clients": args.clients,
        **results,
        "machine": machine(),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="benchmark", required=True)
    jobs = sub.add_parser("jobs")
    jobs.add_argument("--db", choices=["sqlite", "postgres"], default="sqlite")
    jobs.add_argument("--jobs", type=int, default=1000)
    jobs.add_argument("--mode", choices=["poll", "webhook"], default="poll")
    jobs.add_argument("--poll-seconds", type=float, default=5.0)
    jobs.add_argument("--provider-seconds", type=float, default=10.0)
    jobs.add_argument(
        "--worker-concurrency", type=int, default=200, help="jobs this worker process runs at once (the default)"
    )
    reads = sub.add_parser("reads")
    reads.add_argument("--db", choices=["sqlite", "postgres"], default="sqlite")
    reads.add_argument("--rows", type=int, default=100_000)
    reads.add_argument("--requests", type=int, default=2000)
    reads.add_argument("--clients", type=int, default=16)
    args = parser.parse_args()
    try:
        result = asyncio.run(run_jobs(args)) if args.benchmark == "jobs" else run_reads(args)
    finally:
        drop_test_databases()
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
