"""Browser console errors, collected per tab: pages must not log any."""

from __future__ import annotations

from typing import Any


class ConsoleWatch:
    def __init__(self, page: Any) -> None:
        self.errors: list[str] = []
        page.on("console", lambda message: message.type == "error" and self.errors.append(message.text))
        page.on("pageerror", lambda error: self.errors.append(str(error)))

    def assert_clean(self, allowed: str | None = None) -> None:
        """No errors, except (when given) the ones containing `allowed`."""
        errors = [e for e in self.errors if allowed is None or allowed not in e]
        assert errors == [], errors
