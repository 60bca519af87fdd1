"""The test application's providers: the framework's base classes with nothing declared.

An application lists its own subclasses after ``FRAMEWORK_PROVIDERS``; these stand for them. The
``AuthServiceProvider`` base lets the ``super-admin`` role through every gate check.
"""

from __future__ import annotations

from foundry.database.observer_provider import (
    ObserverServiceProvider as BaseObserverServiceProvider,
)
from foundry.events.service_provider import EventServiceProvider as BaseEventServiceProvider
from foundry.permissions.auth_service_provider import AuthServiceProvider as BaseAuthServiceProvider

__all__ = ["AuthServiceProvider", "EventServiceProvider", "ObserverServiceProvider"]


class AuthServiceProvider(BaseAuthServiceProvider):
    """No policies or gates of its own: the super-admin ``before`` hook only."""

    policies = {}
    gates = {}


class EventServiceProvider(BaseEventServiceProvider):
    """No listeners of its own."""

    listen = {}


class ObserverServiceProvider(BaseObserverServiceProvider):
    """No observers of its own."""

    observers = {}
