"""The application's observer provider: map each model to its observers here."""

from __future__ import annotations

from foundry.database.observer_provider import (
    ObserverServiceProvider as BaseObserverServiceProvider,
)

__all__ = ["ObserverServiceProvider"]


class ObserverServiceProvider(BaseObserverServiceProvider):
    """Binds the ``ObserverRegistry`` and registers the application's observers at boot.

    Add entries as models gain observers, e.g. ``User: [UserObserver]``, with the observer
    classes in ``app/observers/<model>_observer.py``.
    """

    # Frozen into a read-only mapping when the class is created (see the base class).
    observers = {}
