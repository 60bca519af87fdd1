"""Queue settings: the default connection, each connection's driver and visibility timeout."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

from foundry.config.base import Settings


class ConnectionConfig(BaseModel):
    """One named queue connection."""

    #: ``sync``, ``database``, ``redis``, ``memory``, or a driver added with ``Queue.extend``.
    driver: str = Field(min_length=1)
    #: The queue a job goes to when it names none.
    queue: str = "default"
    #: Seconds after which a reserved job whose worker never finished is handed out again.
    #: A job's ``timeout`` must be shorter.
    retry_after: int = Field(default=90, gt=0)


class QueueDefinition(BaseModel):
    """Limits of one named queue (``define_queue`` or ``QUEUE_QUEUES`` as JSON)."""

    connection: str | None = None
    max_jobs: int | None = Field(default=None, gt=0)
    rate_limit_enabled: bool = False


class QueueSettings(Settings):
    """``QUEUE_*`` variables.

    ``QUEUE_CONNECTION`` names the default connection: ``database`` (the embedded default, the
    ``jobs`` table), ``redis`` (rq on ``REDIS_URL``), ``sync`` (runs jobs at once, in the caller)
    or ``memory`` (in this process only). ``QUEUE_RETRY_AFTER`` is the visibility timeout of the
    database and redis connections.
    """

    default: str = Field(default="database", min_length=1, validation_alias="QUEUE_CONNECTION")
    retry_after: int = Field(default=90, gt=0, validation_alias="QUEUE_RETRY_AFTER")
    #: Extra or overriding connections, by name (JSON in the environment).
    connections: dict[str, ConnectionConfig] = Field(
        default_factory=dict, validation_alias="QUEUE_CONNECTIONS"
    )
    #: Named queues and their limits (JSON in the environment); ``define_queue`` adds more.
    queues: dict[str, QueueDefinition] = Field(
        default_factory=dict, validation_alias="QUEUE_QUEUES"
    )
    #: The longest wait, in seconds, between two attempts of a worker to reach a database or
    #: Redis that went away (waits start at half a second and double, with jitter).
    reconnect_max_wait: float = Field(
        default=30.0, gt=0, validation_alias="QUEUE_RECONNECT_MAX_WAIT"
    )
    #: Where job batches live: ``database`` (the ``job_batches`` table) or ``redis``.
    batching: Literal["database", "redis"] = Field(
        default="database", validation_alias="QUEUE_BATCHING"
    )
    #: The most jobs a database worker reserves in one round trip. It takes fewer when its jobs
    #: are slow (about a quarter second of work at a time, never more than it may hold before
    #: ``retry_after`` is at risk); ``1`` reserves one job at a time.
    prefetch: int = Field(default=32, ge=1, le=1000, validation_alias="QUEUE_PREFETCH")
    #: Days a failed job is kept by ``queue:prune-failed``.
    prune_failed_hours: int = Field(default=24 * 7, gt=0, validation_alias="QUEUE_PRUNE_HOURS")
    #: Where job metrics and worker heartbeats live: ``redis``, ``database`` (the
    #: ``job_metrics`` and ``queue_workers`` tables), ``off``, or ``auto``: Redis when the app
    #: uses it (the default queue connection's driver or ``CACHE_STORE`` is ``redis``), else
    #: the database.
    metrics_store: Literal["auto", "redis", "database", "off"] = Field(
        default="auto", validation_alias="QUEUE_METRICS_STORE"
    )
    #: Hours a minute of job metrics is kept (7 days: "failed in the last 7 days" needs them).
    metrics_retention_hours: float = Field(
        default=24 * 7, gt=0, validation_alias="QUEUE_METRICS_RETENTION_HOURS"
    )
    #: Seconds a worker adds up metrics in memory before it writes them (and when it stops).
    metrics_flush_seconds: float = Field(
        default=5.0, ge=0, validation_alias="QUEUE_METRICS_FLUSH_SECONDS"
    )
    #: Minutes a completed job stays listed (the dashboard's Completed tab), as Horizon's
    #: ``trim.completed``: each write drops older ones.
    completed_retention_minutes: float = Field(
        default=60.0, gt=0, validation_alias="QUEUE_COMPLETED_RETENTION_MINUTES"
    )
    #: The most completed jobs kept per store (each write trims to it); ``0`` records none.
    completed_max: int = Field(default=100_000, ge=0, validation_alias="QUEUE_COMPLETED_MAX")
    #: Seconds a worker holds completed jobs in memory before it writes them (it also writes
    #: them when it goes idle and when it stops).
    completed_flush_seconds: float = Field(
        default=2.0, ge=0, validation_alias="QUEUE_COMPLETED_FLUSH_SECONDS"
    )
    #: Seconds between two heartbeats of a worker.
    worker_heartbeat_seconds: float = Field(
        default=5.0, gt=0, validation_alias="QUEUE_WORKER_HEARTBEAT_SECONDS"
    )
    #: A worker whose last heartbeat is older than this many seconds is gone (dead or hung).
    worker_gone_after: float = Field(default=30.0, gt=0, validation_alias="QUEUE_WORKER_GONE_AFTER")
    #: ``queue:health`` fails when a queue's oldest waiting job has waited longer than this.
    health_stuck_after: float = Field(
        default=300.0, gt=0, validation_alias="QUEUE_HEALTH_STUCK_AFTER"
    )

    def all_connections(self) -> dict[str, ConnectionConfig]:
        """The built-in connections (sync, database, redis, memory) plus the configured ones."""
        built_in = {
            "sync": ConnectionConfig(driver="sync"),
            "database": ConnectionConfig(driver="database", retry_after=self.retry_after),
            "redis": ConnectionConfig(driver="redis", retry_after=self.retry_after),
            "memory": ConnectionConfig(driver="memory", retry_after=self.retry_after),
        }
        return {**built_in, **self.connections}


SETTINGS = QueueSettings
