"""Typed access, for tests, to the resources a running app's lifespan built."""

from __future__ import annotations

from dataclasses import dataclass

from fastapi import FastAPI

from botvideo.auth.tokens import TokenService
from botvideo.core.config import Settings
from botvideo.core.db import Database
from botvideo.storage.local import LocalStorage


@dataclass(frozen=True)
class Handles:
    settings: Settings
    database: Database
    storage: LocalStorage
    tokens: TokenService


def handles(app: FastAPI) -> Handles:
    state = app.state
    return Handles(settings=state.settings, database=state.database, storage=state.storage, tokens=state.tokens)
