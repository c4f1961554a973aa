"""Route dependencies for videos: the job queue and the live-event hub."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from botvideo.videos.events import VideoEvents
from botvideo.videos.jobs import JobQueue


def get_jobs(request: Request) -> JobQueue:
    jobs: JobQueue = request.app.state.jobs
    return jobs


def get_events(request: Request) -> VideoEvents:
    events: VideoEvents = request.app.state.events
    return events


JobsDep = Annotated[JobQueue, Depends(get_jobs)]
EventsDep = Annotated[VideoEvents, Depends(get_events)]
