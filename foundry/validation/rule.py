"""The rule contract: what every validation rule declares and how its input is looked up.

A rule checks one field. :class:`Rule` subclasses answer synchronously from the input alone;
:class:`DatabaseRule` subclasses describe a SQL condition instead, so the validator can ask the
database about every such rule of a request in one round trip.
"""

from __future__ import annotations

import copy
from abc import ABC, abstractmethod
from collections.abc import Mapping, Sequence
from typing import ClassVar, Final, Self

from sqlalchemy import ColumnElement

__all__ = ["MISSING", "BaseRule", "DatabaseRule", "Rule", "expand", "is_empty", "lookup"]


class _Missing:
    """The value of a field the input does not contain (distinct from an explicit null)."""

    __slots__ = ()

    def __repr__(self) -> str:
        return "MISSING"


MISSING: Final = _Missing()


def lookup(data: object, path: str) -> object:
    """The value at a dotted ``path`` (``"address.city"``, ``"items.0.sku"``), else ``MISSING``."""
    current: object = data
    for part in path.split("."):
        if isinstance(current, Mapping):
            if part not in current:
                return MISSING
            current = current[part]
        elif isinstance(current, Sequence) and not isinstance(current, str | bytes):
            if not part.isdigit() or int(part) >= len(current):
                return MISSING
            current = current[int(part)]
        else:
            return MISSING
    return current


def expand(data: object, pattern: str) -> list[str]:
    """The concrete paths a pattern names: ``items.*.sku`` -> ``items.0.sku``, ``items.1.sku``.

    A pattern without ``*`` is returned as is (present or not); ``*`` matches every index of a
    list and every key of an object that the input actually has.
    """
    parts = pattern.split(".")
    if "*" not in parts:
        return [pattern]
    prefixes = [""]
    for part in parts:
        if part != "*":
            prefixes = [f"{prefix}.{part}" if prefix else part for prefix in prefixes]
            continue
        found: list[str] = []
        for prefix in prefixes:
            node = lookup(data, prefix) if prefix else data
            if isinstance(node, Mapping):
                keys = [str(key) for key in node]
            elif isinstance(node, Sequence) and not isinstance(node, str | bytes):
                keys = [str(index) for index in range(len(node))]
            else:
                keys = []
            found += [f"{prefix}.{key}" if prefix else key for key in keys]
        prefixes = found
    return prefixes


def is_empty(value: object) -> bool:
    """Laravel's notion of "not filled": absent, null, a blank string or an empty list/object."""
    if value is MISSING or value is None:
        return True
    if isinstance(value, str):
        return value.strip() == ""
    if isinstance(value, Sequence | Mapping):
        return len(value) == 0
    return False


class BaseRule(ABC):
    """What every rule has: a message key, a default message, and whether it runs on empties.

    ``key`` is the name custom messages use (``{"email.unique": "..."}``). ``template`` is the
    default message; ``:attribute`` and the names from :meth:`replacements` are filled in.
    A rule that is not ``implicit`` is skipped when the field is absent or null, as in Laravel:
    ``min_length(3)`` on an optional field does not make it required.
    """

    key: ClassVar[str]
    template: ClassVar[str]
    implicit: ClassVar[bool] = False

    _message: str | None = None

    def replacements(self, data: Mapping[str, object]) -> Mapping[str, str]:
        """Placeholder values for the message besides ``:attribute`` (``{"min": "3"}``)."""
        return {}

    def with_message(self, message: str) -> Self:
        """A copy of this rule reporting ``message`` instead of its default."""
        clone = copy.copy(self)
        clone._message = message
        return clone

    @property
    def has_custom_message(self) -> bool:
        """Whether :meth:`with_message` set this rule's message."""
        return self._message is not None

    def message_for(self, value: object) -> str:
        """The message template for ``value`` failing: the override, else :meth:`default`."""
        return self._message if self._message is not None else self.default(value)

    def default(self, value: object) -> str:
        """The default template; rules whose wording depends on the value's kind override it."""
        return self.template


class Rule(BaseRule):
    """A rule decided from the input alone."""

    @abstractmethod
    def passes(self, attribute: str, value: object, data: Mapping[str, object]) -> bool:
        """Whether ``value`` (the field ``attribute`` of ``data``) is acceptable."""


class DatabaseRule(BaseRule):
    """A rule decided by the database; the validator batches these into one query."""

    @abstractmethod
    def condition(self, attribute: str, value: object) -> ColumnElement[bool] | bool:
        """A SQL expression that is true when ``value`` passes, or a plain answer.

        A plain ``bool`` answers without a query (an empty list, a value of the wrong kind).
        """
