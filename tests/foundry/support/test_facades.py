from __future__ import annotations

from collections.abc import Iterator

import pytest

from foundry.kernel.container import Container, set_root_container
from foundry.kernel.facades import Swappable, facade


class Greeter(Swappable):
    def greet(self, name: str) -> str:
        return f"Hello, {name}"


class LoudGreeter(Greeter):
    def greet(self, name: str) -> str:
        return f"HELLO, {name.upper()}"


Greeting = facade(Greeter)


@pytest.fixture
def container() -> Iterator[Container]:
    container = Container()
    container.singleton(Greeter)
    set_root_container(container)
    yield container
    set_root_container(None)


def test_facade_forwards_to_the_bound_service(container: Container) -> None:
    assert Greeting.greet("Ada") == "Hello, Ada"


def test_swap_replaces_the_service_for_every_caller(container: Container) -> None:
    loud = Greeting.swap(LoudGreeter())
    assert Greeting.greet("ada") == "HELLO, ADA"
    assert container.make(Greeter) is loud


async def test_facade_resolves_from_the_current_scope(container: Container) -> None:
    async with container.scope() as scope:
        scope.instance(Greeter, LoudGreeter())
        assert Greeting.greet("x") == "HELLO, X"
    assert Greeting.greet("x") == "Hello, x"


def test_facades_are_read_only(container: Container) -> None:
    with pytest.raises(AttributeError, match="read-only"):
        Greeting.greet = lambda name: name  # type: ignore[method-assign]  # proving it fails
