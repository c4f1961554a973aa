"""Warm worker processes that each render and encode a contiguous part of a clip.

Splitting the clip is what uses both cores: a single process leaves x264 and the drawing code waiting on each
other (see docs/engine.md). Workers come from a `forkserver` so they never inherit the service's threads or
event loop, and they stay alive between clips so the ~0.8 s start-up (imports, fonts) is paid once.
Progress comes back over one queue and is fanned out per job by a listener thread in the parent; cancellation
goes out through a small shared array of flags the workers poll between frames.
"""

from __future__ import annotations

import atexit
import itertools
import multiprocessing
import os
import threading
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from botvideo.engine import part as part_worker
from botvideo.engine.spec import ClipSpec

JOB_SLOTS = 256


@dataclass(frozen=True)
class PartJob:
    spec: ClipSpec
    index: int
    start: int  # first frame (inclusive)
    stop: int  # last frame (exclusive)
    path: Path
    slot: int
    poster_frame: int
    poster_path: Path
    thumbnail_path: Path


class JobHandle:
    """One clip in flight on the pool: its part futures and the frames each part has finished."""

    def __init__(self, pool: RenderPool, slot: int, parts: int) -> None:
        self.pool = pool
        self.slot = slot
        self.done = [0] * parts
        self.futures: list[Future[None]] = []

    @property
    def frames_done(self) -> int:
        return sum(self.done)

    def cancel(self) -> None:
        self.pool._cancel_flags[self.slot] = 1
        for future in self.futures:
            future.cancel()


class RenderPool:
    """Warm render workers. Create one per service process (it is thread-safe) and `close()` it on shutdown.

    `workers=0` renders in the calling thread instead (one part, no processes): slower, but handy where
    processes are not allowed.
    """

    def __init__(self, workers: int = 2, *, start_method: str = "forkserver") -> None:
        self.workers = max(0, workers)
        self._lock = threading.Lock()
        self._jobs: dict[int, JobHandle] = {}
        self._slots = itertools.count()
        self._closed = False
        self._executor: ProcessPoolExecutor | None = None
        self._listener: threading.Thread | None = None
        if self.workers == 0:
            self._cancel_flags: Any = [0] * JOB_SLOTS
            return
        if start_method not in multiprocessing.get_all_start_methods():
            start_method = "spawn"
        self._context = multiprocessing.get_context(start_method)
        if start_method == "forkserver":
            self._context.set_forkserver_preload(["botvideo.engine.part"])
        self._queue: Any = self._context.SimpleQueue()
        self._cancel_flags = self._context.RawArray("b", JOB_SLOTS)
        self._executor = self._new_executor()
        self._listener = threading.Thread(target=self._listen, name="render-progress", daemon=True)
        self._listener.start()
        for _ in range(self.workers):
            self._executor.submit(part_worker.warm_up)

    def _new_executor(self) -> ProcessPoolExecutor:
        return ProcessPoolExecutor(
            max_workers=self.workers,
            mp_context=self._context,
            initializer=part_worker.init_worker,
            initargs=(self._queue, self._cancel_flags),
        )

    def _listen(self) -> None:
        while True:
            message = self._queue.get()
            if message is None:
                return
            slot, index, done = message
            with self._lock:
                job = self._jobs.get(slot)
                if job is not None and index < len(job.done):
                    job.done[index] = max(job.done[index], done)

    def start(self, jobs: list[PartJob], slot: int) -> JobHandle:
        handle = JobHandle(self, slot, len(jobs))
        with self._lock:
            if self._closed:
                raise RuntimeError("The render pool is closed.")
            self._jobs[slot] = handle
        self._cancel_flags[slot] = 0
        if self._executor is None:
            return handle
        try:
            handle.futures = [self._executor.submit(part_worker.render_part, job) for job in jobs]
        except BrokenProcessPool:
            # A worker died (killed, out of memory): start fresh processes and try once more.
            self._executor = self._new_executor()
            handle.futures = [self._executor.submit(part_worker.render_part, job) for job in jobs]
        return handle

    def next_slot(self) -> int:
        with self._lock:
            # Skip slots still in use by long renders (only possible with >256 clips in flight).
            for _ in range(JOB_SLOTS):
                slot = next(self._slots) % JOB_SLOTS
                if slot not in self._jobs:
                    return slot
        raise RuntimeError("Too many clips rendering at once.")

    def finish(self, handle: JobHandle) -> None:
        with self._lock:
            self._jobs.pop(handle.slot, None)

    def recover(self) -> None:
        """Replace the executor after a worker crashed so the next clip gets healthy processes."""
        with self._lock:
            if self._executor is not None and not self._closed:
                self._executor.shutdown(wait=False, cancel_futures=True)
                self._executor = self._new_executor()

    def close(self) -> None:
        with self._lock:
            if self._closed:
                return
            self._closed = True
        if self._executor is not None:
            self._executor.shutdown(wait=True, cancel_futures=True)
            self._queue.put(None)
            if self._listener is not None:
                self._listener.join(timeout=5)

    def __enter__(self) -> RenderPool:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


_default_pool: RenderPool | None = None
_default_lock = threading.Lock()


def default_pool() -> RenderPool:
    """The process-wide pool `render_clip` uses when none is given: created on first use, closed at exit."""
    global _default_pool
    with _default_lock:
        if _default_pool is None:
            _default_pool = RenderPool(workers=min(2, os.cpu_count() or 1))
            atexit.register(_default_pool.close)
        return _default_pool
