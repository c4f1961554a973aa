from __future__ import annotations

import socket
from collections.abc import Iterator
from pathlib import Path

import av
import numpy as np
import pytest

from botvideo.engine import RenderPool


@pytest.fixture(scope="session")
def render_pool() -> Iterator[RenderPool]:
    with RenderPool(workers=2) as pool:
        yield pool


@pytest.fixture(autouse=True)
def no_network(monkeypatch: pytest.MonkeyPatch) -> None:
    """The engine must never reach the network (worker processes start before this, and open no sockets)."""

    def refuse(*_args: object, **_kwargs: object) -> None:
        raise AssertionError("the video engine tried to use the network")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)


def decode_frames(path: Path) -> list[np.ndarray]:
    with av.open(str(path)) as container:
        return [frame.to_ndarray(format="rgb24") for frame in container.decode(video=0)]
