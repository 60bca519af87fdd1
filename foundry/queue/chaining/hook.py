"""``ChainHook``: the lifecycle hook that moves chains along.

- ``succeeded`` (before the finished link leaves its queue) pushes the next link, with the
  links a :class:`ChainableJob` added. On the database driver the push and the deletion of the
  finished link are one transaction, so a worker that dies in between leaves either the
  finished link (run again) or the next one, never both. Elsewhere (Redis) the push comes first:
  a worker dying between the push and rq's acknowledgement runs the finished link again, and
  that run pushes the next link a second time (same job id).
- A :class:`~foundry.queue.chaining.nested.NestedLink` (a batch as a link) gets the rest of the
  chain instead: its batch keeps it and queues the next link when it is done.
- ``failed`` (after the link is in ``failed_jobs``) queues the chain's catch callbacks with a
  :class:`ChainFailure`; the rest of the chain is dropped with the failed link.
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING, Any

from foundry.database.types import uuid7
from foundry.jobs.errors import JobAuthorizationError, JobConfigurationError, PayloadError
from foundry.jobs.payload import dumps
from foundry.jobs.serialization import encode_value
from foundry.queue.chaining.chainable import ChainableJob
from foundry.queue.chaining.links import announce, link_payload, prepare_push, push
from foundry.queue.chaining.nested import NestedLink
from foundry.queue.chaining.state import CHAIN_KEY, ChainFailure, ChainState
from foundry.queue.drivers.base import QueueDriver
from foundry.queue.drivers.database import DatabaseDriver
from foundry.queue.errors import UnknownConnectionError, UnknownQueueError
from foundry.queue.failed import describe_exception
from foundry.queue.lifecycle import JobRun

#: What building an added link raises for a job that cannot be queued as it is.
_REFUSED_LINK = (
    JobAuthorizationError,
    JobConfigurationError,
    UnknownConnectionError,
    UnknownQueueError,
)

if TYPE_CHECKING:
    from foundry.queue.manager import QueueManager

__all__ = ["ChainHook"]


class ChainHook:
    """Registered on the queue manager by the queue provider."""

    def __init__(self, manager: QueueManager) -> None:
        self.manager = manager

    async def succeeded(self, run: JobRun) -> None:
        """Push the next link, if there is one."""
        if run.payload is None:
            return
        state = ChainState.of(run.payload)  # the runner checked the signature before handle
        try:
            links = await self._links(run, state)
        except _REFUSED_LINK as exc:
            await self._fail_link(run, exc)
            return
        if isinstance(run.job, NestedLink) and state is not None:
            # A batch holds the rest of the chain and queues the next link when it is done.
            await run.job.start(self.manager, state, links)
            return
        if not links:
            return
        if state is None:  # a lone ChainableJob started a chain
            state = ChainState(str(uuid7()), None)
        ready = prepare_push(self.manager, links[0], state.advanced(links))
        if _same_database(run.driver, ready.driver):
            assert isinstance(ready.driver, DatabaseDriver)
            # The runner's own delete that follows finds nothing left to delete.
            await ready.driver.hand_over(ready.item, run.reserved)
            await announce(self.manager, ready)
        else:
            await push(self.manager, ready)

    async def _links(self, run: JobRun, state: ChainState | None) -> list[dict[str, Any]]:
        links = list(state.links) if state else []
        job = run.job
        if not isinstance(job, ChainableJob) or not job.chain_changes():
            return links
        changes = job.chain_changes()
        connection = state.connection if state else None
        queue = state.queue if state else None
        for added in changes.prepended:
            links.insert(0, await link_payload(self.manager, added, connection, queue))
        for added in changes.appended:
            links.append(await link_payload(self.manager, added, connection, queue))
        return links

    async def _fail_link(self, run: JobRun, exc: Exception) -> None:
        # A link handle added cannot be queued (a bad queue name, a timeout over retry_after):
        # the chain cannot go on, so the link is recorded as failed and the chain's catch
        # callbacks run, instead of the worker stopping on it at every delivery.
        assert run.payload is not None
        reason = JobConfigurationError(f"a job added to the chain cannot be queued: {exc}")
        await self.manager.failed_store().log(
            uuid=str(run.payload["uuid"]),
            connection=run.reserved.connection,
            queue=run.reserved.queue,
            payload=dumps(run.payload),
            exception=describe_exception(reason),
        )
        await self.failed(replace(run, exception=reason))

    async def released(self, run: JobRun, delay: float) -> None:
        """Nothing to do: the link runs again."""

    async def failed(self, run: JobRun) -> None:
        """Queue the catch callbacks of the failed link's chain."""
        payload = run.payload
        if payload is None or CHAIN_KEY not in payload:
            return
        signer = self.manager.signer()
        try:
            # A payload refused as tampered reaches here unchecked: its chain is not ours to run.
            if signer is None:
                return
            signer.verify(payload)
            state = ChainState.of(payload)
        except PayloadError:
            return
        if state is None or not state.catch:
            return
        failure = ChainFailure(
            chain_id=state.id,
            chain_name=state.name,
            link_index=state.index,
            job_name=run.job_name,
            job_id=str(payload["uuid"]),
            exception=_describe(run.exception),
        )
        data = {"chain_failure": encode_value(failure)}
        for callback in state.catch:
            await push(self.manager, prepare_push(self.manager, callback, None, data=data))


def _describe(exc: BaseException | None) -> str:
    if exc is None:
        return "unknown error"
    return f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__


def _same_database(finished: QueueDriver, target: QueueDriver) -> bool:
    return (
        isinstance(finished, DatabaseDriver)
        and isinstance(target, DatabaseDriver)
        and finished.database is target.database
    )
