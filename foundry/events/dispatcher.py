"""The event dispatcher: listeners keyed by event class, run in registration order.

Events are plain classes (dataclasses suit them). ``listen(UserRegistered, send_welcome)``
registers a listener; ``await dispatch(UserRegistered(user_id=1))`` runs every listener for the
event's class and its base classes. Inside an open database transaction, dispatch is held until
the transaction commits and dropped if it rolls back, so listeners never act on data that was
never saved.
"""

from __future__ import annotations

import itertools
import logging
from typing import TYPE_CHECKING, Any, TypeVar

from foundry.database.transactions import defer_until_commit
from foundry.events.listeners import Listener, check_listener, invoke_listener, listener_name
from foundry.kernel.container import Container
from foundry.kernel.facades import App, Swappable, facade_root

if TYPE_CHECKING:
    from foundry.events.fake import EventFake

__all__ = ["EventDispatcher"]

E = TypeVar("E")

logger = logging.getLogger("foundry.events")

#: Set on an exception once it has been logged, so a listener failure that travels up through
#: nested dispatches is logged by the innermost one only.
_LOGGED_MARK = "__foundry_event_listener_logged__"


class EventDispatcher(Swappable):
    """Laravel's event dispatcher, keyed by event class.

    Reach it through the ``Event`` facade (``from foundry.events import Event``) or by asking the
    container for ``EventDispatcher``. It is an application singleton: register listeners at boot
    (see ``EventServiceProvider``), not per request.
    """

    def __init__(self, container: Container | None = None) -> None:
        """Create an empty dispatcher.

        Args:
            container: where class listeners are built. By default the current container at
                dispatch time, which is the running request's or job's scope, so a listener's
                constructor receives that scope's services (its database session, for one).
        """
        self._container = container
        self._listeners: dict[type[Any], list[tuple[int, Listener[Any]]]] = {}
        self._order = itertools.count()
        self._resolved: dict[type[Any], tuple[Listener[Any], ...]] = {}

    # -- registration -------------------------------------------------------------------------

    def listen(self, event: type[E], listener: Listener[E]) -> None:
        """Run ``listener`` for every dispatched ``event`` (and instance of its subclasses).

        Args:
            event: the event class.
            listener: a callable taking the event, or a class with ``handle(event)``; either
                may be ``async``. A class is built through the container each time it runs.

        Raises:
            TypeError: the listener's event parameter is annotated with a class ``event`` is not
                a subclass of, or the listener is neither callable nor a class with ``handle``.
        """
        check_listener(event, listener)
        self._listeners.setdefault(event, []).append((next(self._order), listener))
        self._resolved.clear()

    def has_listeners(self, event: type[Any]) -> bool:
        """Whether dispatching an ``event`` instance would run any listener."""
        return bool(self._listeners_for(event))

    def get_listeners(self, event: type[Any]) -> list[Listener[Any]]:
        """The listeners an ``event`` instance would run, in the order they would run."""
        return list(self._listeners_for(event))

    def forget(self, event: type[Any]) -> None:
        """Remove the listeners registered for exactly ``event`` (not those of its bases)."""
        self._listeners.pop(event, None)
        self._resolved.clear()

    def _listeners_for(self, event: type[Any]) -> tuple[Listener[Any], ...]:
        found = self._resolved.get(event)
        if found is None:
            # One global registration order across the class and its bases: a listener on a
            # base class registered first also runs first.
            entries = [entry for cls in event.__mro__ for entry in self._listeners.get(cls, ())]
            found = self._resolved[event] = tuple(listener for _, listener in sorted(entries))
        return found

    def _adopt_listeners(self, other: EventDispatcher) -> None:
        self._listeners = {event: list(entries) for event, entries in other._listeners.items()}
        # Continue the original's numbering, so later listeners still run after adopted ones.
        self._order = itertools.count(next(other._order))
        self._resolved.clear()

    # -- dispatching --------------------------------------------------------------------------

    async def dispatch(self, event: object, *, after_commit: bool = True) -> list[object]:
        """Run the listeners for ``event`` and return their results in order.

        A listener returning ``False`` stops the remaining listeners (its ``False`` is not in the
        results). A listener's exception is logged with the listener's name and propagates.

        Args:
            event: the event instance.
            after_commit: when the current scope's database session has an open transaction,
                hold the event and run the listeners after it commits (dropping it on
                rollback). ``False`` runs the listeners now even inside a transaction.

        Returns:
            The listeners' results, or ``[]`` when the event was held for after commit. A held
            event's results are discarded, and a listener failing after the commit raises out
            of ``commit()`` (the data is saved by then).
        """
        _require_instance(event)
        if after_commit and defer_until_commit(lambda: self._release(event)):
            return []
        return await self._release(event)

    async def until(self, event: object) -> object | None:
        """Run listeners until one returns something other than ``None``, and return that.

        Never held for after commit: the caller is waiting for the answer.
        """
        _require_instance(event)
        for listener in self._listeners_for(type(event)):
            result = await self._call(listener, event)
            if result is not None:
                return result
        return None

    async def _release(self, event: object) -> list[object]:
        """Run the listeners now; the fake overrides this to record instead."""
        results: list[object] = []
        for listener in self._listeners_for(type(event)):
            result = await self._call(listener, event)
            if result is False:
                break
            results.append(result)
        return results

    async def _call(self, listener: Listener[Any], event: object) -> object:
        # Listener classes are built in the caller's scope, so they may ask for its session.
        container = self._container or facade_root(App)
        try:
            return await invoke_listener(listener, event, container)
        except Exception as exc:
            if not getattr(exc, _LOGGED_MARK, False):
                logger.exception(
                    "event listener %s failed handling %s",
                    listener_name(listener),
                    type(event).__qualname__,
                )
                try:
                    setattr(exc, _LOGGED_MARK, True)
                except AttributeError:  # exceptions with __slots__ cannot be marked
                    pass
            raise

    # -- testing ------------------------------------------------------------------------------

    def fake(self, *only: type[Any]) -> EventFake:
        """Swap in an :class:`EventFake` that records events instead of running listeners.

        Args:
            only: fake only these event classes (and their subclasses); other events still run
                their listeners. With none, every event is faked.

        Returns:
            The fake, also reachable through the ``Event`` facade for the rest of the test.
        """
        fake: EventFake = self.fake_class()(only, container=self._container)
        fake._adopt_listeners(self)
        self.swap(fake)
        return fake


def _require_instance(event: object) -> None:
    if isinstance(event, type):
        raise TypeError(
            f"dispatch an instance of the event, not the class: {event.__qualname__}(...)"
        )
