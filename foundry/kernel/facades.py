"""Facades: module-level objects typed as the service they stand for.

``Cache = facade(CacheManager)`` gives an object that mypy sees as a ``CacheManager`` and that, at
run time, resolves the service from the current container on every attribute access, so a test
that swaps the binding is seen by every caller. Services reachable through a facade inherit
:class:`Swappable`, which gives them typed ``swap()`` (and lets them define their own ``fake()``).
"""

from __future__ import annotations

from typing import Any, ClassVar, Self, TypeVar, cast

from foundry.kernel.container import BindingResolutionError, Container, current_container

__all__ = ["App", "Swappable", "facade", "facade_resolved", "facade_root"]

T = TypeVar("T")


class Swappable:
    """Base for services with a facade: ``swap(replacement)`` rebinds them in the container.

    The binding key is the first class in the hierarchy that inherits ``Swappable`` directly, so
    a fake subclass swapped in is still found under its parent's key.

    A fake declares what it fakes, ``class QueueFake(QueueManager, fake_of=QueueManager)``, so
    the service's ``fake()`` builds it through :meth:`fake_class` without importing the module
    that subclasses it (which would be an import cycle). A package imports its fake in its
    ``__init__``, which runs before any of its modules is used.
    """

    _facade_key: ClassVar[type[Any]]
    _fake: ClassVar[type[Any] | None] = None

    def __init_subclass__(cls, *, fake_of: type[Swappable] | None = None, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if Swappable in cls.__bases__:
            cls._facade_key = cls
        if fake_of is not None:
            fake_of._fake = cls

    @classmethod
    def fake_class(cls) -> type[Any]:
        """The fake declared for this service (or one of its bases)."""
        if cls._fake is None:
            raise LookupError(f"{cls.__qualname__} declares no fake")
        return cls._fake

    def swap(self, replacement: Self) -> Self:
        """Use ``replacement`` for this service in the whole application; returns it.

        The replacement goes into the application (root) container, so every request and job
        scope opened afterwards sees it. A test that swaps while a scope of its own is current
        (the ``session`` fixture's) would otherwise fake the service in that scope only, and
        requests made through the test client, each in a scope of its own, would never see it.
        The current scope gets it too, in case it had already resolved the service itself.
        """
        container = current_container()
        container.root.instance(self._facade_key, replacement)
        if container.is_scope:
            container.instance(self._facade_key, replacement)
        return replacement


class _FacadeProxy:
    __slots__ = ("_key",)

    def __init__(self, key: type[Any]) -> None:
        object.__setattr__(self, "_key", key)

    def __getattr__(self, name: str) -> Any:
        return getattr(current_container().make(self._key), name)

    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError(f"facades are read-only: set {name!r} on the service instead")

    def __repr__(self) -> str:
        return f"<facade {self._key.__qualname__}>"


def facade(key: type[T]) -> T:
    """A facade for the service bound under ``key``, typed as that service."""
    return cast(T, _FacadeProxy(key))


def facade_root(proxy: T) -> T:
    """The service instance a facade resolves to right now.

    For code that must hand the real object on (a session to SQLAlchemy, a cached collaborator)
    rather than go through the proxy on every attribute.
    """
    if isinstance(proxy, _FacadeProxy):
        return cast(T, current_container().make(proxy._key))
    return proxy


def facade_resolved(proxy: T) -> T | None:
    """The instance behind a facade if the current scope already built it, else ``None``.

    Never builds one, and ``None`` outside any application (a plain script).
    """
    if not isinstance(proxy, _FacadeProxy):
        return proxy
    try:
        container = current_container()
    except BindingResolutionError:
        return None
    return cast(T | None, container.resolved(proxy._key))


#: Laravel's ``App`` facade: the container of the current request or job (the application's
#: outside any scope). ``facade_root(App)`` is that container itself.
App: Container = facade(Container)
