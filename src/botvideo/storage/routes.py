"""Serving stored media: with an unexpired signed URL, or to a signed-in user the owner's rule lets read it."""

from __future__ import annotations

import mimetypes

from fastapi import APIRouter, Request
from fastapi.responses import FileResponse

from botvideo.auth.deps import OptionalUser
from botvideo.core.deps import SessionDep
from botvideo.core.errors import NotFound
from botvideo.storage.base import InvalidStorageKey
from botvideo.storage.deps import MediaAccessDep, SignerDep, StorageDep

router = APIRouter(tags=["media"])

mimetypes.add_type("image/webp", ".webp")


@router.get("/media/{key:path}")
def media(
    key: str,
    request: Request,
    storage: StorageDep,
    signer: SignerDep,
    may_read: MediaAccessDep,
    session: SessionDep,
    user: OptionalUser,
) -> FileResponse:
    """A stored file. Range requests are honoured so browsers can seek in videos."""
    download = request.query_params.get("download") == "1"
    allowed = signer.verify(key, request.query_params.get("exp"), request.query_params.get("sig"), download=download)
    allowed = allowed or (user is not None and may_read(session, user, key))
    try:
        path = storage.local_path(key)
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
