"""Building and pushing links: each is its job's signed payload, made when it joins the chain.

A link's queue and connection are the job's own, else the chain's (``on_queue``/
``on_connection``), else the defaults, as in Laravel. The payload (and so the job id) is fixed
when the link is added, and the push of a link only adds the chain state and signs it again.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from foundry.jobs.errors import PayloadError
from foundry.jobs.job import Job
from foundry.jobs.payload import dumps, loads
from foundry.jobs.pending import DispatchOptions
from foundry.jobs.serialization import encode_value
from foundry.jobs.unique import ShouldBeUnique
from foundry.queue.chaining.state import CHAIN_KEY, ChainState
from foundry.queue.drivers.base import PushItem, QueueDriver
from foundry.queue.events import JobQueued

if TYPE_CHECKING:
    from foundry.jobs.signing import PayloadSigner
    from foundry.queue.manager import QueueManager

__all__ = [
    "LinkPush",
    "announce",
    "check_link",
    "link_options",
    "link_payload",
    "prepare_push",
    "push",
]


def check_link(job: object) -> Job:
    """``job`` if it can be a link; a clear :class:`TypeError` if not.

    The fields are encoded here so that a job that cannot be stored is refused where it is
    added (at dispatch, or in ``append_to_chain`` inside ``handle``), not when it is pushed.
    """
    if not isinstance(job, Job):
        if isinstance(job, type):
            raise TypeError(
                f"every link of a chain must be a Job instance, not {job.__qualname__}: "
                f"write {job.__qualname__}(...)"
            )
        raise TypeError(
            f"every link of a chain must be a Job instance, not {type(job).__qualname__} "
            f"({job!r})"
        )
    if isinstance(job, ShouldBeUnique):
        raise TypeError(
            f"{job.display_name()} is a ShouldBeUnique job, which cannot be a chain link: its "
            "lock is taken when it is dispatched on its own"
        )
    for value in job.fields().values():
        encode_value(value)
    return job


def link_options(job: Job, connection: str | None, queue: str | None) -> DispatchOptions:
    """The dispatch options of ``job`` in a chain on ``connection``/``queue``: its own win."""
    return DispatchOptions(connection=job.connection or connection, queue=job.queue or queue)


async def link_payload(
    manager: QueueManager, job: Job, connection: str | None, queue: str | None
) -> dict[str, Any]:
    """The signed payload of ``job`` as a link of a chain on ``connection``/``queue``."""
    options = link_options(job, connection, queue)
    # The manager's own preparation: queue and connection lookup, the timeout check against
    # retry_after, a secure job's permissions and the signed payload, exactly as a dispatch.
    _, item = await manager._prepare(job, options)  # same battery: a dispatch in all but the push
    return loads(item.payload)


@dataclass(frozen=True, slots=True)
class LinkPush:
    """A payload ready to push: the driver it goes to, and the item."""

    driver: QueueDriver
    item: PushItem
    display_name: str


def prepare_push(
    manager: QueueManager,
    link: dict[str, Any],
    state: ChainState | None,
    *,
    available_at: float | None = None,
    data: dict[str, Any] | None = None,
) -> LinkPush:
    """``link`` with ``state`` (and extra ``data`` fields) added, signed again, ready to push.

    The link's own signature is checked first: it was made by this app when the link was added.

    Raises:
        PayloadSignatureError: the link was not signed by this app.
    """
    signer: PayloadSigner | None = manager.signer()
    if signer is None:
        raise PayloadError("chained jobs are signed with the application key: set APP_KEY")
    signer.verify(link)
    payload = dict(link)
    if state is not None:
        payload[CHAIN_KEY] = state.to_payload()
    if data:
        payload["data"] = {**payload["data"], **data}
    payload["pushed_at"] = time.time()
    signer.sign(payload)
    driver = manager.connection(str(payload["connection"]))
    item = PushItem(
        str(payload["uuid"]),
        dumps(payload),
        str(payload["queue"]),
        available_at if available_at is not None else time.time(),
        int(payload.get("priority") or 0),
        payload.get("timeout"),
        payload.get("batch_id"),
    )
    return LinkPush(driver, item, str(payload.get("display_name") or payload["job"]))


async def push(manager: QueueManager, link: LinkPush) -> None:
    """Push ``link`` and tell listeners it was queued."""
    await link.driver.push(link.item)
    await announce(manager, link)


async def announce(manager: QueueManager, link: LinkPush) -> None:
    """Fire :class:`JobQueued` for a pushed link."""
    await manager.fire(
        JobQueued(link.driver.name, link.item.queue, link.item.uuid, link.display_name)
    )
