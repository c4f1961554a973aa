"""One error base class; the web layer renders it as JSON for the API and as a page for the UI."""

from __future__ import annotations


class BotvideoError(Exception):
    """An expected failure with a message that is safe to show to the user."""

    status_code: int = 500
    code: str = "internal"
    message: str = "Something went wrong on our side."

    def __init__(self, message: str | None = None, *, code: str | None = None) -> None:
        self.message = message or self.message
        if code is not None:
            self.code = code
        super().__init__(self.message)


class InvalidInput(BotvideoError):
    status_code = 422
    code = "invalid_request"
    message = "The request is not valid."


class BadRequest(BotvideoError):
    status_code = 400
    code = "bad_request"
    message = "The request is not valid."


class NotAuthenticated(BotvideoError):
    status_code = 401
    code = "not_authenticated"
    message = "Sign in first."


class Forbidden(BotvideoError):
    status_code = 403
    code = "forbidden"
    message = "You are not allowed to do that."


class NotFound(BotvideoError):
    status_code = 404
    code = "not_found"
    message = "Not found."


class Conflict(BotvideoError):
    status_code = 409
    code = "conflict"
    message = "That conflicts with the current state."


class ServiceUnavailable(BotvideoError):
    status_code = 503
    code = "unavailable"
    message = "The service is temporarily unavailable. Try again shortly."
