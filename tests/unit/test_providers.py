"""The application's service providers, as ``config/app.py`` lists them."""

from __future__ import annotations

from app.listeners.send_welcome_notification import SendWelcomeNotification
from app.providers.event_service_provider import EventServiceProvider
from app.providers.observer_service_provider import ObserverServiceProvider
from config.app import AppConfig
from foundry.auth.events import Registered
from foundry.config.app import FRAMEWORK_PROVIDERS
from foundry.events import EventDispatcher
from foundry.kernel.application import Application
from foundry.kernel.container import set_root_container


def test_the_framework_providers_come_first_then_the_applications() -> None:
    providers = AppConfig.load().providers

    assert providers[: len(FRAMEWORK_PROVIDERS)] == list(FRAMEWORK_PROVIDERS)
    assert all(path.startswith("app.providers.") for path in providers[len(FRAMEWORK_PROVIDERS) :])


def test_the_event_provider_welcomes_new_users_and_the_observer_provider_starts_empty() -> None:
    # As Laravel's skeleton maps Registered to SendEmailVerificationNotification.
    assert dict(EventServiceProvider.listen) == {Registered: (SendWelcomeNotification,)}
    assert dict(ObserverServiceProvider.observers) == {}


async def test_the_event_provider_binds_the_dispatcher_as_a_singleton() -> None:
    app = Application(providers=[EventServiceProvider]).bootstrap()
    try:
        assert app.container.make(EventDispatcher) is app.container.make(EventDispatcher)
        listeners = app.container.make(EventDispatcher).get_listeners(Registered)
        assert listeners == [SendWelcomeNotification]
    finally:
        await app.shutdown()
        set_root_container(None)
