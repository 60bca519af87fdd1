"""Events: a typed dispatcher keyed by event class, with the ``Event`` facade and its fake.

Example::

    from foundry.events import Event

    Event.listen(UserRegistered, send_welcome)
    await Event.dispatch(UserRegistered(user_id=user.id))

    fake = Event.fake()
    ...
    fake.assert_dispatched(UserRegistered, lambda e: e.user_id == user.id)
"""

from __future__ import annotations

from foundry.events.dispatcher import EventDispatcher
from foundry.events.fake import EventFake
from foundry.events.listeners import Listener, ListenerClass
from foundry.events.service_provider import EventServiceProvider
from foundry.kernel.facades import facade

__all__ = [
    "Event",
    "EventDispatcher",
    "EventFake",
    "EventServiceProvider",
    "Listener",
    "ListenerClass",
]

#: The application's :class:`EventDispatcher`, resolved from the current container on each use.
Event = facade(EventDispatcher)
