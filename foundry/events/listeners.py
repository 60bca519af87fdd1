"""What a listener is, and how one is named and run.

A listener is either a callable taking the event (``def`` or ``async def``) or a class whose
``handle(event)`` method (``def`` or ``async def``) does the work. A listener class is built
through the container each time it runs, so its constructor can ask for scoped services such as
the request's database session. A sync listener runs on the event loop, so it must be quick;
make anything that waits on I/O ``async``.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from typing import Any, Protocol, TypeAlias, TypeVar, get_type_hints

from foundry.jobs.contracts import ShouldQueue
from foundry.jobs.errors import UnsafeClassError
from foundry.jobs.job import Job
from foundry.jobs.queued import queue_marked
from foundry.jobs.serialization import import_class
from foundry.kernel.container import Container

__all__ = [
    "CallQueuedListener",
    "Listener",
    "ListenerClass",
    "check_listener",
    "invoke_listener",
    "listener_name",
    "queued_listener_class",
]

E_contra = TypeVar("E_contra", contravariant=True)


class ListenerClass(Protocol[E_contra]):
    """A class listener: the container builds it and calls ``handle(event)``."""

    def handle(self, event: E_contra, /) -> object:
        """Handle the event; an ``async def`` is awaited, returning ``False`` stops propagation."""
        ...


#: A function listener or a class listener for events of type ``E``.
Listener: TypeAlias = Callable[[E_contra], object] | type[ListenerClass[E_contra]]


def listener_name(listener: Listener[Any]) -> str:
    """A dotted name for logs and assertion messages (``app.listeners.SendWelcome``)."""
    module = getattr(listener, "__module__", None)
    qualname = getattr(listener, "__qualname__", None) or type(listener).__qualname__
    return f"{module}.{qualname}" if module else qualname


async def invoke_listener(
    listener: Listener[Any], event: object, container: Container, *, queued: bool = False
) -> object:
    """Run one listener for ``event`` and return its (awaited) result.

    A listener class marked ``ShouldQueue`` is queued instead (its result is the job id),
    unless ``queued`` says this already is the worker running it.
    """
    result: object
    if isinstance(listener, type) and not queued:
        if issubclass(listener, ShouldQueue):
            return await queue_marked(
                CallQueuedListener(f"{listener.__module__}.{listener.__qualname__}", event),
                listener,
            )
    if isinstance(listener, type):
        result = container.make(listener).handle(event)
    else:
        result = listener(event)
    if inspect.isawaitable(result):
        result = await result
    return result


def check_listener(event_class: type[Any], listener: Listener[Any]) -> None:
    """Fail early when ``listener`` cannot take ``event_class`` events.

    Mappings such as ``EventServiceProvider.listen`` are beyond mypy's reach, so the annotation of
    the listener's event parameter is compared at registration instead of at first dispatch.
    Listeners whose annotation is missing, a string that does not resolve, or not a plain class
    (a union, a protocol) are accepted as they are.
    """
    if not isinstance(event_class, type):
        raise TypeError(f"events are keyed by class, not {event_class!r}")
    if isinstance(listener, type):
        handle = getattr(listener, "handle", None)
        if not callable(handle):
            raise TypeError(f"listener class {listener_name(listener)} has no handle(event) method")
        expected = _event_annotation(handle, skip_self=True)
    elif callable(listener):
        expected = _event_annotation(listener, skip_self=False)
    else:
        raise TypeError(f"{listener!r} is neither a callable nor a listener class")
    if (
        isinstance(expected, type)
        and not getattr(expected, "_is_protocol", False)
        and not issubclass(event_class, expected)
    ):
        raise TypeError(
            f"listener {listener_name(listener)} takes {expected.__qualname__}, "
            f"which {event_class.__qualname__} events are not"
        )


def _event_annotation(fn: Callable[..., Any], *, skip_self: bool) -> object:
    try:
        params = list(inspect.signature(fn).parameters.values())
        hints = get_type_hints(fn)
    except (NameError, TypeError, ValueError):
        return None
    if skip_self and params and params[0].name == "self":
        params = params[1:]
    if not params:
        return None
    return hints.get(params[0].name)


def queued_listener_class(path: str) -> type[Any]:
    """The queued listener class at ``path``; :class:`UnsafeClassError` for anything else.

    Only ``ShouldQueue`` listener classes (with a ``handle`` method, and not jobs) are ever
    queued, so a payload naming any other class was not written by this app's dispatcher: it
    is refused before the container builds it. Payloads are signed too; this is the second lock.
    """
    cls = import_class(path)
    if not issubclass(cls, ShouldQueue) or issubclass(cls, Job):
        raise UnsafeClassError(f"{path} is not a queued listener class (a ShouldQueue listener)")
    if not callable(getattr(cls, "handle", None)):
        raise UnsafeClassError(f"{path} is not a queued listener class: it has no handle(event)")
    return cls


class CallQueuedListener(Job):
    """Runs a ``ShouldQueue`` listener class's ``handle(event)`` on a worker."""

    def __init__(self, listener: str, event: object) -> None:
        self.listener = listener
        self.event = event

    def display_name(self) -> str:
        """The listener's name."""
        return self.listener

    async def handle(self, container: Container) -> None:
        """Build the listener through the job's container scope and call it.

        A name that is not a queued listener class fails the job at once (no retry: it would
        be refused again), with the reason in ``failed_jobs``.
        """
        try:
            listener = queued_listener_class(self.listener)
        except UnsafeClassError as exc:
            if self.context is None:  # run in-process (dispatch_now): nowhere to record it
                raise
            self.fail(exc)
            return
        await invoke_listener(listener, self.event, container, queued=True)
