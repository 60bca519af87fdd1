"""The error bag ``after`` hooks add to: Laravel's ``$validator->errors()->add(...)``.

    def after(self) -> Sequence[AfterHook]:
        return [self.check_stock]

    async def check_stock(self, errors: ErrorBag) -> None:
        if not await stock.has(self.sku, self.quantity):
            errors.add("quantity", "Only 3 left in stock.")

The hooks run after every other check of the request, failed or not, so their errors join the
same 422 as the rest.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping

__all__ = ["AfterHook", "ErrorBag"]


class ErrorBag:
    """Messages by field, in the order they were added (each message once per field)."""

    def __init__(self, errors: Mapping[str, list[str]] | None = None) -> None:
        self._errors: dict[str, list[str]] = {}
        for field, messages in (errors or {}).items():
            for message in messages:
                self.add(field, message)

    def add(self, field: str, message: str) -> None:
        """Report ``message`` about ``field``."""
        listed = self._errors.setdefault(field, [])
        if message not in listed:
            listed.append(message)

    def merge(self, errors: Mapping[str, list[str]]) -> None:
        """Add every message of ``errors``."""
        for field, messages in errors.items():
            for message in messages:
                self.add(field, message)

    def has(self, field: str) -> bool:
        """Whether ``field`` has failed a check already."""
        return bool(self._errors.get(field))

    def first(self, field: str) -> str | None:
        """The first message about ``field``, if any."""
        messages = self._errors.get(field)
        return messages[0] if messages else None

    def any(self) -> bool:
        """Whether anything failed."""
        return bool(self._errors)

    def to_dict(self) -> dict[str, list[str]]:
        """``{field: [messages]}``, Laravel's ``errors`` object."""
        return {field: list(messages) for field, messages in self._errors.items()}


AfterHook = Callable[[ErrorBag], Awaitable[None] | None]
