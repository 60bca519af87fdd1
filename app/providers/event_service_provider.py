"""The application's event provider: map each event to its listeners here."""

from __future__ import annotations

from foundry.events.service_provider import EventServiceProvider as BaseEventServiceProvider

__all__ = ["EventServiceProvider"]


class EventServiceProvider(BaseEventServiceProvider):
    """Binds the ``EventDispatcher`` and registers the application's listeners at boot.

    Add entries as features gain listeners, e.g.
    ``UserRegistered: [SendEmailVerificationNotification]``.
    """

    # Frozen into a read-only mapping when the class is created (see the base class).
    listen = {}
