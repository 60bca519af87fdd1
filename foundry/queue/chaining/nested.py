"""The extension point for links that are more than one job (a batch as a link).

``chain([...])`` turns any value with an ``as_chain_link()`` method (a ``PendingBatch``) into
the :class:`NestedLink` it returns. The chain hook does not queue the next link after a nested
link: it hands the nested link the rest of the chain (:meth:`NestedLink.start`), and the nested
link queues the next link itself once it is done. Chains know nothing of batches this way; the
batches package implements the link (``foundry.queue.batching.nesting.BatchLink``).
"""

from __future__ import annotations

from abc import abstractmethod
from typing import TYPE_CHECKING, Any, Protocol, runtime_checkable

from foundry.jobs.job import Job

if TYPE_CHECKING:
    from foundry.queue.chaining.state import ChainState
    from foundry.queue.manager import QueueManager

__all__ = ["ChainLinkSource", "NestedLink"]


@runtime_checkable
class ChainLinkSource(Protocol):
    """What ``chain([...])`` accepts besides jobs: it becomes one link."""

    def as_chain_link(self) -> NestedLink:
        """The link that runs this as one step of a chain."""
        ...


class NestedLink(Job):
    """A link that starts work of its own and moves the chain on when that work is done."""

    @abstractmethod
    async def prepare(self, manager: QueueManager) -> None:
        """Build what the link carries (signed payloads) when the chain is dispatched."""

    @abstractmethod
    async def start(
        self, manager: QueueManager, state: ChainState, links: list[dict[str, Any]]
    ) -> None:
        """Start the work, keeping ``state`` and the ``links`` still to run (``links[0]``
        next) to queue them once it is done. Called by the chain hook when the link
        succeeded; it may be called again for the same link (at-least-once delivery)."""

    async def handle(self) -> None:
        """Nothing here: :meth:`start` runs from the chain hook, which holds the chain."""
