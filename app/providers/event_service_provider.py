"""The application's event provider: map each event to its listeners here."""

from __future__ import annotations

from app.listeners.send_welcome_notification import SendWelcomeNotification
from foundry.auth.events import Registered
from foundry.events.service_provider import EventServiceProvider as BaseEventServiceProvider

__all__ = ["EventServiceProvider"]


class EventServiceProvider(BaseEventServiceProvider):
    """Binds the ``EventDispatcher`` and registers the application's listeners at boot.

    Add entries as features gain listeners. A new user is welcomed (``WelcomeNotification``,
    in the inbox and by mail) as Laravel's skeleton sends the verification email: remove the
    ``Registered`` entry to send no welcome.
    """

    # Frozen into a read-only mapping when the class is created (see the base class).
    listen = {
        Registered: [SendWelcomeNotification],
    }
