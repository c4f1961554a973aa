"""Route dependencies for core resources: the settings, the database, and the request's transaction.

The app's lifespan builds each resource once and puts it on `app.state`; each dependency hands one of them to a
route. The request's session commits once the route returns and rolls back if it raises: the one transaction
boundary of a request.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated

from fastapi import Depends, Request
from sqlalchemy.orm import Session

from botvideo.core.config import Settings
from botvideo.core.db import Database


def get_settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


def get_database(request: Request) -> Database:
    database: Database = request.app.state.database
    return database


SettingsDep = Annotated[Settings, Depends(get_settings)]
DatabaseDep = Annotated[Database, Depends(get_database)]


def get_session(database: DatabaseDep) -> Iterator[Session]:
    with database.transaction() as session:
        yield session


# `scope="function"`: the transaction ends when the route returns, before the response is sent.
SessionDep = Annotated[Session, Depends(get_session, scope="function")]
