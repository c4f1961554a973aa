"""Higgsfield's failures, each mapped onto the provider error the workflow understands.

`message` stays the safe text from `SAFE_MESSAGES`; the HTTP status, Higgsfield's own words and its
X-Correlation-ID (what its support asks for) go into `detail`.
"""

from __future__ import annotations

from botvideo.providers.base import ErrorCode, ProviderBusy, ProviderError


def _detail(http_status: int | None, text: str, correlation_id: str | None) -> str:
    parts = []
    if http_status is not None:
        parts.append(f"HTTP {http_status}")
    if text:
        parts.append(text[:500])
    if correlation_id:
        parts.append(f"X-Correlation-ID {correlation_id}")
    return "; ".join(parts)


class HiggsfieldError(ProviderError):
    error_code_for_class: ErrorCode = ErrorCode.INTERNAL
    retryable_for_class: bool = False

    def __init__(self, text: str = "", *, http_status: int | None = None, correlation_id: str | None = None) -> None:
        super().__init__(
            self.error_code_for_class,
            _detail(http_status, text, correlation_id),
            retryable=self.retryable_for_class,
        )
        self.http_status = http_status
        self.correlation_id = correlation_id


class HiggsfieldCredentialsRejected(HiggsfieldError):
    """401: an operator problem (HF_KEY). Users see "provider unavailable", the log says what to fix."""

    error_code_for_class = ErrorCode.PROVIDER_UNAVAILABLE


class HiggsfieldBlocked(HiggsfieldError):
    """403 `error code: 1010`: Cloudflare refused the client (it blocks some User-Agents), not the API."""

    error_code_for_class = ErrorCode.PROVIDER_UNAVAILABLE


class HiggsfieldOutOfCredits(HiggsfieldError):
    error_code_for_class = ErrorCode.INSUFFICIENT_CREDITS


class HiggsfieldRejectedRequest(HiggsfieldError):
    """400 (other than the concurrency cap) or 422: the body was refused; resubmitting it won't help."""

    error_code_for_class = ErrorCode.INVALID_REQUEST


class HiggsfieldModelUnavailable(HiggsfieldError):
    """404/423/503 on submit: the model is unknown, blocked or down for this account."""

    error_code_for_class = ErrorCode.PROVIDER_UNAVAILABLE
    retryable_for_class = True


class HiggsfieldModelNotFound(HiggsfieldModelUnavailable):
    """404 on submit: this account cannot see the model; waiting will not change that."""

    retryable_for_class = False


class HiggsfieldRequestNotFound(HiggsfieldError):
    """404 on a request id: it does not exist or belongs to another account (or its data was deleted)."""

    error_code_for_class = ErrorCode.INTERNAL


class HiggsfieldUnreachable(HiggsfieldError):
    """Network errors or 5xx after every retry. For a submit the outcome is unknown: retry, same key."""

    error_code_for_class = ErrorCode.PROVIDER_UNAVAILABLE
    retryable_for_class = True


class HiggsfieldUnsafeUrl(HiggsfieldError):
    """A URL Higgsfield handed us failed the SSRF guard; we refuse to fetch it."""

    error_code_for_class = ErrorCode.INTERNAL


class HiggsfieldBusy(ProviderBusy):
    """400 because the account's concurrency cap is reached: nothing was accepted; wait, then resubmit."""

    def __init__(self, text: str = "", *, http_status: int | None = 400, correlation_id: str | None = None) -> None:
        super().__init__(_detail(http_status, text, correlation_id))
        self.http_status = http_status
        self.correlation_id = correlation_id
