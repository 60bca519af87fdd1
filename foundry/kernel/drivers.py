"""Named drivers: the registry a manager holds for its interchangeable back ends.

Laravel's ``Illuminate\\Support\\Manager`` and Litestar's store registry, typed. A manager (cache,
mail, rate limiter, queue) keeps one :class:`DriverRegistry`: the built-in drivers by name, the
ones added with ``extend``, the default name from its settings, and each instance built on first
use and then reused::

    self._stores = DriverRegistry(
        self,
        kind="cache store",
        built_in={"array": array_store, "file": file_store},
        default=lambda: self.settings.store,
        error=UnknownStoreError,
    )
    self._stores.driver("file")   # typed as the battery's driver class

:class:`Forward` lets the manager offer its default driver's methods (``Cache.get`` is
``Cache.store().get``) without writing each one out, and mypy checks them as the driver's own.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping
from typing import Any, Concatenate, Generic, ParamSpec, Self, TypeAlias, TypeVar, overload

__all__ = ["DriverFactory", "DriverRegistry", "Forward"]

O = TypeVar("O")
D = TypeVar("D")
P = ParamSpec("P")
R = TypeVar("R")

#: Builds the driver called ``name`` for the manager (``O``) asking: ``factory(manager, name)``.
DriverFactory: TypeAlias = Callable[[O, str], D]


class DriverRegistry(Generic[O, D]):
    """The drivers of one manager, by name, each built on first use and then reused.

    ``O`` is the manager (what factories receive), ``D`` the base class its drivers share.
    """

    def __init__(
        self,
        owner: O,
        *,
        kind: str,
        built_in: Mapping[str, DriverFactory[O, D]],
        default: Callable[[], str],
        error: Callable[[str], Exception] = LookupError,
        driver_of: Callable[[str], str] | None = None,
        fallback: DriverFactory[O, D] | None = None,
    ) -> None:
        """Create the registry.

        Args:
            owner: the manager; every factory is called as ``factory(owner, name)``.
            kind: what a driver is called in messages (``"cache store"``, ``"mailer"``).
            built_in: the drivers shipped with the battery, by name, in the order to list them.
            default: the name used when none is given, read on each call (from the settings).
            error: the exception to raise for an unknown name, called with the message (the
                battery's own, such as ``UnknownStoreError``).
            driver_of: for managers whose instances are named apart from their drivers (queue
                connections: ``"emails"`` runs on the ``redis`` driver), the driver of an
                instance name. By default each name is its own driver.
            fallback: builds every name that no factory claims (a fake that records them all),
                instead of raising ``error``.
        """
        self._owner = owner
        self._kind = kind
        self._built_in = tuple(built_in)
        self._factories: dict[str, DriverFactory[O, D]] = dict(built_in)
        self._extended: dict[str, DriverFactory[O, D]] = {}
        self._default = default
        self._error = error
        self._driver_of = driver_of
        self._fallback = fallback
        self._instances: dict[str, D] = {}

    @property
    def default_name(self) -> str:
        """The name :meth:`driver` uses when given none."""
        return self._default()

    def names(self) -> list[str]:
        """Every driver name: the built-in ones first, then those added with :meth:`extend`."""
        return [*self._built_in, *(n for n in self._extended if n not in self._built_in)]

    def driver(self, name: str | None = None) -> D:
        """The instance called ``name`` (default: :attr:`default_name`), built on first use.

        Raises:
            The registry's ``error``: no driver (built in, extended or fallback) has that name.
        """
        name = name or self._default()
        instance = self._instances.get(name)
        if instance is None:
            instance = self._instances[name] = self._factory(name)(self._owner, name)
        return instance

    def _factory(self, name: str) -> DriverFactory[O, D]:
        driver = name if self._driver_of is None else self._driver_of(name)
        factory = self._factories.get(driver, self._fallback)
        if factory is None:
            of = "" if driver == name else f" (of {name!r})"
            known = ", ".join(self.names()) or "none"
            raise self._error(
                f"{self._kind} {driver!r}{of} is not defined; known {self._kind}s: {known}"
            )
        return factory

    def extend(self, name: str, factory: DriverFactory[O, D]) -> None:
        """Make ``factory`` the driver called ``name``, replacing a built-in one of that name.

        An instance already built by the driver it replaces is dropped, so the next
        :meth:`driver` call builds one with ``factory``.
        """
        self._factories[name] = self._extended[name] = factory
        for built in list(self._instances):
            if (built if self._driver_of is None else self._driver_of(built)) == name:
                del self._instances[built]

    def adopt_extensions(
        self, other: DriverRegistry[O, D], *, keep_built_in: Collection[str] = ()
    ) -> None:
        """Take every driver ``other`` gained through :meth:`extend` (a fake takes the real one's).

        ``keep_built_in`` names built-in drivers to keep even where ``other`` replaced them (the
        cache fake keeps the real ``array`` store).
        """
        for name, factory in other._extended.items():
            if name not in keep_built_in:
                self.extend(name, factory)

    def built(self) -> dict[str, D]:
        """The instances built so far, by name."""
        return dict(self._instances)

    def release(self) -> list[D]:
        """Forget every instance built so far and return them (to close them on shutdown)."""
        released = list(self._instances.values())
        self._instances.clear()
        return released


class Forward(Generic[O, D, P, R]):
    """A manager method that runs the same method of the manager's default driver.

    ``get = Forward(store, Repository.get)`` in ``CacheManager``'s body makes ``cache.get(...)``
    call ``cache.store().get(...)``, with ``Repository.get``'s parameters, return type and
    docstring, so mypy checks ``Cache.get(1)`` as it checks ``Repository.get(1)``. An overloaded
    method keeps only its first signature through ``ParamSpec``: write those out by hand.
    """

    def __init__(self, default: Callable[[O], D], method: Callable[Concatenate[D, P], R]) -> None:
        """Create the forwarding method.

        Args:
            default: the manager's method returning its default driver (looked up by name on
                each call, so a subclass overriding it is honoured).
            method: the driver's method to run (``Repository.get``).
        """
        self._default = default.__name__
        self._method = method.__name__
        self.__doc__ = method.__doc__

    @overload
    def __get__(self, instance: None, owner: type[Any]) -> Self: ...

    @overload
    def __get__(self, instance: O, owner: type[Any]) -> Callable[P, R]: ...

    def __get__(self, instance: O | None, owner: type[Any]) -> Self | Callable[P, R]:
        if instance is None:
            return self
        driver = getattr(instance, self._default)()
        bound: Callable[P, R] = getattr(driver, self._method)
        return bound
