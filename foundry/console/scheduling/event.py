"""``Event``: one scheduled task, its frequency, its conditions and its hooks.

The builder methods return the event, so a declaration reads as one sentence::

    schedule.command("queue:prune-failed").daily_at("03:00").timezone("Europe/Paris") \\
        .without_overlapping().on_one_server()

Conditions (``when``, ``skip``) and hooks (``before``, ``after``, ``on_success``,
``on_failure``) may be sync or async; their parameters are resolved from the container, in the
event's own scope (as a job's ``handle`` is).
"""

from __future__ import annotations

import hashlib
import inspect
from abc import ABC, abstractmethod
from collections.abc import Callable
from datetime import datetime, time
from typing import Any, Self
from zoneinfo import ZoneInfo

from foundry.console.scheduling.cron import is_due, next_due, resolve_timezone
from foundry.console.scheduling.frequencies import Frequencies, parse_time
from foundry.kernel.container import Container

__all__ = ["Condition", "Event", "Hook", "ScheduleError"]

#: A condition: a bool, or a callable (sync or async, parameters from the container) returning one.
Condition = bool | Callable[..., Any]
#: A hook: a callable (sync or async, parameters from the container).
Hook = Callable[..., Any]

#: Laravel's default: an overlap lock left by a crashed run frees itself after a day.
DEFAULT_OVERLAP_MINUTES = 1440


class ScheduleError(RuntimeError):
    """A schedule that cannot run as declared (an unnamed closure without overlapping, ...)."""


async def call_in(scope: Container, fn: Callable[..., Any], **overrides: Any) -> Any:
    """Call ``fn`` with its parameters from ``scope``; await it if it is async."""
    result = scope.call(fn, **overrides)
    if inspect.isawaitable(result):
        result = await result
    return result


class Event(Frequencies, ABC):
    """A task with a cron expression (``* * * * *`` until a frequency method changes it)."""

    def __init__(self, timezone: str = "UTC") -> None:
        self.expression = "* * * * *"
        self.zone: ZoneInfo = resolve_timezone(timezone)
        self._description: str | None = None
        self._filters: list[Condition] = []
        self._rejects: list[Condition] = []
        self._windows: list[tuple[time, time, bool]] = []
        #: Minutes an overlap lock lives; ``None`` when overlapping runs are allowed.
        self.overlap_minutes: int | None = None
        self.one_server = False
        self.in_maintenance_mode = False
        self.before_hooks: list[Hook] = []
        self.after_hooks: list[Hook] = []
        self.success_hooks: list[Hook] = []
        self.failure_hooks: list[Hook] = []

    # -- what the task is ------------------------------------------------------------------------

    @abstractmethod
    def summary(self) -> str:
        """What the task does, for ``schedule:list`` when it has no description."""

    @abstractmethod
    def identity(self) -> str:
        """A text telling this task from the others, stable across processes (for locks)."""

    @abstractmethod
    async def execute(self, scope: Container) -> str:
        """Run the task in ``scope``; return its output (empty when it has none).

        Raises:
            Exception: the task failed (the runner reports it and goes on with the others).
        """

    # -- naming ----------------------------------------------------------------------------------

    def name(self, text: str) -> Self:
        """Name the event (Laravel's ``name``; needed by closures that use locks)."""
        self._description = text
        return self

    def description(self, text: str) -> Self:
        """Describe the event for ``schedule:list`` (same as :meth:`name`)."""
        return self.name(text)

    @property
    def display_name(self) -> str:
        """The description if one was given, else the :meth:`summary`."""
        return self._description or self.summary()

    def mutex_name(self) -> str:
        """The lock name of this event (``schedule-`` + a hash of its expression and identity)."""
        digest = hashlib.sha1(f"{self.expression}{self.identity()}".encode()).hexdigest()
        return f"schedule-{digest}"

    # -- when it runs ----------------------------------------------------------------------------

    def timezone(self, name: str | ZoneInfo) -> Self:
        """Evaluate the expression in ``name`` (``"America/New_York"``) instead of the default."""
        self.zone = name if isinstance(name, ZoneInfo) else resolve_timezone(name)
        return self

    def when(self, condition: Condition) -> Self:
        """Run only if ``condition`` is true at run time (every ``when`` must hold)."""
        self._filters.append(condition)
        return self

    def skip(self, condition: Condition) -> Self:
        """Do not run if ``condition`` is true at run time."""
        self._rejects.append(condition)
        return self

    def between(self, start: str, end: str) -> Self:
        """Run only from ``start`` to ``end`` (``"HH:MM"``, inclusive; may wrap past midnight)."""
        return self._window(start, end, inside=True)

    def unless_between(self, start: str, end: str) -> Self:
        """Do not run from ``start`` to ``end`` (``"HH:MM"``, inclusive)."""
        return self._window(start, end, inside=False)

    def _window(self, start: str, end: str, *, inside: bool) -> Self:
        first, last = (time(*parse_time(text)) for text in (start, end))
        self._windows.append((first, last, inside))
        return self

    def without_overlapping(self, expires_minutes: int = DEFAULT_OVERLAP_MINUTES) -> Self:
        """Skip a run while the previous one still runs (anywhere sharing the cache store).

        The lock frees itself after ``expires_minutes`` if a run dies without releasing it.
        """
        if expires_minutes <= 0:
            raise ValueError("expires_minutes must be positive")
        self.overlap_minutes = expires_minutes
        return self

    def on_one_server(self) -> Self:
        """Run on the first server to claim each due minute (the servers share a cache store)."""
        self.one_server = True
        return self

    def even_in_maintenance_mode(self) -> Self:
        """Run while the application is down (``artisan down``); skipped by default."""
        self.in_maintenance_mode = True
        return self

    # -- hooks -----------------------------------------------------------------------------------

    def before(self, hook: Hook) -> Self:
        """Call ``hook`` before the task."""
        self.before_hooks.append(hook)
        return self

    def after(self, hook: Hook) -> Self:
        """Call ``hook`` after the task, whether it succeeded or not."""
        self.after_hooks.append(hook)
        return self

    def then(self, hook: Hook) -> Self:
        """Alias of :meth:`after`."""
        return self.after(hook)

    def on_success(self, hook: Hook) -> Self:
        """Call ``hook`` after the task succeeded."""
        self.success_hooks.append(hook)
        return self

    def on_failure(self, hook: Hook) -> Self:
        """Call ``hook`` after the task failed."""
        self.failure_hooks.append(hook)
        return self

    # -- evaluation ------------------------------------------------------------------------------

    def is_due(self, minute: datetime) -> bool:
        """Whether the expression fires at ``minute`` in the event's timezone and windows."""
        if not is_due(self.expression, minute, self.zone):
            return False
        local = minute.astimezone(self.zone).time().replace(second=0, microsecond=0)
        return all(
            _in_window(local, first, last) == inside for first, last, inside in self._windows
        )

    def next_run(self, after: datetime) -> datetime:
        """When the expression next fires after ``after`` (UTC; conditions not evaluated)."""
        return next_due(self.expression, after, self.zone)

    async def filters_pass(self, scope: Container) -> bool:
        """Whether every ``when`` holds and no ``skip`` does, evaluated now."""
        for condition in self._filters:
            if not await _holds(condition, scope):
                return False
        for condition in self._rejects:
            if await _holds(condition, scope):
                return False
        return True


def _in_window(moment: time, first: time, last: time) -> bool:
    if first <= last:
        return first <= moment <= last
    return moment >= first or moment <= last  # 22:00 to 06:00 wraps past midnight


async def _holds(condition: Condition, scope: Container) -> bool:
    if isinstance(condition, bool):
        return condition
    return bool(await call_in(scope, condition))
