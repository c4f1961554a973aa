"""The API's request and answer shapes for videos, REST and the Supabase edge functions alike."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from botvideo.core.kinds import VideoStatus, VideoType


class CreateVideo(BaseModel):
    model_config = ConfigDict(extra="forbid")

    video_type: VideoType
    custom_prompt: str | None = Field(default=None, max_length=10_000)
    model: str | None = Field(default=None, max_length=200, description="A model id from /api/v1/models.")
    duration: int | None = Field(default=None, ge=1, le=60, description="Seconds; the model's default if absent.")
    resolution: Literal["1080p", "720p"] | None = None
    aspect_ratio: Literal["16:9", "9:16", "1:1"] | None = None
    source_image_url: str | None = Field(default=None, max_length=2048)
    use_avatar: bool | None = Field(
        default=None, description="Animate the bot's avatar. Default: yes for intro when the bot has one."
    )
    seed: int | None = Field(default=None, ge=0, le=1_000_000)


class PromptPreviewRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    video_type: VideoType
    custom_prompt: str | None = Field(default=None, max_length=10_000)


class PromptPreview(BaseModel):
    video_type: VideoType
    prompt: str
    default_model: str
    uses_avatar: bool


class VideoOut(BaseModel):
    id: uuid.UUID
    community_id: uuid.UUID
    video_type: VideoType
    status: VideoStatus
    progress: float | None = Field(description="0..1 when the provider reports it.")
    prompt: str
    model: str
    provider: str
    video_url: str | None = Field(description="Signed, expiring URL of the MP4 (plays in <video>).")
    download_url: str | None
    thumbnail_url: str | None = Field(description="Signed URL of the JPEG poster.")
    preview_url: str | None = Field(description="Signed URL of a small WebP thumbnail.")
    duration: int | None
    resolution: str | None
    aspect_ratio: str
    width: int | None
    height: int | None
    error_code: str | None
    error_message: str | None
    created_by: uuid.UUID | None
    created_at: datetime
    updated_at: datetime
    completed_at: datetime | None


class VideoPage(BaseModel):
    items: list[VideoOut]
    next_cursor: str | None = Field(description="Pass as `cursor` for the next, older page; null at the end.")


class CancelResult(BaseModel):
    video: VideoOut
    outcome: Literal["canceled", "too_late"]
    message: str


class ModelOut(BaseModel):
    id: str
    provider: str
    label: str
    description: str
    kind: str
    durations: list[int]
    resolutions: list[str]
    aspect_ratios: list[str]
    needs_image: bool
    accepts_image: bool
    is_default: bool


# Supabase edge-function wire contract (camelCase, as the original frontend sends it).
class GenerateBotVideoBody(BaseModel):
    model_config = ConfigDict(extra="ignore")

    communityId: uuid.UUID
    videoType: VideoType
    customPrompt: str | None = Field(default=None, max_length=10_000)
    sourceImageUrl: str | None = Field(default=None, max_length=2048)


class GenerateBotVideoResponse(BaseModel):
    videoId: uuid.UUID
    jobId: str
    status: VideoStatus


class CheckVideoStatusBody(BaseModel):
    model_config = ConfigDict(extra="ignore")

    videoId: uuid.UUID


class CheckVideoStatusResponse(BaseModel):
    videoId: uuid.UUID
    status: VideoStatus
    progress: float | None
    videoUrl: str | None
    thumbnailUrl: str | None
    errorMessage: str | None
    errorCode: str | None
    duration: int | None
    resolution: str | None
