"""Media on the local disk under one root, written atomically."""

from __future__ import annotations

import os
import re
import shutil
import tempfile
from pathlib import Path

from botvideo.storage.base import InvalidStorageKey

_KEY = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*(/[A-Za-z0-9][A-Za-z0-9._-]*)*$")


class LocalStorage:
    """Files under one root directory. Writes go to a temp file and are renamed, so readers never see half a file."""

    def __init__(self, root: Path) -> None:
        self.root = root.resolve()
        self.root.mkdir(parents=True, exist_ok=True)

    def local_path(self, key: str) -> Path:
        if not _KEY.match(key) or ".." in key.split("/"):
            raise InvalidStorageKey(key)
        return self.root / key

    def save_file(self, key: str, source: Path) -> str:
        destination = self.local_path(key)
        destination.parent.mkdir(parents=True, exist_ok=True)
        if source.resolve() == destination:
            return key
        tmp = destination.with_name(f".{destination.name}.{os.getpid()}.part")
        try:
            os.replace(source, tmp)  # same filesystem: a rename
        except OSError:
            shutil.copyfile(source, tmp)
        os.replace(tmp, destination)
        return key

    def save_bytes(self, key: str, content: bytes) -> str:
        destination = self.local_path(key)
        destination.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=destination.parent, delete=False, prefix=".upload-") as handle:
            handle.write(content)
        os.replace(handle.name, destination)
        return key

    def exists(self, key: str) -> bool:
        return self.local_path(key).is_file()

    def delete(self, key: str) -> None:
        self.local_path(key).unlink(missing_ok=True)
