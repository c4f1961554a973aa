"""Drop-in replacements for the original Supabase edge functions, on Supabase's wire contract.

Clients call `POST {base}/functions/v1/<name>` with a JSON body and `Authorization: Bearer <user JWT>`; failures
answer `{"error": message}` with a fitting status, which supabase-py surfaces as the exception message. Both
answer without waiting on the provider: the job runs on the server whatever the browser does.
"""

from __future__ import annotations

from fastapi import APIRouter, BackgroundTasks

from botvideo.auth.deps import CurrentUser
from botvideo.core.deps import SessionDep
from botvideo.providers.deps import ProvidersDep
from botvideo.storage.deps import SignerDep, StorageDep
from botvideo.videos import service
from botvideo.videos.deps import EventsDep, JobsDep
from botvideo.videos.schemas import (
    CheckVideoStatusBody,
    CheckVideoStatusResponse,
    CreateVideo,
    GenerateBotVideoBody,
    GenerateBotVideoResponse,
)

router = APIRouter(prefix="/functions/v1", tags=["supabase-compatible"])


@router.post("/generate-bot-video", response_model=GenerateBotVideoResponse)
def generate_bot_video(
    body: GenerateBotVideoBody,
    session: SessionDep,
    providers: ProvidersDep,
    storage: StorageDep,
    jobs: JobsDep,
    events: EventsDep,
    user: CurrentUser,
    background: BackgroundTasks,
) -> GenerateBotVideoResponse:
    """Start a video for a community (admins only); returns at once with the video id."""
    order = CreateVideo(
        video_type=body.videoType,
        # The original frontend sends `customPrompt: x || undefined`: missing, null and "" all mean none.
        custom_prompt=(body.customPrompt or "").strip() or None,
        source_image_url=(body.sourceImageUrl or "").strip() or None,
    )
    created = service.create_video(session, providers, storage, jobs, user, body.communityId, order)
    background.add_task(events.publish, body.communityId)
    return GenerateBotVideoResponse(videoId=created.video.id, jobId=created.job_id, status=created.video.status)


@router.post("/check-video-status", response_model=CheckVideoStatusResponse)
def check_video_status(
    body: CheckVideoStatusBody, session: SessionDep, signer: SignerDep, user: CurrentUser
) -> CheckVideoStatusResponse:
    """The video's current status, read from our database (the server drives the job; this never calls out)."""
    out = service.to_out(signer, service.get_video(session, user, body.videoId))
    return CheckVideoStatusResponse(
        videoId=out.id,
        status=out.status,
        progress=out.progress,
        videoUrl=out.video_url,
        thumbnailUrl=out.thumbnail_url,
        errorMessage=out.error_message,
        errorCode=out.error_code,
        duration=out.duration,
        resolution=out.resolution,
    )
