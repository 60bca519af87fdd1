"""``queue:monitor``: compare queue sizes with thresholds and fire ``QueueBusy`` (Laravel's)."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

from foundry.queue.events import QueueBusy
from foundry.queue.manager import QueueManager

__all__ = ["MonitorTarget", "QueueLoad", "monitor", "parse_target"]


@dataclass(frozen=True, slots=True)
class MonitorTarget:
    """A queue to watch and the size at which it is busy."""

    connection: str | None
    queue: str
    max: int


@dataclass(frozen=True, slots=True)
class QueueLoad:
    """A watched queue's size now, and whether it reached its threshold."""

    connection: str
    queue: str
    size: int
    max: int
    busy: bool

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready fields."""
        return asdict(self)


def parse_target(text: str, default_max: int, connections: set[str]) -> MonitorTarget:
    """Read ``[connection:]queue[:max]`` (``default:100``, ``redis:emails:50``, ``emails``).

    Queue names may contain ``:``, so a leading part is a connection only when a connection has
    that name, and a trailing part is the threshold only when it is a number.

    Raises:
        ValueError: the text names no queue, or its threshold is below 1.
    """
    parts = text.split(":")
    limit = default_max
    if len(parts) > 1 and parts[-1].isdigit():
        limit = int(parts.pop())
    connection = None
    if len(parts) > 1 and parts[0] in connections:
        connection = parts.pop(0)
    queue = ":".join(parts)
    if not queue:
        raise ValueError(f"{text!r} names no queue: use [connection:]queue[:max]")
    if limit < 1:
        raise ValueError(f"{text!r}: the threshold must be at least 1")
    return MonitorTarget(connection, queue, limit)


async def monitor(manager: QueueManager, targets: list[MonitorTarget]) -> list[QueueLoad]:
    """Each target's size (waiting and delayed jobs); fires :class:`QueueBusy` for every queue
    at or over its threshold, as Laravel's ``queue:monitor`` does."""
    loads = []
    for target in targets:
        driver = manager.connection(target.connection)
        size = await manager.size(target.queue, driver.name)
        load = QueueLoad(driver.name, target.queue, size, target.max, size >= target.max)
        if load.busy:
            await manager.fire(QueueBusy(driver.name, target.queue, size, target.max))
        loads.append(load)
    return loads
