"""Pausing and continuing a queue: ``queue:pause`` / ``queue:continue`` (as Laravel 11 does).

The pause lives in the cache store, one key per connection and queue
(``queue:paused:<connection>:<queue>``), so every worker on every host sees it; ``--ttl`` makes
the key expire and the queue continue by itself. Workers read the keys of their own queues in
one ``many`` call at most once a second: the database worker does not reserve from a paused
queue, the rq worker leaves its rq queues out of its pops. Jobs keep being pushed and wait.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from foundry.queue.manager import QueueManager, check_queue_name

__all__ = [
    "PAUSED_PREFIX",
    "continue_queue",
    "is_paused",
    "parse_queue_target",
    "pause_key",
    "pause_queue",
    "paused_queues",
]

#: Prefix of the cache keys that mark a paused queue.
PAUSED_PREFIX = "queue:paused:"


def pause_key(connection: str, queue: str) -> str:
    """The cache key marking ``connection``'s ``queue`` as paused."""
    return f"{PAUSED_PREFIX}{connection}:{queue}"


def parse_queue_target(manager: QueueManager, target: str) -> tuple[str, str]:
    """``"[connection:]queue"`` as ``(connection, queue)``, split at the first ``:`` as Laravel does.

    Without a connection, ``QUEUE_CONNECTION``. Raises :class:`UnknownConnectionError` for a
    connection that is not defined and :class:`UnknownQueueError` for a malformed queue name.
    """
    connection, colon, queue = target.partition(":")
    if not colon:
        connection, queue = manager.default_connection, target
    manager.connection_config(connection)  # raises UnknownConnectionError
    check_queue_name(queue)
    return connection, queue


async def pause_queue(
    manager: QueueManager, connection: str, queue: str, ttl: float | None = None
) -> None:
    """Pause ``connection``'s ``queue`` on every worker (for ``ttl`` seconds, or until continued)."""
    store = manager.cache().store()
    if ttl is None:
        await store.forever(pause_key(connection, queue), True)
    else:
        await store.put(pause_key(connection, queue), True, ttl)


async def continue_queue(manager: QueueManager, connection: str, queue: str) -> None:
    """Let the workers take jobs from ``connection``'s ``queue`` again."""
    await manager.cache().store().forget(pause_key(connection, queue))


async def is_paused(manager: QueueManager, connection: str, queue: str) -> bool:
    """Whether ``connection``'s ``queue`` is paused now."""
    return bool(await manager.cache().store().get(pause_key(connection, queue)))


async def paused_queues(manager: QueueManager, connection: str, queues: Iterable[str]) -> set[str]:
    """Which of ``connection``'s ``queues`` are paused now (one cache round trip)."""
    names: Sequence[str] = list(dict.fromkeys(queues))
    if not names:
        return set()
    found = await manager.cache().store().many([pause_key(connection, q) for q in names])
    return {q for q in names if found.get(pause_key(connection, q))}
