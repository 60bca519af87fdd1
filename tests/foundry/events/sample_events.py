"""Events and services shared by the event tests (module level, so annotations resolve)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class AccountEvent:
    account_id: int


@dataclass(frozen=True)
class UserRegistered(AccountEvent):
    email: str = "ada@example.com"


@dataclass(frozen=True)
class OrderPlaced:
    order_id: int
    total: int = 100


class Journal:
    """A service listeners write to, so tests can see what ran and in which order."""

    def __init__(self) -> None:
        self.entries: list[str] = []

    def write(self, entry: str) -> None:
        self.entries.append(entry)
