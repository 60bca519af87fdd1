"""Laravel's Pipeline: send a value through a list of pipes, each deciding whether to go on.

A pipe is a callable ``(passable, next) -> result``, an object with a ``handle`` method (or the
method named by ``via``), or a class of such objects, built through the container so its
constructor dependencies are injected. A pipe that does not call ``next`` short-circuits: the
rest of the pipes and the destination never run and its return value is the result.

``then`` runs synchronously; ``then_async`` / ``then_return_async`` await pipes, ``next`` and
destinations that are coroutines, so ``async def`` and plain pipes mix freely.
"""

from __future__ import annotations

import inspect
from collections.abc import Awaitable, Callable, Iterable
from typing import Any, Generic, Protocol, TypeVar, cast, overload

from foundry.kernel.container import BindingResolutionError, Container, current_container

__all__ = ["Pipe", "PipeHandler", "Pipeline"]

P = TypeVar("P")
Q = TypeVar("Q")
R = TypeVar("R")

Next = Callable[[Any], Any]


class PipeHandler(Protocol):
    """An object pipe: ``handle(passable, next)`` returns ``next(passable)`` or a result."""

    def handle(self, passable: Any, next: Next, /) -> Any: ...


Pipe = Callable[[Any, Next], Any] | type[Any] | PipeHandler


class Pipeline(Generic[P]):
    """Sends ``passable`` through ``pipes`` to a destination.

    >>> Pipeline().send(2).through([lambda n, next: next(n * 10)]).then(lambda n: n + 1)
    21
    """

    # Annotating self lets ``Pipeline()`` start as Pipeline[Any] until send() fixes the type.
    def __init__(self: Pipeline[Any], container: Container | None = None) -> None:
        """Pipes given as classes are built by ``container`` (the current one when None)."""
        self._container = container
        self._passable: Any = None
        self._pipes: list[Pipe] = []
        self._method = "handle"

    def send(self, passable: Q) -> Pipeline[Q]:
        """Set the value to send through the pipes."""
        sent = cast("Pipeline[Q]", Pipeline(self._container))
        sent._passable = passable
        sent._pipes = list(self._pipes)
        sent._method = self._method
        return sent

    def through(self, pipes: Iterable[Pipe]) -> Pipeline[P]:
        """Replace the pipes, run in the order given."""
        self._pipes = list(pipes)
        return self

    def pipe(self, *pipes: Pipe) -> Pipeline[P]:
        """Append more pipes after the ones already set."""
        self._pipes.extend(pipes)
        return self

    def via(self, method: str) -> Pipeline[P]:
        """Call ``method`` on object and class pipes instead of ``handle``."""
        self._method = method
        return self

    def then(self, destination: Callable[[P], R]) -> R:
        """Run the pipes, then ``destination`` with what reaches the end; return the result."""
        stages = [self._stage(pipe) for pipe in self._pipes]

        def run(index: int, passable: Any) -> Any:
            if index == len(stages):
                return destination(passable)
            return stages[index](passable, lambda value: run(index + 1, value))

        return run(0, self._passable)  # type: ignore[no-any-return]  # pipes are untyped

    def then_return(self) -> P:
        """Run the pipes and return what reaches the end."""
        return self.then(lambda passable: passable)

    @overload
    async def then_async(self, destination: Callable[[P], Awaitable[R]]) -> R: ...

    @overload
    async def then_async(self, destination: Callable[[P], R]) -> R: ...

    async def then_async(self, destination: Callable[[P], Any]) -> Any:
        """``then`` for async code: pipes, ``next`` and the destination may be coroutines.

        Inside a pipe, ``next(value)`` returns an awaitable: ``return await next(value)``.
        """
        stages = [self._stage(pipe) for pipe in self._pipes]

        async def run(index: int, passable: Any) -> Any:
            if index == len(stages):
                result = destination(passable)
            else:
                result = stages[index](passable, lambda value: run(index + 1, value))
            # Plain (sync) pipes return next()'s coroutine unawaited; awaiting here resolves it.
            while inspect.isawaitable(result):
                result = await result
            return result

        return await run(0, self._passable)

    async def then_return_async(self) -> P:
        """``then_return`` for async pipes."""
        result: P = await self.then_async(lambda passable: passable)
        return result

    def _stage(self, pipe: Pipe) -> Callable[[Any, Next], Any]:
        # Classes are built when the pipeline runs, so scoped services come from the live scope.
        target: object = self._build(pipe) if isinstance(pipe, type) else pipe
        method = getattr(target, self._method, None)
        if callable(method):
            return method  # type: ignore[no-any-return]  # getattr is untyped
        if callable(target):
            return target
        raise TypeError(
            f"pipe {pipe!r} is not callable and has no {self._method}(passable, next) method"
        )

    def _build(self, cls: type[Any]) -> object:
        container = self._container
        if container is None:
            try:
                container = current_container()
            except BindingResolutionError:
                # Outside an application (a script, a unit test): plain construction.
                return cls()
        return container.make(cls)
