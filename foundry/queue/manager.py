"""``QueueManager`` (the ``Queue`` facade): named connections, dispatching, failed jobs.

```python
job_id = await Queue.push(SendEmailJob("ada@example.com", "Hi"))
ids = await Queue.bulk([SendEmailJob(a, "Hi") for a in addresses])   # one round trip
Queue.define_queue("emails", connection="redis", max_jobs=1000)
fake = Queue.fake()
```
"""

from __future__ import annotations

import functools
import re
import time
from collections import Counter
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

from foundry.config.queue import ConnectionConfig, QueueDefinition, QueueSettings
from foundry.config.redis import RedisSettings
from foundry.database.manager import DatabaseManager
from foundry.database.transactions import defer_until_commit
from foundry.database.types import uuid7
from foundry.jobs.errors import JobAuthorizationError, JobConfigurationError
from foundry.jobs.job import Job, ensure_handle
from foundry.jobs.payload import build_payload, dumps
from foundry.jobs.pending import DispatchOptions, PendingDispatch
from foundry.jobs.secure import JobAuthorizer, SecureJob
from foundry.jobs.signing import PayloadSigner
from foundry.jobs.unique import ShouldBeUnique, acquire_unique_lock, release_unique_lock
from foundry.kernel.container import BindingResolutionError, Container
from foundry.kernel.drivers import DriverFactory, DriverRegistry
from foundry.kernel.encryption import Encrypter
from foundry.kernel.facades import Swappable
from foundry.queue.carried import PayloadContext
from foundry.queue.drivers.base import PushItem, QueueDriver, ReservedJob
from foundry.queue.errors import QueueFullError, UnknownConnectionError, UnknownQueueError
from foundry.queue.events import EventSink, JobQueued
from foundry.queue.failed import FailedJobStore
from foundry.queue.lifecycle import BufferingHook, JobLifecycleHook

if TYPE_CHECKING:
    from foundry.cache.manager import CacheManager
    from foundry.queue.fake import QueueFake
    from foundry.queue.runner import JobRunner

__all__ = ["QueueManager"]

_QUEUE_NAME = re.compile(r"^[A-Za-z0-9_.:-]{1,200}$")


class QueueManager(Swappable):
    """Holds the connections (built on first use) and pushes jobs onto them."""

    def __init__(
        self,
        settings: QueueSettings,
        container: Container,
        *,
        drivers: Mapping[str, DriverFactory[QueueManager, QueueDriver]],
        database: DatabaseManager,
        redis: RedisSettings,
        cache: CacheManager,
        events: EventSink,
        authorizer: JobAuthorizer,
        encrypter: Encrypter | None,
        previous_keys: Sequence[Encrypter] = (),
    ) -> None:
        """Create the manager; the queue provider wires it (see ``QueueServiceProvider``).

        Args:
            settings: ``QUEUE_*``.
            container: the application's container, in which workers open one scope per job.
            drivers: the driver factories by name (:data:`foundry.queue.connectors.BUILT_IN_DRIVERS`).
            database: the database of the ``database`` driver and the ``failed_jobs`` table.
            redis: the server of the ``redis`` driver.
            cache: unique-job locks, the restart signal and counters (the ``Cache`` facade, so a
                faked cache is seen).
            events: where lifecycle events go; unbound (no events battery) means none are fired.
            authorizer: checks secure jobs' permissions; unbound means they are refused.
            encrypter: signs every payload and encrypts secure jobs' fields (``APP_KEY``);
                ``None`` without a key, and then no job can be queued.
            previous_keys: encrypters of ``APP_PREVIOUS_KEYS``: payloads they signed still run.
        """
        self.settings = settings
        self.container = container.root
        self.database = database
        self.redis = redis
        self.events = events
        self.authorizer = authorizer
        self._cache = cache
        self._encrypter = encrypter
        self._previous_keys = tuple(previous_keys)
        self._signer = PayloadSigner(encrypter, previous_keys) if encrypter is not None else None
        self._drivers = drivers
        self._connections: DriverRegistry[QueueManager, QueueDriver] = DriverRegistry(
            self,
            kind="queue driver",
            built_in=drivers,
            default=lambda: self.settings.default,
            error=UnknownConnectionError,
            driver_of=lambda name: self.connection_config(name).driver,
        )
        self._definitions: dict[str, QueueDefinition] = dict(settings.queues)
        self._failed: FailedJobStore | None = None
        self._hooks: list[JobLifecycleHook] = []
        self._carried: list[PayloadContext] = []

    # -- connections and queues -----------------------------------------------------------------

    @property
    def default_connection(self) -> str:
        """``QUEUE_CONNECTION``."""
        return self.settings.default

    def connection_config(self, name: str | None = None) -> ConnectionConfig:
        """The settings of connection ``name``; raises :class:`UnknownConnectionError`."""
        name = name or self.default_connection
        found = self.settings.all_connections().get(name)
        if found is None:
            known = ", ".join(sorted(self.settings.all_connections()))
            raise UnknownConnectionError(f"queue connection {name!r} is not defined ({known})")
        return found

    def connection(self, name: str | None = None) -> QueueDriver:
        """The driver of connection ``name`` (default: ``QUEUE_CONNECTION``), built on first use.

        Raises:
            UnknownConnectionError: no connection has that name, or its driver is unknown.
        """
        return self._connections.driver(name)

    def extend(self, driver: str, factory: DriverFactory[QueueManager, QueueDriver]) -> None:
        """Make ``factory(manager, connection_name)`` the driver called ``driver``.

        Connections whose ``driver`` (``QUEUE_CONNECTIONS``) is that name are built with it; the
        name of a built-in driver replaces it.
        """
        self._connections.extend(driver, factory)

    def driver_names(self) -> list[str]:
        """Every driver name: the built-in ones, then those added with :meth:`extend`."""
        return self._connections.names()

    async def run_sync(self, driver: QueueDriver, reserved: ReservedJob) -> None:
        await self.runner().process(driver, reserved, reraise=True)

    def runner(self) -> JobRunner:
        """A runner with the default worker options."""
        from foundry.queue.runner import JobRunner

        return JobRunner(self)

    def add_lifecycle_hook(self, hook: JobLifecycleHook) -> None:
        """Tell ``hook`` of every delivery's outcome, on every connection (see
        :mod:`foundry.queue.lifecycle`); batteries such as batches and metrics register here."""
        self._hooks.append(hook)

    def lifecycle_hooks(self) -> tuple[JobLifecycleHook, ...]:
        """The hooks added with :meth:`add_lifecycle_hook`, in order."""
        return tuple(self._hooks)

    async def drain_lifecycle_hooks(self) -> None:
        """Have the hooks that hold records in memory write them (a worker is idle or stops)."""
        for hook in self._hooks:
            if isinstance(hook, BufferingHook):
                await hook.drain()

    def carry(self, context: PayloadContext) -> None:
        """Carry ``context`` from the dispatching scope into every job (see
        :mod:`foundry.queue.carried`); one per name, a second replaces the first."""
        self._carried = [held for held in self._carried if held.name != context.name]
        self._carried.append(context)

    def carried(self) -> tuple[PayloadContext, ...]:
        """The contexts added with :meth:`carry`."""
        return tuple(self._carried)

    def define_queue(
        self,
        name: str,
        *,
        connection: str | None = None,
        max_jobs: int | None = None,
        rate_limit_enabled: bool = False,
    ) -> QueueDefinition:
        """Declare a queue: its connection and limits.

        Jobs sent to ``name`` without a connection go to ``connection``. ``max_jobs`` caps the
        jobs it holds (waiting, delayed and running): a dispatch beyond raises
        :class:`QueueFullError`. ``rate_limit_enabled`` sends every job it runs through the
        limiter ``queue:<name>`` (``RateLimiter.for_("queue:emails", lambda job: Limit...)``);
        a job over the limit is released, not failed.
        """
        check_queue_name(name)
        if connection is not None:
            self.connection_config(connection)
        definition = QueueDefinition(
            connection=connection, max_jobs=max_jobs, rate_limit_enabled=rate_limit_enabled
        )
        self._definitions[name] = definition
        return definition

    def queue_definition(self, name: str) -> QueueDefinition | None:
        """What ``define_queue`` (or ``QUEUE_QUEUES``) said about ``name``."""
        return self._definitions.get(name)

    def defined_queues(self) -> dict[str, QueueDefinition]:
        """Every declared queue."""
        return dict(self._definitions)

    # -- services the queue uses ----------------------------------------------------------------

    def failed_store(self) -> FailedJobStore:
        """The ``failed_jobs`` table."""
        if self._failed is None:
            self._failed = FailedJobStore(self.database)
        return self._failed

    def encrypter(self) -> Encrypter | None:
        """The app's encrypter, or ``None`` without an ``APP_KEY``."""
        return self._encrypter

    def signer(self) -> PayloadSigner | None:
        """Signs payloads with ``APP_KEY`` and checks them (``APP_PREVIOUS_KEYS`` too), or
        ``None`` without an ``APP_KEY``."""
        return self._signer

    def cache(self) -> CacheManager:
        """The cache (unique-job locks, restart signal, counters)."""
        return self._cache

    async def fire(self, event: object) -> None:
        """Dispatch a queue event now (never held for a transaction)."""
        try:
            await self.events.dispatch(event, after_commit=False)
        except BindingResolutionError:
            pass  # no events battery in this application: nobody listens

    async def authorize(self, job: SecureJob, user_id: object) -> None:
        """Check a secure job's permissions; raises :class:`JobAuthorizationError`."""
        permissions = job.required_permissions
        if not permissions:
            return
        if user_id is None:
            raise JobAuthorizationError(
                f"{job.display_name()} requires permissions {permissions}: dispatch it with "
                ".by_user(user_id)"
            )
        try:
            allowed = await self.authorizer.allows(str(user_id), permissions)
        except BindingResolutionError:
            raise JobAuthorizationError(
                f"{job.display_name()} requires permissions {permissions} but no JobAuthorizer "
                "is bound, so they cannot be checked (refused)"
            ) from None
        if not allowed:
            raise JobAuthorizationError(
                f"user {user_id} lacks a permission {job.display_name()} requires: {permissions}"
            )

    # -- dispatching ----------------------------------------------------------------------------

    def _target(self, job: Job, options: DispatchOptions) -> tuple[QueueDriver, str]:
        queue_name = options.queue or job.queue
        definition = self._definitions.get(queue_name) if queue_name else None
        connection = options.connection or job.connection
        if connection is None and definition is not None:
            connection = definition.connection
        driver = self.connection(connection)
        queue_name = queue_name or driver.default_queue
        check_queue_name(queue_name)
        if driver.retry_after is not None and job.timeout is not None:
            if job.timeout >= driver.retry_after:
                raise JobConfigurationError(
                    f"{job.display_name()} has timeout={job.timeout:g}s, which must be shorter "
                    f"than retry_after={driver.retry_after:g}s of connection {driver.name!r}, or "
                    "a second worker would run it while the first still does"
                )
        return driver, queue_name

    async def _prepare(self, job: Job, options: DispatchOptions) -> tuple[QueueDriver, PushItem]:
        ensure_handle(job)
        driver, queue_name = self._target(job, options)
        if isinstance(job, SecureJob):
            await self.authorize(job, options.user_id)
        uuid = str(uuid7())
        priority = options.priority or 0
        payload = build_payload(
            job,
            uuid=uuid,
            connection=driver.name,
            queue=queue_name,
            priority=priority,
            user_id=options.user_id,
            signer=self.signer(),
            extra={
                **{context.name: context.capture() for context in self._carried},
                **(options.extra or {}),
            },
        )
        available_at = options.available_at or time.time()
        batch_id = options.extra.get("batch_id")
        return driver, PushItem(
            uuid,
            dumps(payload),
            queue_name,
            available_at,
            priority,
            job.timeout,
            batch_id if isinstance(batch_id, str) else None,
        )

    async def push(self, job: Job, options: DispatchOptions | None = None) -> str | None:
        """Queue ``job``; returns its id, or ``None`` when a unique job is already queued.

        Raises:
            QueueFullError: the queue was defined with ``max_jobs`` and holds that many.
            JobAuthorizationError: a secure job's user lacks a permission it requires.
            JobConfigurationError: the job has no ``handle``, or a timeout it cannot keep.
        """
        [job_id] = await self._dispatch([(job, options or DispatchOptions())])
        return job_id

    async def bulk(self, jobs: Sequence[Job | PendingDispatch]) -> list[str | None]:
        """Queue many jobs, one round trip per connection; returns their ids in order.

        Each job is treated as :meth:`push` treats it: options from a :class:`PendingDispatch`
        (queue, connection, delay, priority, user, after-commit), secure jobs authorized, unique
        jobs locked (a job whose lock is held, also by an earlier job of the same call, is
        skipped and its id is ``None``), jobs held until the surrounding transaction commits
        (dropped on rollback), one ``JobQueued`` per stored job. Every job is checked (target,
        permissions, queue capacity counting them all) before any lock is taken or any job
        stored, so a refused call queues none of them.

        Raises:
            QueueFullError: a queue defined with ``max_jobs`` cannot take its share of ``jobs``.
            JobAuthorizationError: a secure job's user lacks a permission it requires.
            JobConfigurationError: a job has no ``handle``, or a timeout it cannot keep.
        """
        return await self._dispatch(
            [
                (
                    (entry.job, entry.options)
                    if isinstance(entry, PendingDispatch)
                    else (entry, DispatchOptions())
                )
                for entry in jobs
            ]
        )

    async def _dispatch(self, entries: Sequence[tuple[Job, DispatchOptions]]) -> list[str | None]:
        # The one path of push and bulk. Everything that may refuse the call comes first, so a
        # refused call takes no unique lock: a lock taken and then given back would make a
        # concurrent dispatch of the same job skip itself for a copy that never got queued.
        prepared = [(job, options, *await self._prepare(job, options)) for job, options in entries]
        adding = Counter((driver.name, item.queue) for _, _, driver, item in prepared)
        drivers = {driver.name: driver for _, _, driver, _ in prepared}
        for (name, queue), count in adding.items():
            await self._check_capacity(drivers[name], queue, count)
        ids: list[str | None] = []
        now: dict[str, list[tuple[PushItem, Job]]] = {}
        held: dict[str, list[tuple[PushItem, Job]]] = {}
        for job, options, driver, item in prepared:
            if isinstance(job, ShouldBeUnique) and not await acquire_unique_lock(job, self.cache()):
                ids.append(None)
                continue
            ids.append(item.uuid)
            hold = options.after_commit
            if hold is None:
                hold = job.dispatch_after_commit
            (held if hold else now).setdefault(driver.name, []).append((item, job))
        for name, stored in held.items():
            if not defer_until_commit(functools.partial(self._store, drivers[name], stored)):
                now.setdefault(name, []).extend(stored)
        for name, stored in now.items():
            await self._store(drivers[name], stored)
        return ids

    async def _store(self, driver: QueueDriver, stored: Sequence[tuple[PushItem, Job]]) -> None:
        items = [item for item, _ in stored]
        try:
            if len(items) == 1:
                await driver.push(items[0])
            else:
                await driver.bulk(items)
        except BaseException:
            # Not stored: free the unique locks, or no copy could be queued until they expire.
            for _, job in stored:
                if isinstance(job, ShouldBeUnique):
                    await release_unique_lock(job, self.cache())
            raise
        for item, job in stored:
            await self.fire(JobQueued(driver.name, item.queue, item.uuid, job.display_name()))

    async def _check_capacity(self, driver: QueueDriver, queue: str, adding: int) -> None:
        # Back-pressure: a producer faster than the workers is told so, instead of the back end
        # growing without bound. One count per dispatch, only on queues that set a limit.
        definition = self._definitions.get(queue)
        if definition is None or definition.max_jobs is None:
            return
        counts = await driver.counts(queue)
        held = counts.pending + counts.delayed + counts.reserved
        if held + adding > definition.max_jobs:
            raise QueueFullError(
                f"queue {queue!r} holds {held} jobs and takes at most {definition.max_jobs} "
                "(define_queue max_jobs); the job was not queued"
            )

    async def size(self, queue: str | None = None, connection: str | None = None) -> int:
        """Jobs waiting on ``queue`` (pending and delayed)."""
        driver = self.connection(connection)
        counts = await driver.counts(queue or driver.default_queue)
        return counts.pending + counts.delayed

    async def aclose(self) -> None:
        """Close every driver's connections."""
        for driver in self._connections.release():
            await driver.aclose()

    def fake(self) -> QueueFake:
        """Swap in a :class:`QueueFake` that records jobs instead of queueing them."""
        fake: QueueFake = self.fake_class()(
            self.settings,
            self.container,
            drivers=self._drivers,
            database=self.database,
            redis=self.redis,
            cache=self._cache,
            events=self.events,
            authorizer=self.authorizer,
            encrypter=self._encrypter,
            previous_keys=self._previous_keys,
        )
        self.swap(fake)
        return fake


def check_queue_name(name: str) -> None:
    """Raise :class:`UnknownQueueError` for a name no back end can hold."""
    if not _QUEUE_NAME.match(name):
        raise UnknownQueueError(
            f"invalid queue name {name!r}: use letters, digits, '_', '-', '.', ':' (max 200)"
        )
