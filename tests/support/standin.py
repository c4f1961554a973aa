"""Run the Higgsfield stand-in (and a webhook receiver) on real sockets in a background thread, for any test.

Usage: `with running_standin(queued_seconds=0.2) as standin:` then point Settings at it with
HF_KEY=standin.key and HF_BASE_URL=standin.base_url; script it with `standin.set_scenario(outcome="failed")`;
prove nothing was submitted twice with `standin.stats()["accepted_by_idempotency_key"]`.
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import httpx
import uvicorn
from fastapi import FastAPI, Request, Response

from botvideo.providers.higgsfield.standin import Standin, StandinConfig, create_standin_app


@contextmanager
def serving(app: FastAPI) -> Iterator[str]:
    """Serve an ASGI app with uvicorn on 127.0.0.1 on a free port; yields its base URL."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", lifespan="on"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise RuntimeError("uvicorn did not start")
        time.sleep(0.01)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        sock.close()


@dataclass
class StandinHandle:
    base_url: str
    key: str
    standin: Standin  # the live object, for assertions on its state

    def stats(self) -> dict[str, Any]:
        return httpx.get(f"{self.base_url}/_standin/stats").raise_for_status().json()  # type: ignore[no-any-return]

    def set_scenario(self, **changes: Any) -> dict[str, Any]:
        response = httpx.post(f"{self.base_url}/_standin/scenario", json=changes).raise_for_status()
        return response.json()  # type: ignore[no-any-return]

    def reset_scenario(self) -> None:
        httpx.delete(f"{self.base_url}/_standin/scenario").raise_for_status()

    def wait_for_status(self, request_id: str, status: str, timeout: float = 10.0) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.stats()["requests"].get(request_id, {}).get("status") == status:
                return
            time.sleep(0.05)
        raise AssertionError(f"{request_id} never reached {status}")


@contextmanager
def running_standin(**config: Any) -> Iterator[StandinHandle]:
    """Fast defaults for tests: short schedule, placeholder clips, no engine, quick webhook retries."""
    defaults: dict[str, Any] = {
        "queued_seconds": 0.3,
        "in_progress_seconds": 0.3,
        "max_clip_seconds": 1.0,
        "render_width": 320,
        "render_height": 180,
        "use_engine": False,
        "webhook_backoff_seconds": 0.05,
        "tick_seconds": 0.02,
    }
    standin_config = StandinConfig(**{**defaults, **config})
    app = create_standin_app(standin_config)
    with serving(app) as base_url:
        yield StandinHandle(base_url=base_url, key=standin_config.key, standin=app.state.standin)


@dataclass
class ReceivedWebhook:
    headers: dict[str, str]
    body: bytes


@dataclass
class WebhookReceiver:
    url: str
    received: list[ReceivedWebhook] = field(default_factory=list)
    fail_next: int = 0  # answer this many deliveries with 500 first

    def wait_for(self, count: int, timeout: float = 10.0) -> list[ReceivedWebhook]:
        deadline = time.monotonic() + timeout
        while len(self.received) < count:
            if time.monotonic() > deadline:
                raise AssertionError(f"got {len(self.received)} webhook deliveries, wanted {count}")
            time.sleep(0.02)
        return self.received


@contextmanager
def running_webhook_receiver() -> Iterator[WebhookReceiver]:
    """A tiny endpoint recording every POST (successful deliveries only; scripted 500s are not recorded)."""
    app = FastAPI()
    receiver = WebhookReceiver(url="")

    @app.post("/hook")
    async def hook(request: Request) -> Response:
        body = await request.body()
        if receiver.fail_next > 0:
            receiver.fail_next -= 1
            return Response(status_code=500)
        receiver.received.append(ReceivedWebhook(headers=dict(request.headers), body=body))
        return Response(status_code=204)

    with serving(app) as base_url:
        receiver.url = f"{base_url}/hook"
        yield receiver
