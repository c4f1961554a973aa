"""Route dependencies for core resources: the settings, the database, and the request's transaction.

The app's lifespan builds each resource once and puts it on `app.state`; each dependency hands one of them to a
route. The request's session commits once the route returns and rolls back if it raises: the one transaction
boundary of a request.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Annotated, TypeVar

from fastapi import Depends, Request
from sqlalchemy.orm import Session

from botvideo.core.config import Settings
from botvideo.core.db import Database

T = TypeVar("T")


def from_state(name: str, kind: type[T]) -> Callable[[Request], T]:
    """The dependency that hands a route the resource the lifespan put on `app.state` under `name`."""

    def resource(request: Request) -> T:
        value: T = getattr(request.app.state, name)
        return value

    resource.__name__ = f"get_{name}"
    resource.__doc__ = f"The process's {kind.__name__}."
    return resource


SettingsDep = Annotated[Settings, Depends(from_state("settings", Settings))]
DatabaseDep = Annotated[Database, Depends(from_state("database", Database))]


def get_session(database: DatabaseDep) -> Iterator[Session]:
    with database.transaction() as session:
        yield session


# `scope="function"`: the transaction ends when the route returns, before the response is sent.
SessionDep = Annotated[Session, Depends(get_session, scope="function")]
