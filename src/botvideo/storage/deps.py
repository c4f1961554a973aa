"""Route dependencies for storage: where media lives, the URL signer, and who may read a stored file."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated

from fastapi import Depends
from sqlalchemy.orm import Session

from botvideo.auth.models import User
from botvideo.core.deps import from_state
from botvideo.storage.local import LocalStorage
from botvideo.storage.signing import MediaSigner

# Whether a signed-in user may read a stored key without a signed URL. Communities decide (members read their
# community's media); the app hands their rule in, so storage stays below communities.
MediaAccess = Callable[[Session, User, str], bool]


StorageDep = Annotated[LocalStorage, Depends(from_state("storage", LocalStorage))]
SignerDep = Annotated[MediaSigner, Depends(from_state("signer", MediaSigner))]
MediaAccessDep = Annotated[MediaAccess, Depends(from_state("media_access", Callable))]
