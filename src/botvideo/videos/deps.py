"""Route dependencies for videos: the job queue and the live-event hub."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends

from botvideo.core.deps import from_state
from botvideo.videos.events import VideoEvents
from botvideo.videos.jobs import JobQueue

JobsDep = Annotated[JobQueue, Depends(from_state("jobs", JobQueue))]
EventsDep = Annotated[VideoEvents, Depends(from_state("events", VideoEvents))]
