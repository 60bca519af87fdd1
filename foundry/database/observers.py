"""Model observers: classes whose methods run when a model is created, updated or deleted.

An observer is any class with some of these methods, each taking the model instance:
``saving``, ``creating``, ``updating``, ``deleting``, ``restoring`` (before the flush) and
``created``, ``updated``, ``deleted``, ``restored``, ``saved`` (after it). Laravel's order:
saving, creating/updating, (write), created/updated, saved. A soft delete fires
``deleting``/``deleted``; a restore fires ``restoring``, the update events, then ``restored``.

Synchronous methods run at their moment inside the flush (they may change the model, not run
queries). ``async def`` methods are side effects: they are held until the unit of work commits
and dropped on rollback (:meth:`DatabaseSession.defer_until_commit`). Observers are built
through the container, so their constructors may ask for services. To stop a write, raise.

Register them in a provider (``ObserverServiceProvider.observers``) or with
``observe(Post, PostObserver)``; an observer of a base class sees its subclasses too.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from typing import Any

from sqlalchemy import event
from sqlalchemy import inspect as sa_inspect
from sqlalchemy.ext.asyncio import async_session
from sqlalchemy.orm import Session, UOWTransaction

from foundry.database.base import SoftDeletesMixin
from foundry.database.session import DatabaseSession
from foundry.kernel.container import Container

__all__ = ["OBSERVER_EVENTS", "OBSERVERS_KEY", "SCOPE_KEY", "ObserverRegistry"]

#: Every event an observer may handle.
OBSERVER_EVENTS = frozenset(
    {"saving", "saved", "creating", "created", "updating", "updated"}
    | {"deleting", "deleted", "restoring", "restored"}
)

# What happens to an object in a flush: events before the write, events after it.
_BEFORE = {
    "create": ("saving", "creating"),
    "update": ("saving", "updating"),
    "delete": ("deleting",),
    "soft_delete": ("deleting",),
    "restore": ("restoring", "saving", "updating"),
}
_AFTER = {
    "create": ("created", "saved"),
    "update": ("updated", "saved"),
    "delete": ("deleted",),
    "soft_delete": ("deleted",),
    "restore": ("updated", "saved", "restored"),
}
_PLAN = "foundry_observer_plan"
#: ``session.info`` keys: the registry whose observers watch the session's flushes, and the
#: container scope (request or job) the observers are built in.
OBSERVERS_KEY = "foundry_observers"
SCOPE_KEY = "foundry_scope"


class ObserverRegistry:
    """Which observer classes watch which model classes; bound as a singleton."""

    def __init__(self, container: Container) -> None:
        self.container = container
        self._observers: dict[type[Any], list[type[Any]]] = {}

    def observe(self, model: type[Any], *observers: type[Any]) -> None:
        """Watch ``model`` (and its subclasses) with ``observers``, in order."""
        for observer in observers:
            self.check(observer)
            self._observers.setdefault(model, []).append(observer)

    @staticmethod
    def check(observer: type[Any]) -> None:
        """Raise ``TypeError`` unless ``observer`` defines at least one observer method."""
        if not any(callable(getattr(observer, name, None)) for name in OBSERVER_EVENTS):
            raise TypeError(
                f"{observer.__qualname__} has none of the observer methods "
                f"({', '.join(sorted(OBSERVER_EVENTS))})"
            )

    def observers_for(self, model: type[Any]) -> list[type[Any]]:
        """The observers of ``model``: its base classes' first, then its own."""
        return [
            observer
            for klass in reversed(model.__mro__)
            for observer in self._observers.get(klass, ())
        ]


class _Plan:
    """One flush's objects and the observers built for it."""

    def __init__(self, registry: ObserverRegistry, builder: Container) -> None:
        self.registry = registry
        self.builder = builder
        self.steps: list[tuple[Any, str]] = []
        self._built: dict[type[Any], Any] = {}

    def fire(self, session: Session, target: Any, events: tuple[str, ...]) -> None:
        for observer_class in self.registry.observers_for(type(target)):
            observer = self._built.get(observer_class)
            if observer is None:
                observer = self._built[observer_class] = self.builder.make(observer_class)
            for name in events:
                method = getattr(observer, name, None)
                if method is None:
                    continue
                if inspect.iscoroutinefunction(method):
                    _defer(session, method, target, name)
                else:
                    method(target)


def _registry(session: Session) -> ObserverRegistry | None:
    registry = session.info.get(OBSERVERS_KEY)
    return registry if isinstance(registry, ObserverRegistry) else None


def _builder(session: Session, registry: ObserverRegistry) -> Container:
    # Observers are built in the scope that opened the session, so they may ask for its
    # services; a session opened by hand builds them from the application container.
    scope = session.info.get(SCOPE_KEY)
    return scope if isinstance(scope, Container) else registry.container


def _defer(session: Session, method: Callable[[Any], Any], target: Any, name: str) -> None:
    wrapper = async_session(session)
    if isinstance(wrapper, DatabaseSession) and wrapper.defer_until_commit(lambda: method(target)):
        return
    raise TypeError(
        f"async observer method {method.__qualname__} ({name}) needs a DatabaseSession in a "
        "unit of work to run after commit; use DatabaseManager.session()"
    )


def _kind(session: Session, target: Any) -> str | None:
    if not session.is_modified(target, include_collections=False):
        return None
    if isinstance(target, SoftDeletesMixin):
        history = sa_inspect(target).attrs.deleted_at.history
        was = history.deleted[0] if history.deleted else None
        now = history.added[0] if history.added else None
        if history.added and was is None and now is not None:
            return "soft_delete"
        if history.added and was is not None and now is None:
            return "restore"
    return "update"


@event.listens_for(Session, "before_flush")
def _before_flush(session: Session, flush_context: UOWTransaction, instances: Any) -> None:
    # A plan left by a flush that failed must not fire on this one.
    session.info.pop(_PLAN, None)
    registry = _registry(session)
    if registry is None:
        return
    plan = _Plan(registry, _builder(session, registry))
    steps = [(target, "create") for target in session.new]
    for target in session.dirty:
        kind = _kind(session, target)
        if kind is not None:
            steps.append((target, kind))
    steps.extend((target, "delete") for target in session.deleted)
    plan.steps = [step for step in steps if registry.observers_for(type(step[0]))]
    if not plan.steps:
        return
    session.info[_PLAN] = plan
    for target, kind in plan.steps:
        plan.fire(session, target, _BEFORE[kind])


@event.listens_for(Session, "after_flush")
def _after_flush(session: Session, flush_context: UOWTransaction) -> None:
    plan = session.info.pop(_PLAN, None)
    if not isinstance(plan, _Plan):
        return
    for target, kind in plan.steps:
        plan.fire(session, target, _AFTER[kind])
