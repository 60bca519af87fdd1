"""Pipeline: order, short-circuit, class pipes through the container, async pipes."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

import pytest

from foundry.kernel.container import Container
from foundry.kernel.pipeline import Pipeline


def add(suffix: str) -> Callable[[str, Callable[[str], Any]], Any]:
    def pipe(text: str, next: Callable[[str], Any]) -> Any:
        return next(text + suffix)

    return pipe


class Greeting:
    def __init__(self) -> None:
        self.word = "hello"


class Greet:
    """A class pipe whose dependency the container injects."""

    def __init__(self, greeting: Greeting) -> None:
        self.greeting = greeting

    def handle(self, text: str, next: Callable[[str], Any]) -> Any:
        return next(f"{self.greeting.word} {text}")


class Shout:
    def process(self, text: str, next: Callable[[str], Any]) -> Any:
        return next(text.upper())


def test_pipes_run_in_order_then_destination() -> None:
    result = Pipeline().send("x").through([add("a"), add("b")]).then(lambda s: s + "!")
    assert result == "xab!"


def test_code_after_next_runs_in_reverse_order() -> None:
    log: list[str] = []

    def outer(value: int, next: Callable[[int], Any]) -> Any:
        log.append("outer before")
        result = next(value)
        log.append("outer after")
        return result

    def inner(value: int, next: Callable[[int], Any]) -> Any:
        log.append("inner")
        return next(value)

    Pipeline().send(1).through([outer, inner]).then(lambda v: log.append("destination"))
    assert log == ["outer before", "inner", "destination", "outer after"]


def test_a_pipe_not_calling_next_short_circuits() -> None:
    reached: list[str] = []

    def guard(text: str, next: Callable[[str], Any]) -> Any:
        return "blocked" if text == "bad" else next(text)

    def later(text: str, next: Callable[[str], Any]) -> Any:
        reached.append(text)
        return next(text)

    pipeline = Pipeline().through([guard, later])
    assert pipeline.send("bad").then(lambda s: "done") == "blocked"
    assert reached == []
    assert pipeline.send("ok").then(lambda s: "done") == "done"
    assert reached == ["ok"]


def test_then_return_and_no_pipes() -> None:
    assert Pipeline().send(5).then_return() == 5
    assert Pipeline().send("a").through([add("b")]).pipe(add("c")).then_return() == "abc"


def test_class_pipes_are_built_by_the_container() -> None:
    container = Container()
    container.instance(Greeting, Greeting())
    container.make(Greeting).word = "hi"
    result = Pipeline(container).send("ann").through([Greet, add("!")]).then_return()
    assert result == "hi ann!"


def test_class_pipes_without_a_container_are_built_plainly() -> None:
    assert Pipeline().send("a").through([Shout]).via("process").then_return() == "A"


def test_object_pipes_and_via() -> None:
    assert Pipeline().send("ann").through([Greet(Greeting())]).then_return() == "hello ann"
    assert Pipeline().send("a").through([Shout().process]).then_return() == "A"


def test_a_pipe_without_the_method_is_a_clear_error() -> None:
    with pytest.raises(TypeError, match="has no handle"):
        Pipeline().send("a").through([Shout]).then_return()


async def test_async_pipes_mix_with_sync_pipes() -> None:
    async def slow_add(text: str, next: Callable[[str], Awaitable[Any]]) -> Any:
        return await next(text + "1")

    async def destination(text: str) -> str:
        return text + "!"

    pipeline = Pipeline().send("x").through([slow_add, add("2"), slow_add])
    assert await pipeline.then_async(destination) == "x121!"
    assert await Pipeline().send("x").through([add("2")]).then_async(str.upper) == "X2"
    assert await Pipeline().send(3).then_return_async() == 3


async def test_async_short_circuit() -> None:
    async def guard(value: int, next: Callable[[int], Awaitable[Any]]) -> Any:
        return "denied" if value < 0 else await next(value)

    async def destination(value: int) -> str:
        return "allowed"

    assert await Pipeline().send(-1).through([guard]).then_async(destination) == "denied"
    assert await Pipeline().send(1).through([guard]).then_async(destination) == "allowed"
