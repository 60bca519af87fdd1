"""mypy proves dispatching is typed from the job's ``__init__`` (checked by mypy only, never run).

Each ``type: ignore[...]`` marks a call mypy must reject; ``warn_unused_ignores`` (part of
``--strict``) turns an ignore that is no longer needed into an error, so this file fails the
type check the day a wrong argument stops being an error.
"""

from __future__ import annotations

from typing import assert_type

from foundry.jobs import Job, PendingDispatch
from foundry.kernel.container import Container
from foundry.queue import Queue


class Resize(Job):
    def __init__(self, path: str, width: int = 100) -> None:
        self.path = path
        self.width = width

    async def handle(self, container: Container) -> None:  # async, with an injected parameter
        return None


class Count(Job):
    def handle(self) -> int:  # sync, returning a value: both fit the declared ``handle``
        return 1


class Abstract(Job):
    """No ``handle`` of its own: still a Job for type checkers, refused when dispatched."""


async def class_dispatch_takes_init_arguments() -> None:
    assert_type(await Resize.dispatch("a.png"), str | None)
    assert_type(await Resize.dispatch("a.png", width=50), str | None)
    assert_type(await Resize.dispatch_if(True, "a.png", 50), str | None)
    assert_type(await Resize.dispatch_unless(False, path="a.png"), str | None)
    assert_type(await Resize.dispatch_now("a.png"), object)
    assert_type(await Count.dispatch(), str | None)


async def instance_dispatch_takes_nothing() -> None:
    assert_type(await Resize("a.png").dispatch(), str | None)
    assert_type(Resize("a.png").on_queue("low"), PendingDispatch)
    assert_type(await Resize("a.png").with_priority(3).dispatch(), str | None)
    assert_type(await Queue.bulk([Resize("a.png"), Count().on_queue("low")]), list[str | None])


def handle_is_declared(job: Job) -> None:
    assert_type(job.handle(), object)
    assert_type(Abstract().handle("any", "arguments"), object)
    assert_type(Count().handle(), int)


async def wrong_arguments_are_errors() -> None:
    await Resize.dispatch(42)  # type: ignore[arg-type]
    await Resize.dispatch()  # type: ignore[call-arg]
    await Resize.dispatch("a.png", height=5)  # type: ignore[call-arg]
    await Resize.dispatch("a.png", "wide")  # type: ignore[arg-type]
    await Resize.dispatch_if(True, 42)  # type: ignore[arg-type]
    await Resize.dispatch_if(True)  # type: ignore[call-arg]
    await Resize.dispatch_unless(False, "a.png", depth=1)  # type: ignore[call-arg]
    await Resize.dispatch_now(width=5)  # type: ignore[call-arg]
    await Resize.dispatch_if("yes", "a.png")  # type: ignore[arg-type]
    await Count.dispatch(1)  # type: ignore[call-arg]
    await Resize("a.png").dispatch("b.png")  # type: ignore[arg-type]
