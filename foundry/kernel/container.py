"""The service container: bindings keyed by type, constructor autowiring, and scopes.

A root :class:`Container` holds the bindings and the singletons. ``container.scope()`` opens a
child that shares both but keeps its own *scoped* instances: one scope per HTTP request and one
per queued job, so an ``AsyncSession`` bound with :meth:`Container.scoped` is shared by everything
that runs for that request and closed when it ends.
"""

from __future__ import annotations

import inspect
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar, Token
from dataclasses import dataclass
from enum import Enum
from typing import Any, TypeVar, cast, get_type_hints

__all__ = [
    "BindingResolutionError",
    "Container",
    "Lifetime",
    "current_container",
    "use_container",
]

T = TypeVar("T")
R = TypeVar("R")

#: A factory receives the container resolving it, so it can ``make`` what it needs.
Factory = Callable[["Container"], T]
Closer = Callable[[Any], Awaitable[None] | None]


class BindingResolutionError(LookupError):
    """Raised when the container cannot build what was asked for."""


class Lifetime(Enum):
    """How long a resolved instance lives."""

    TRANSIENT = "transient"
    SINGLETON = "singleton"
    SCOPED = "scoped"


@dataclass(frozen=True, slots=True)
class _Binding:
    factory: Callable[[Container], Any]
    lifetime: Lifetime
    on_close: Closer | None = None


_MISSING = object()


class Container:
    """A typed service container in Laravel's spirit: ``bind``, ``singleton``, ``scoped``,
    ``instance``, ``make`` and ``call``."""

    def __init__(self, *, parent: Container | None = None) -> None:
        self._parent = parent
        self._root: Container = parent._root if parent is not None else self
        self._bindings: dict[type[Any], _Binding] = parent._bindings if parent is not None else {}
        self._signatures: dict[Any, list[tuple[str, Any, Any]]] = (
            parent._signatures if parent is not None else {}
        )
        self._instances: dict[type[Any], Any] = {}
        if parent is not None:
            # Inside a scope, "the container" is the scope: what asks for a ``Container`` there
            # (a listener, a job's ``handle``, the ``App`` facade) builds scoped services in it.
            self._instances[Container] = self
        self._closers: list[tuple[Closer, Any]] = []
        self._tokens: list[Token[Container | None]] = []

    # -- registration -------------------------------------------------------------------------

    def bind(self, abstract: type[T], concrete: type[T] | Factory[T] | None = None) -> None:
        """Build a new instance on every ``make``."""
        self._register(abstract, concrete, Lifetime.TRANSIENT, None)

    def singleton(self, abstract: type[T], concrete: type[T] | Factory[T] | None = None) -> None:
        """Build once per application and share it everywhere."""
        self._register(abstract, concrete, Lifetime.SINGLETON, None)

    def scoped(
        self,
        abstract: type[T],
        concrete: type[T] | Factory[T] | None = None,
        *,
        on_close: Callable[[T], Awaitable[None] | None] | None = None,
    ) -> None:
        """Build once per scope (request or job); ``on_close`` runs when the scope closes."""
        self._register(abstract, concrete, Lifetime.SCOPED, cast(Closer | None, on_close))

    def instance(self, abstract: type[T], obj: T) -> T:
        """Use ``obj`` for ``abstract`` in this container (a scope keeps it to itself)."""
        self._instances[abstract] = obj
        return obj

    def forget_instance(self, abstract: type[Any]) -> None:
        """Drop a shared instance so the next ``make`` builds a fresh one."""
        self._instances.pop(abstract, None)

    def bound(self, abstract: type[Any]) -> bool:
        """Whether ``abstract`` has a binding or an instance."""
        return abstract in self._bindings or self.resolved(abstract) is not None

    def resolved(self, abstract: type[T]) -> T | None:
        """The already built shared instance of ``abstract``, without building one."""
        found = self._instances.get(abstract, _MISSING)
        if found is _MISSING and self._root is not self:
            found = self._root._instances.get(abstract, _MISSING)
        return None if found is _MISSING else cast(T, found)

    def _register(
        self,
        abstract: type[Any],
        concrete: type[Any] | Callable[[Container], Any] | None,
        lifetime: Lifetime,
        on_close: Closer | None,
    ) -> None:
        target = abstract if concrete is None else concrete
        if isinstance(target, type):
            cls = target
            factory: Callable[[Container], Any] = lambda c: c.build(cls)  # noqa: E731
        else:
            factory = target
        self._bindings[abstract] = _Binding(factory, lifetime, on_close)
        self._instances.pop(abstract, None)
        self._root._instances.pop(abstract, None)

    # -- resolution ---------------------------------------------------------------------------

    def make(self, abstract: type[T]) -> T:
        """Resolve ``abstract``: a bound factory, a shared instance, or an autowired class."""
        found = self.resolved(abstract)
        if found is not None:
            return found
        binding = self._bindings.get(abstract)
        if binding is None:
            return self.build(abstract)
        if binding.lifetime is Lifetime.TRANSIENT:
            return cast(T, binding.factory(self))
        if binding.lifetime is Lifetime.SINGLETON:
            # Built by the root so a singleton never captures a request's scoped services.
            obj = binding.factory(self._root)
            self._root._instances[abstract] = obj
            return cast(T, obj)
        if self._root is self:
            raise BindingResolutionError(
                f"{_name(abstract)} is scoped: resolve it inside container.scope() "
                "(a request, a job or a command), not from the root container"
            )
        obj = binding.factory(self)
        self._instances[abstract] = obj
        if binding.on_close is not None:
            self._closers.append((binding.on_close, obj))
        return cast(T, obj)

    def build(self, cls: type[T]) -> T:
        """Instantiate ``cls``, resolving each constructor parameter from its type hint."""
        if inspect.isabstract(cls) or getattr(cls, "_is_protocol", False):
            raise BindingResolutionError(f"{_name(cls)} is abstract and has no binding")
        if not isinstance(cls, type):
            raise BindingResolutionError(f"cannot build {cls!r}: not a class")
        kwargs = self._resolve_parameters(cls.__init__, owner=cls)
        return cls(**kwargs)

    def call(self, fn: Callable[..., R], /, **overrides: Any) -> R:
        """Call ``fn``, resolving its parameters from their type hints; ``overrides`` win.

        An ``async def`` returns its coroutine for the caller to await.
        """
        kwargs = self._resolve_parameters(fn, owner=None, overrides=overrides)
        return fn(**kwargs)

    def _resolve_parameters(
        self,
        fn: Callable[..., Any],
        *,
        owner: type[Any] | None,
        overrides: dict[str, Any] | None = None,
    ) -> dict[str, Any]:
        kwargs: dict[str, Any] = {}
        for name, hint, default in self._signature(fn, owner):
            if overrides and name in overrides:
                kwargs[name] = overrides[name]
                continue
            if isinstance(hint, type) and (self.bound(hint) or _buildable(hint)):
                kwargs[name] = self.make(hint)
            elif default is not inspect.Parameter.empty:
                continue
            else:
                where = _name(owner) if owner is not None else _name(fn)
                detail = (
                    f"{_name(hint)} has no binding"
                    if hint is not _MISSING
                    else "it has no type hint and no default"
                )
                raise BindingResolutionError(
                    f"cannot resolve parameter {name!r} of {where}: {detail}"
                )
        if overrides:
            kwargs.update({k: v for k, v in overrides.items() if k not in kwargs})
        return kwargs

    def _signature(
        self, fn: Callable[..., Any], owner: type[Any] | None
    ) -> list[tuple[str, Any, Any]]:
        # A bound method is a new object on every attribute access (and holds its instance): key
        # it by its function, or every queued job's ``handle`` would miss and stay in the cache.
        key: Any = (fn.__func__, "bound") if inspect.ismethod(fn) else fn
        cached = self._signatures.get(key)
        if cached is not None:
            return cached
        if owner is not None and fn is object.__init__:
            params: list[tuple[str, Any, Any]] = []
        else:
            try:
                hints = get_type_hints(fn)
            except NameError as exc:
                raise BindingResolutionError(f"cannot read type hints of {fn!r}: {exc}") from exc
            params = []
            for index, param in enumerate(inspect.signature(fn).parameters.values()):
                if owner is not None and index == 0:
                    continue  # self
                if param.kind in (param.VAR_POSITIONAL, param.VAR_KEYWORD):
                    continue
                params.append((param.name, hints.get(param.name, _MISSING), param.default))
        self._signatures[key] = params
        return params

    # -- scopes -------------------------------------------------------------------------------

    @property
    def root(self) -> Container:
        """The application container this one belongs to (itself when it is the root)."""
        return self._root

    @property
    def is_scope(self) -> bool:
        """Whether this container is a request or job scope."""
        return self._root is not self

    def scope(self) -> Container:
        """Open a child scope; close it with ``await scope.aclose()`` or ``async with``."""
        return Container(parent=self._root)

    async def aclose(self) -> None:
        """Run the ``on_close`` callbacks of this scope's instances, newest first."""
        closers, self._closers = self._closers, []
        self._instances.clear()
        errors: list[BaseException] = []
        for closer, obj in reversed(closers):
            try:
                result = closer(obj)
                if inspect.isawaitable(result):
                    await result
            except Exception as exc:  # every closer must run even if one fails
                errors.append(exc)
        if errors:
            raise errors[0]

    def activate(self) -> Token[Container | None]:
        """Make this scope the current one (what ``async with`` does on entry); pass the token
        to :meth:`deactivate` once the scope is closed."""
        return _current.set(self)

    @staticmethod
    def deactivate(token: Token[Container | None]) -> None:
        """Make current again the container that was before :meth:`activate`."""
        _current.reset(token)

    async def __aenter__(self) -> Container:
        self._tokens.append(self.activate())
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        try:
            await self.aclose()
        finally:
            self.deactivate(self._tokens.pop())


def _buildable(cls: type[Any]) -> bool:
    return not inspect.isabstract(cls) and cls.__module__ != "builtins"


def _name(cls: Any) -> str:
    return getattr(cls, "__qualname__", repr(cls))


class _RootHolder:
    """Holds the application's root container for code outside any scope."""

    def __init__(self) -> None:
        self.container: Container | None = None


_root_holder = _RootHolder()
_current: ContextVar[Container | None] = ContextVar("foundry_container", default=None)


def current_container() -> Container:
    """The container of the running request or job, else the application container."""
    found = _current.get()
    if found is not None:
        return found
    if _root_holder.container is None:
        raise BindingResolutionError(
            "no application container: call create_app() or bootstrap() first"
        )
    return _root_holder.container


def set_root_container(container: Container | None) -> None:
    """Make ``container`` the application container (done by the application bootstrap)."""
    _root_holder.container = container


@contextmanager
def use_container(container: Container) -> Iterator[Container]:
    """Make ``container`` current for the code inside the ``with`` block."""
    token = _current.set(container)
    try:
        yield container
    finally:
        _current.reset(token)
