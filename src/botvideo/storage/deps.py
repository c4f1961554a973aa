"""Route dependencies for storage: where media lives, the URL signer, and who may read a stored file."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated

from fastapi import Depends, Request
from sqlalchemy.orm import Session

from botvideo.auth.models import User
from botvideo.storage.local import LocalStorage
from botvideo.storage.signing import MediaSigner

# Whether a signed-in user may read a stored key without a signed URL. Communities decide (members read their
# community's media); the app hands their rule in, so storage stays below communities.
MediaAccess = Callable[[Session, User, str], bool]


def get_storage(request: Request) -> LocalStorage:
    storage: LocalStorage = request.app.state.storage
    return storage


def get_signer(request: Request) -> MediaSigner:
    signer: MediaSigner = request.app.state.signer
    return signer


def get_media_access(request: Request) -> MediaAccess:
    access: MediaAccess = request.app.state.media_access
    return access


StorageDep = Annotated[LocalStorage, Depends(get_storage)]
SignerDep = Annotated[MediaSigner, Depends(get_signer)]
MediaAccessDep = Annotated[MediaAccess, Depends(get_media_access)]
