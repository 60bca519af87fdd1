"""The base for providers that declare which observers watch which models."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, ClassVar

from foundry.database.observers import ObserverRegistry
from foundry.kernel.providers import ServiceProvider

if TYPE_CHECKING:
    from foundry.kernel.application import Application
    from foundry.kernel.container import Container

__all__ = ["ObserverServiceProvider"]


class ObserverServiceProvider(ServiceProvider):
    """Declare observers in ``observers``; they are registered when the provider boots.

    Example::

        class AppObserverServiceProvider(ObserverServiceProvider):
            observers = {User: [UserObserver], Post: [PostObserver, SearchIndexObserver]}

    The mapping is frozen when the class is created, and each observer is checked then (it must
    define at least one observer method), so a mistake fails at import, not at the first write.
    """

    observers: ClassVar[Mapping[type[Any], Sequence[type[Any]]]] = MappingProxyType({})

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        declared = cls.__dict__.get("observers")
        if declared is None:
            return
        if not isinstance(declared, Mapping):
            raise TypeError(f"{cls.__qualname__}.observers must map model classes to observers")
        frozen: dict[type[Any], tuple[type[Any], ...]] = {}
        for model, observers in declared.items():
            if isinstance(observers, (str, bytes)) or not isinstance(observers, Sequence):
                raise TypeError(
                    f"{cls.__qualname__}.observers[{getattr(model, '__qualname__', model)}] "
                    "must be a list of observer classes"
                )
            for observer in observers:
                ObserverRegistry.check(observer)
            frozen[model] = tuple(observers)
        cls.observers = MappingProxyType(frozen)

    def register(self, container: Container) -> None:
        """Bind the application's registry once, however many observer providers there are."""
        if not container.bound(ObserverRegistry):
            container.singleton(ObserverRegistry)

    def boot(self, app: Application) -> None:
        """Register the declared observers on the application's registry."""
        registry = app.container.make(ObserverRegistry)
        for model, observers in self.observers.items():
            registry.observe(model, *observers)
