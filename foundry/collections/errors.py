"""Errors raised by collections when the items do not match what the caller asked for."""

from __future__ import annotations

__all__ = ["ItemNotFoundError", "MultipleItemsFoundError"]


class ItemNotFoundError(LookupError):
    """No item matched where exactly one (or at least one) was required."""


class MultipleItemsFoundError(LookupError):
    """More than one item matched where exactly one was required."""

    def __init__(self, count: int) -> None:
        super().__init__(f"{count} items were found where exactly one was expected")
        self.count = count
