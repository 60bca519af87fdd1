"""``ActivityServiceProvider``: the audit listeners and the queue's causer carrier."""

from __future__ import annotations

from typing import TYPE_CHECKING

from foundry.activity.audit import AUDIT_LISTENERS
from foundry.activity.causer import CauserCarrier
from foundry.config.activitylog import ActivityLogSettings
from foundry.events.dispatcher import EventDispatcher
from foundry.kernel.providers import ServiceProvider
from foundry.queue.manager import QueueManager

if TYPE_CHECKING:
    from foundry.kernel.application import Application

__all__ = ["ActivityServiceProvider"]


class ActivityServiceProvider(ServiceProvider):
    """Registers the framework's audit listeners (unless ``ACTIVITY_AUDIT=false``) and makes
    every queued job carry its dispatcher's causer."""

    def boot(self, app: Application) -> None:
        container = app.container
        if container.make(ActivityLogSettings).audit and container.bound(EventDispatcher):
            dispatcher = container.make(EventDispatcher)
            for event, listener in AUDIT_LISTENERS.items():
                dispatcher.listen(event, listener)
        if container.bound(QueueManager):
            app.booted(lambda: container.make(QueueManager).carry(CauserCarrier()))
