"""Serving stored media: with an unexpired signed URL, or to members of the community that owns it."""

from __future__ import annotations

import mimetypes
import uuid

from fastapi import APIRouter, Request
from fastapi.responses import FileResponse

from botvideo.auth import service as auth_service
from botvideo.auth.deps import SESSION_COOKIE, bearer_token
from botvideo.communities import service as communities
from botvideo.core.deps import RuntimeDep
from botvideo.core.errors import NotFound
from botvideo.storage.base import InvalidStorageKey

router = APIRouter(tags=["media"])

mimetypes.add_type("image/webp", ".webp")


def _community_of(key: str) -> uuid.UUID | None:
    parts = key.split("/")
    if len(parts) >= 3 and parts[0] == "communities":
        try:
            return uuid.UUID(parts[1])
        except ValueError:
            return None
    return None


def _member_may_read(request: Request, runtime: RuntimeDep, key: str) -> bool:
    community_id = _community_of(key)
    token = bearer_token(request) or request.cookies.get(SESSION_COOKIE)
    if community_id is None or token is None:
        return False
    claims = runtime.tokens.verify(token)
    with runtime.sessions() as session:
        user = auth_service.user_for_claims(session, claims)
        try:
            communities.require_member(session, community_id, user)
        except NotFound:
            return False
        session.commit()
    return True


@router.get("/media/{key:path}")
def media(key: str, request: Request, runtime: RuntimeDep) -> FileResponse:
    """A stored file. Range requests are honoured so browsers can seek in videos."""
    download = request.query_params.get("download") == "1"
    allowed = runtime.signer.verify(
        key, request.query_params.get("exp"), request.query_params.get("sig"), download=download
    ) or _member_may_read(request, runtime, key)
    try:
        path = runtime.storage.local_path(key)
    except InvalidStorageKey:
        raise NotFound() from None
    # Unknown and forbidden look the same from outside.
    if not allowed or not path.is_file():
        raise NotFound()
    media_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
    filename = f"botvideo-{path.stem}{path.suffix}" if download else None
    return FileResponse(
        path,
        media_type=media_type,
        filename=filename,
        content_disposition_type="attachment" if download else "inline",
        headers={"Cache-Control": "private, max-age=3600"},
    )
