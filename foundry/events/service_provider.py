"""The base for providers that declare which listeners handle which events."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, ClassVar

from foundry.events.dispatcher import EventDispatcher
from foundry.events.listeners import Listener, check_listener
from foundry.kernel.providers import ServiceProvider
from foundry.queue.events import EventSink

if TYPE_CHECKING:
    from foundry.kernel.application import Application
    from foundry.kernel.container import Container

__all__ = ["EventServiceProvider"]


def _event_sink(container: Container) -> EventSink:
    return container.make(EventDispatcher)


class EventServiceProvider(ServiceProvider):
    """Declare listeners in ``listen`` and they are registered when the provider boots.

    Example::

        class AppEventServiceProvider(EventServiceProvider):
            listen = {
                UserRegistered: [SendWelcomeEmail, record_signup],
                OrderPlaced: [ReserveStock],
            }

    The mapping is frozen when the class is created (a read-only mapping of tuples), so no
    provider can change another's declaration at run time, and each event class and listener is
    checked then, so a listener that cannot take its event fails at import, not at first dispatch.
    Listeners run in the order they are listed; providers boot in ``config/app.py`` order.
    """

    listen: ClassVar[Mapping[type[Any], Sequence[Listener[Any]]]] = MappingProxyType({})

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        declared = cls.__dict__.get("listen")
        if declared is None:
            return
        if not isinstance(declared, Mapping):
            raise TypeError(f"{cls.__qualname__}.listen must map event classes to listeners")
        frozen: dict[type[Any], tuple[Listener[Any], ...]] = {}
        for event, listeners in declared.items():
            if isinstance(listeners, (str, bytes)) or not isinstance(listeners, Sequence):
                raise TypeError(
                    f"{cls.__qualname__}.listen[{getattr(event, '__qualname__', event)}] must be "
                    "a list of listeners"
                )
            for listener in listeners:
                check_listener(event, listener)
            frozen[event] = tuple(listeners)
        cls.listen = MappingProxyType(frozen)

    def register(self, container: Container) -> None:
        """Bind the application's dispatcher once, however many event providers there are.

        The queue fires its lifecycle events into ``EventSink``: the dispatcher, resolved on each
        use so that ``Event.fake()`` sees them too.
        """
        if not container.bound(EventDispatcher):
            container.singleton(EventDispatcher)
            container.bind(EventSink, _event_sink)

    def boot(self, app: Application) -> None:
        """Register the declared listeners on the application's dispatcher."""
        dispatcher = app.container.make(EventDispatcher)
        for event, listeners in self.listen.items():
            for listener in listeners:
                dispatcher.listen(event, listener)
