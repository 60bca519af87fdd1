from __future__ import annotations

import abc
import gc
import weakref

import pytest

from foundry.kernel.container import BindingResolutionError, Container, current_container


class Clock:
    def __init__(self) -> None:
        self.now = 0


class Repository:
    def __init__(self, clock: Clock) -> None:
        self.clock = clock


class Service:
    def __init__(self, repository: Repository, name: str = "default") -> None:
        self.repository = repository
        self.name = name


class Notifier(abc.ABC):
    @abc.abstractmethod
    def send(self) -> str: ...


class SmsNotifier(Notifier):
    def send(self) -> str:
        return "sms"


class NeedsUnbound:
    def __init__(self, notifier: Notifier) -> None:
        self.notifier = notifier


def test_make_autowires_constructor_parameters_from_type_hints() -> None:
    service = Container().make(Service)
    assert isinstance(service.repository.clock, Clock)
    assert service.name == "default"


def test_bind_builds_a_new_instance_each_time() -> None:
    container = Container()
    container.bind(Notifier, SmsNotifier)
    first, second = container.make(Notifier), container.make(Notifier)
    assert first.send() == "sms" and first is not second


def test_singleton_is_shared_and_factories_receive_the_container() -> None:
    container = Container()
    container.singleton(Clock)
    container.singleton(Repository, lambda c: Repository(c.make(Clock)))
    assert container.make(Repository) is container.make(Repository)
    assert container.make(Repository).clock is container.make(Clock)


def test_instance_returns_the_given_object() -> None:
    container = Container()
    clock = container.instance(Clock, Clock())
    assert container.make(Service).repository.clock is clock


def test_abstract_without_binding_names_the_parameter() -> None:
    with pytest.raises(
        BindingResolutionError,
        match="parameter 'notifier' of NeedsUnbound: Notifier has no binding",
    ):
        Container().make(NeedsUnbound)


def test_unresolvable_builtin_parameter_is_a_clear_error() -> None:
    class NeedsPort:
        def __init__(self, port: int) -> None:
            self.port = port

    with pytest.raises(BindingResolutionError, match="parameter 'port'"):
        Container().make(NeedsPort)


def test_call_resolves_hints_and_keeps_overrides() -> None:
    container = Container()
    clock = container.instance(Clock, Clock())

    def handler(clock: Clock, label: str) -> tuple[Clock, str]:
        return clock, label

    assert container.call(handler, label="x") == (clock, "x")


async def test_call_returns_the_coroutine_of_an_async_function() -> None:
    container = Container()

    async def handler(repository: Repository) -> Repository:
        return repository

    assert isinstance(await container.call(handler), Repository)


async def test_scoped_instances_live_per_scope_and_are_closed() -> None:
    container = Container()
    closed: list[Repository] = []

    async def close(repository: Repository) -> None:
        closed.append(repository)

    container.singleton(Clock)
    container.scoped(Repository, on_close=close)
    async with container.scope() as first:
        assert current_container() is first
        one = first.make(Repository)
        assert first.make(Repository) is one
        assert one.clock is container.make(Clock)
    async with container.scope() as second:
        two = second.make(Repository)
    assert one is not two
    assert closed == [one, two]


def test_scoped_outside_a_scope_is_refused() -> None:
    container = Container()
    container.scoped(Repository)
    with pytest.raises(BindingResolutionError, match="inside container.scope"):
        container.make(Repository)


async def test_instance_in_a_scope_does_not_leak_to_the_root() -> None:
    container = Container()
    async with container.scope() as scope:
        scoped_clock = scope.instance(Clock, Clock())
        assert scope.make(Clock) is scoped_clock
    assert container.resolved(Clock) is None


async def test_every_closer_runs_even_when_one_fails() -> None:
    container = Container()
    closed: list[str] = []

    def broken(_: Clock) -> None:
        raise RuntimeError("boom")

    container.scoped(Clock, on_close=broken)
    container.scoped(Repository, on_close=lambda r: closed.append("repository"))
    scope = container.scope()
    scope.make(Repository)
    with pytest.raises(RuntimeError, match="boom"):
        await scope.aclose()
    assert closed == ["repository"]


class _Handler:
    def handle(self, clock: Clock) -> Clock:
        return clock


def test_call_on_bound_methods_keeps_no_instance_alive() -> None:
    container = Container()
    container.singleton(Clock)
    handlers = [_Handler() for _ in range(3)]
    refs = [weakref.ref(handler) for handler in handlers]

    results = [container.call(handler.handle) for handler in handlers]
    del handlers
    gc.collect()

    assert all(result is container.make(Clock) for result in results)
    assert [ref() for ref in refs] == [None, None, None]  # a long-running worker does not grow
