"""``LogOptions``: what a :class:`LogsActivity` model records (Spatie's ``LogOptions``).

::

    class Post(LogsActivity, Model):
        __log_options__ = LogOptions(
            log_name="posts",
            log_attributes=["title", "status"],
            log_only_changed=True,
            dont_submit_empty_logs=True,
            description_for_event={"created": "Post written", "deleted": "Post removed"},
        )
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

__all__ = ["ALL_ATTRIBUTES", "DEFAULT_LOG_NAME", "MODEL_EVENTS", "LogOptions"]

#: The log of entries that name none.
DEFAULT_LOG_NAME = "default"
#: The model events a :class:`LogsActivity` model records by default.
MODEL_EVENTS = ("created", "updated", "deleted", "restored")
#: ``log_attributes=["*"]``: every column (but the model's ``hidden`` ones and ``log_except``).
ALL_ATTRIBUTES = "*"

DescriptionForEvent = Callable[[str], str] | Mapping[str, str]


@dataclass(frozen=True, slots=True)
class LogOptions:
    """Options of one model class; frozen, so one class's options are never another's.

    Attributes:
        log_name: the log its entries go to (``"default"`` when ``None``).
        log_attributes: the attributes copied into ``properties``; ``["*"]`` for every column
            but the model's ``hidden`` ones. Nothing else is ever copied.
        log_except: attributes never copied, even under ``"*"``.
        log_only_changed: on update, copy only the listed attributes that changed
            (Spatie's ``logOnlyDirty``).
        dont_submit_empty_logs: skip an entry whose ``attributes`` and ``old`` are both empty
            (an update that changed none of the listed attributes).
        description_for_event: ``callable(event) -> str`` or ``{event: description}``; the
            event's name otherwise.
        record_events: which of created/updated/deleted/restored are recorded.
    """

    log_name: str | None = None
    log_attributes: Sequence[str] = ()
    log_except: Sequence[str] = ()
    log_only_changed: bool = False
    dont_submit_empty_logs: bool = False
    description_for_event: DescriptionForEvent | None = None
    record_events: Sequence[str] = field(default=MODEL_EVENTS)

    def __post_init__(self) -> None:
        for name in ("log_attributes", "log_except", "record_events"):
            value: Any = getattr(self, name)
            if isinstance(value, str):
                raise TypeError(f"LogOptions.{name} must be a list of names, not a string")
            object.__setattr__(self, name, tuple(value))
        unknown = set(self.record_events) - set(MODEL_EVENTS)
        if unknown:
            raise ValueError(f"LogOptions.record_events: unknown events {sorted(unknown)}")

    @property
    def log(self) -> str:
        """The log name in effect."""
        return self.log_name or DEFAULT_LOG_NAME

    def description(self, event: str) -> str:
        """The description of an entry for ``event``."""
        describe = self.description_for_event
        if describe is None:
            return event
        if isinstance(describe, Mapping):
            return str(describe.get(event, event))
        return str(describe(event))

    def attributes_of(self, columns: Sequence[str], hidden: frozenset[str]) -> list[str]:
        """The attribute names to copy, given the model's columns and hidden attributes."""
        names: list[str] = []
        for name in self.log_attributes:
            if name == ALL_ATTRIBUTES:
                names.extend(column for column in columns if column not in hidden)
            else:
                names.append(name)
        excluded = set(self.log_except)
        return [name for name in dict.fromkeys(names) if name not in excluded]
