"""Binds the queue manager and the app's encrypter; listed in ``config/app.py``."""

from __future__ import annotations

from typing import TYPE_CHECKING

from foundry.cache import Cache
from foundry.config.app import AppSettings
from foundry.config.cache import CacheSettings
from foundry.config.queue import QueueSettings
from foundry.config.redis import RedisSettings
from foundry.database.manager import DatabaseManager
from foundry.jobs.contracts import JobDispatcher
from foundry.jobs.secure import JobAuthorizer
from foundry.kernel.encryption import Encrypter
from foundry.kernel.facades import facade
from foundry.kernel.providers import ServiceProvider
from foundry.kernel.redis import RedisConnector
from foundry.queue.batching import (
    BatchLifecycleHook,
    BatchRepository,
    DatabaseBatchRepository,
    RedisBatchRepository,
)
from foundry.queue.chaining.hook import ChainHook
from foundry.queue.completed import CompletedJobs
from foundry.queue.connectors import BUILT_IN_DRIVERS
from foundry.queue.dispatcher import QueueDispatcher
from foundry.queue.errors import UnknownConnectionError
from foundry.queue.events import EventSink
from foundry.queue.manager import QueueManager
from foundry.queue.metrics.service import QueueMetrics, choose_store

if TYPE_CHECKING:
    from foundry.kernel.application import Application
    from foundry.kernel.container import Container

__all__ = [
    "QueueServiceProvider",
    "check_default_connection",
    "record_completed",
    "record_metrics",
]


def check_default_connection(manager: QueueManager) -> None:
    """Raise :class:`UnknownConnectionError` unless ``QUEUE_CONNECTION`` and its driver exist."""
    config = manager.connection_config()
    if config.driver not in manager.driver_names():
        known = ", ".join(manager.driver_names())
        raise UnknownConnectionError(
            f"queue connection {manager.default_connection!r} uses driver {config.driver!r}, "
            f"which is not defined; known queue drivers: {known}"
        )


def _encrypter(container: Container) -> Encrypter:
    return Encrypter.from_app_key(container.make(AppSettings).key)


def _previous_keys(container: Container) -> list[Encrypter]:
    listed = container.make(AppSettings).previous_keys
    return [Encrypter.from_app_key(key.strip()) for key in listed.split(",") if key.strip()]


def _manager(container: Container) -> QueueManager:
    manager = QueueManager(
        container.make(QueueSettings),
        container,
        drivers=BUILT_IN_DRIVERS,
        database=container.make(DatabaseManager),
        redis=container.make(RedisSettings),
        # Facades, not instances: a faked cache, the events battery and the app's job authorizer
        # may be bound (or swapped) after the manager is built, and are looked up on each use.
        cache=Cache,
        events=facade(EventSink),
        authorizer=facade(JobAuthorizer),
        encrypter=container.make(Encrypter) if container.bound(Encrypter) else None,
        previous_keys=_previous_keys(container),
    )
    manager.add_lifecycle_hook(ChainHook(manager))  # chains move on as their links finish
    return manager


def _batch_repository(container: Container) -> BatchRepository:
    if container.make(QueueSettings).batching == "redis":
        return RedisBatchRepository(container.make(RedisConnector))
    return DatabaseBatchRepository(container.make(DatabaseManager))


def _manager_with_batches(container: Container) -> QueueManager:
    manager = _manager(container)
    # Looked up on each job, from the root container: the repository is a singleton.
    root = container.root
    manager.add_lifecycle_hook(BatchLifecycleHook(manager, lambda: root.make(BatchRepository)))
    return manager


def _metrics(container: Container) -> QueueMetrics:
    manager = container.make(QueueManager)
    try:
        default_driver = manager.connection_config().driver
    except UnknownConnectionError:
        default_driver = ""  # reported by check_default_connection
    store = choose_store(manager.settings, default_driver, container.make(CacheSettings).store)
    return QueueMetrics(manager, store)


def record_metrics(container: Container) -> None:
    """Make every delivery count in the queue metrics (unless ``QUEUE_METRICS_STORE=off``)."""
    metrics = container.make(QueueMetrics)
    if metrics.kind != "off":
        container.make(QueueManager).add_lifecycle_hook(metrics.recorder)


def record_completed(container: Container) -> None:
    """Record every completed job for the dashboard (unless ``QUEUE_COMPLETED_MAX=0``)."""
    completed = container.make(CompletedJobs)
    if completed.enabled:
        container.make(QueueManager).add_lifecycle_hook(completed.recorder)


def _dispatcher(container: Container) -> JobDispatcher:
    # Made with the container that asked: the dispatcher runs jobs now in the caller's scope.
    return QueueDispatcher(container.make(QueueManager), container)


class QueueServiceProvider(ServiceProvider):
    """``QueueManager`` (with the chains' and batches' lifecycle hooks), ``QueueMetrics``,
    ``CompletedJobs`` and the batch repository (``QUEUE_BATCHING``) as singletons, the ``Bus``'s ``JobDispatcher``, and
    ``Encrypter`` when the app has a key."""

    def register(self, container: Container) -> None:
        container.singleton(QueueManager, _manager_with_batches)
        container.singleton(BatchRepository, _batch_repository)
        container.singleton(QueueMetrics, _metrics)
        container.singleton(CompletedJobs, lambda c: CompletedJobs(c.make(QueueManager)))
        container.bind(JobDispatcher, _dispatcher)
        if self.app.settings.key and not container.bound(Encrypter):
            container.singleton(Encrypter, _encrypter)

    def boot(self, app: Application) -> None:
        container = app.container
        # An unknown QUEUE_CONNECTION (or driver) fails at start-up, not on the first dispatch;
        # checked once every provider booted, so a driver the app adds with extend counts.
        app.booted(lambda: check_default_connection(container.make(QueueManager)))
        app.booted(lambda: record_metrics(container))
        app.booted(lambda: record_completed(container))

        async def close() -> None:
            metrics = container.resolved(QueueMetrics)
            if metrics is not None:
                await metrics.aclose()  # writes what a sync-driver job tallied in this process
            completed = container.resolved(CompletedJobs)
            if completed is not None:
                await completed.aclose()
            manager = container.resolved(QueueManager)
            if manager is not None:
                await manager.aclose()

        app.on_shutdown(close)
