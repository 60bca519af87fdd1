"""How a subject or causer is named in ``activity_log``: its morph type and key, as text.

The morph type is the model's table name (``"users"``), as in the permission link tables; the
key is the primary key as text, so integer and UUID keys share one column.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import inspect as sa_inspect
from sqlalchemy.exc import NoInspectionAvailable

__all__ = ["ModelRef", "morph_of", "morph_type"]


@dataclass(frozen=True, slots=True)
class ModelRef:
    """A model named by its morph type and key, without loading it (a queued job's causer)."""

    type: str
    id: str


def morph_type(model: type[Any]) -> str:
    """The morph type of a model class: its table name."""
    name = getattr(model, "__tablename__", None)
    if not isinstance(name, str):
        raise TypeError(f"{model.__qualname__} is not a mapped model with a table")
    return name


def morph_of(target: object) -> tuple[str, str]:
    """``(type, id)`` of a model instance, a :class:`ModelRef` or a ``(type, id)`` pair.

    Raises:
        TypeError: ``target`` is none of those.
        ValueError: the model has no key yet (flush it first).
    """
    if isinstance(target, ModelRef):
        return target.type, target.id
    if isinstance(target, tuple) and len(target) == 2:
        return str(target[0]), str(target[1])
    try:
        state = sa_inspect(target)
    except NoInspectionAvailable:
        raise TypeError(f"cannot name {target!r} in the activity log: not a model") from None
    key = state.identity
    if key is None:
        key = state.mapper.primary_key_from_instance(target)
    if key is None or any(part is None for part in key):
        raise ValueError(f"{type(target).__qualname__} has no primary key yet: flush it first")
    value = key[0] if len(key) == 1 else ",".join(str(part) for part in key)
    return morph_type(type(target)), str(value)
