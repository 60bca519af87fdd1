"""Binds the queue manager and the app's encrypter; listed in ``config/app.py``."""

from __future__ import annotations

from typing import TYPE_CHECKING

from foundry.config.app import AppSettings
from foundry.jobs.contracts import JobDispatcher
from foundry.kernel.encryption import Encrypter
from foundry.kernel.providers import ServiceProvider
from foundry.queue.dispatcher import QueueDispatcher
from foundry.queue.manager import QueueManager

if TYPE_CHECKING:
    from foundry.kernel.application import Application
    from foundry.kernel.container import Container

__all__ = ["QueueServiceProvider"]


def _encrypter(container: Container) -> Encrypter:
    return Encrypter.from_app_key(container.make(AppSettings).key)


def _dispatcher(container: Container) -> JobDispatcher:
    # Made with the container that asked: the dispatcher runs jobs now in the caller's scope.
    return QueueDispatcher(container.make(QueueManager), container)


class QueueServiceProvider(ServiceProvider):
    """``QueueManager`` as a singleton, the ``Bus``'s ``JobDispatcher``, and ``Encrypter`` when
    the app has a key."""

    def register(self, container: Container) -> None:
        container.singleton(QueueManager)
        container.bind(JobDispatcher, _dispatcher)
        if self.app.settings.key and not container.bound(Encrypter):
            container.singleton(Encrypter, _encrypter)

    def boot(self, app: Application) -> None:
        container = app.container
        # An unknown QUEUE_CONNECTION fails at start-up, not on the first dispatch.
        container.make(QueueManager).connection_config()

        async def close() -> None:
            manager = container.resolved(QueueManager)
            if manager is not None:
                await manager.aclose()

        app.on_shutdown(close)
