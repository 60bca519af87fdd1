"""``Event.fake()``: a dispatcher that records events instead of running their listeners."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

from foundry.events.dispatcher import EventDispatcher
from foundry.events.listeners import Listener, listener_name
from foundry.kernel.container import Container

__all__ = ["EventFake"]

E = TypeVar("E")

#: How many recorded events an assertion message quotes before it abbreviates.
_QUOTED = 5


class EventFake(EventDispatcher, fake_of=EventDispatcher):
    """A real dispatcher whose faked events are recorded, not handed to listeners.

    It keeps every listener the real dispatcher had, so events outside ``only`` still run them.
    Faked events follow the same transaction rule as real ones: an event dispatched inside a
    transaction is recorded when the transaction commits and never if it rolls back, so a test
    sees what production listeners would have seen.
    """

    def __init__(
        self, only: Sequence[type[Any]] = (), *, container: Container | None = None
    ) -> None:
        """Create a fake.

        Args:
            only: the event classes (with their subclasses) to record; empty records every event.
            container: passed on to :class:`EventDispatcher`.
        """
        super().__init__(container)
        self._only = tuple(only)
        self._recorded: list[object] = []

    def _should_fake(self, event: object) -> bool:
        return not self._only or isinstance(event, self._only)

    async def _release(self, event: object) -> list[object]:
        if self._should_fake(event):
            self._recorded.append(event)
            return []
        return await super()._release(event)

    async def until(self, event: object) -> object | None:
        """Record a faked event and return ``None``; run the listeners of any other."""
        if self._should_fake(event):
            self._recorded.append(event)
            return None
        return await super().until(event)

    # -- inspection ---------------------------------------------------------------------------

    def dispatched(self, event: type[E], predicate: Callable[[E], bool] | None = None) -> list[E]:
        """The recorded ``event`` instances (subclasses included) matching ``predicate``."""
        found = [recorded for recorded in self._recorded if isinstance(recorded, event)]
        if predicate is not None:
            found = [recorded for recorded in found if predicate(recorded)]
        return found

    def has_dispatched(self, event: type[Any]) -> bool:
        """Whether any ``event`` instance was recorded."""
        return bool(self.dispatched(event))

    # -- assertions ---------------------------------------------------------------------------

    def assert_dispatched(
        self, event: type[E], predicate: Callable[[E], bool] | None = None
    ) -> None:
        """Fail unless an ``event`` was dispatched (and, given ``predicate``, one matched it)."""
        candidates = self.dispatched(event)
        if not candidates:
            raise AssertionError(
                f"The expected {_name(event)} event was not dispatched. "
                f"Dispatched instead: {self._summary()}."
            )
        if predicate is not None and not any(predicate(candidate) for candidate in candidates):
            raise AssertionError(
                f"{_name(event)} was dispatched {_times(len(candidates))}, but none matched the "
                f"predicate. Dispatched: {_quote(candidates)}."
            )

    def assert_dispatched_times(self, event: type[Any], times: int) -> None:
        """Fail unless ``event`` was dispatched exactly ``times`` times."""
        count = len(self.dispatched(event))
        if count != times:
            raise AssertionError(
                f"The expected {_name(event)} event was dispatched {_times(count)} instead of "
                f"{_times(times)}. Dispatched: {self._summary()}."
            )

    def assert_not_dispatched(
        self, event: type[E], predicate: Callable[[E], bool] | None = None
    ) -> None:
        """Fail if an ``event`` was dispatched (given ``predicate``: one that matches it)."""
        offending = self.dispatched(event, predicate)
        if offending:
            which = "" if predicate is None else " matching the predicate"
            raise AssertionError(
                f"The unexpected {_name(event)} event{which} was dispatched "
                f"{_times(len(offending))}: {_quote(offending)}."
            )

    def assert_nothing_dispatched(self) -> None:
        """Fail if any faked event was dispatched."""
        if self._recorded:
            raise AssertionError(
                f"Expected no events to be dispatched, but got: {self._summary()}."
            )

    def assert_listening(self, event: type[Any], listener: Listener[Any]) -> None:
        """Fail unless ``listener`` would run for ``event`` (registered on it or a base class)."""
        listeners = self.get_listeners(event)
        if listener not in listeners:
            names = ", ".join(listener_name(found) for found in listeners) or "none"
            raise AssertionError(
                f"{listener_name(listener)} is not listening for {_name(event)}. "
                f"Its listeners: {names}."
            )

    def _summary(self) -> str:
        if not self._recorded:
            return "nothing"
        counts = Counter(type(recorded).__qualname__ for recorded in self._recorded)
        return ", ".join(
            name if count == 1 else f"{name} (x{count})" for name, count in counts.items()
        )


def _name(event: type[Any]) -> str:
    return event.__qualname__


def _times(count: int) -> str:
    return "once" if count == 1 else f"{count} times"


def _quote(events: Sequence[object]) -> str:
    quoted = ", ".join(repr(event) for event in events[:_QUOTED])
    extra = len(events) - _QUOTED
    return quoted if extra <= 0 else f"{quoted} and {extra} more"
