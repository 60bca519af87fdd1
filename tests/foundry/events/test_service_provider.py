from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Sequence
from typing import Any

import pytest

from foundry.events import Event, EventDispatcher, EventServiceProvider
from foundry.kernel.application import Application
from foundry.kernel.container import set_root_container
from foundry.kernel.providers import ServiceProvider
from tests.foundry.events.sample_events import AccountEvent, Journal, OrderPlaced, UserRegistered
from tests.foundry.testbench.providers import EventServiceProvider as AppEventServiceProvider

Boot = Callable[[Sequence[type[ServiceProvider]]], Application]


class JournalRegistration:
    def __init__(self, journal: Journal) -> None:
        self.journal = journal

    def handle(self, event: UserRegistered) -> None:
        self.journal.write(f"class:{event.account_id}")


def journal_account(event: AccountEvent) -> str:
    return f"account:{event.account_id}"


class ShopEvents(EventServiceProvider):
    listen = {
        UserRegistered: [JournalRegistration, journal_account],
        OrderPlaced: [],
    }


class AuditEvents(EventServiceProvider):
    listen = {AccountEvent: [lambda e: "audited"]}


@pytest.fixture
async def boot() -> AsyncIterator[Boot]:
    created: list[Application] = []

    def factory(providers: Sequence[type[ServiceProvider]]) -> Application:
        app = Application(providers=providers).bootstrap()
        app.container.singleton(Journal)
        created.append(app)
        return app

    yield factory
    for app in created:
        await app.shutdown()
    set_root_container(None)


async def test_declared_listeners_are_registered_at_boot_in_provider_order(boot: Boot) -> None:
    app = boot([ShopEvents, AuditEvents])

    async with app.container.scope():
        results = await Event.dispatch(UserRegistered(account_id=4))

    assert results == [None, "account:4", "audited"]
    assert app.container.make(Journal).entries == ["class:4"]
    assert not app.container.make(EventDispatcher).has_listeners(OrderPlaced)


async def test_several_event_providers_share_one_dispatcher(boot: Boot) -> None:
    app = boot([ShopEvents, AuditEvents, AppEventServiceProvider])

    listeners = app.container.make(EventDispatcher).get_listeners(UserRegistered)

    assert len(listeners) == 3


def test_the_apps_provider_binds_the_dispatcher_as_a_singleton(boot: Boot) -> None:
    app = boot([AppEventServiceProvider])

    assert app.container.make(EventDispatcher) is app.container.make(EventDispatcher)


def test_declarations_are_frozen_when_the_class_is_created() -> None:
    declared: Any = ShopEvents.listen
    with pytest.raises(TypeError):
        declared[OrderPlaced] = [journal_account]
    with pytest.raises(AttributeError):
        declared[UserRegistered].append(journal_account)
    assert EventServiceProvider.listen == {}


def test_a_listener_that_cannot_take_its_event_fails_at_class_creation() -> None:
    def on_order(event: OrderPlaced) -> None:
        pass

    with pytest.raises(TypeError, match="on_order takes OrderPlaced, which UserRegistered"):

        class Broken(EventServiceProvider):
            listen = {UserRegistered: [on_order]}


def test_a_listener_list_is_required_per_event() -> None:
    with pytest.raises(TypeError, match=r"listen\[UserRegistered\] must be a list"):

        class Broken(EventServiceProvider):
            listen = {UserRegistered: journal_account}  # type: ignore[dict-item]  # not a list
