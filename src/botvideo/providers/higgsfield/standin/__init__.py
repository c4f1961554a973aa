"""A local Higgsfield: the same routes, shapes and errors, for tests and demos without credits."""

from botvideo.providers.higgsfield.standin.app import Standin, create_standin_app
from botvideo.providers.higgsfield.standin.config import Scenario, StandinConfig

__all__ = ["Scenario", "Standin", "StandinConfig", "create_standin_app"]
