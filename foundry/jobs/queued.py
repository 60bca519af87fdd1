"""``queue_marked``: dispatch a job where a ``ShouldQueue`` marker (a listener class, a mailable)
says. The jobs that carry listeners and mailables live with them (``foundry.events.listeners``,
``foundry.mail.queued``)."""

from __future__ import annotations

from foundry.jobs.contracts import ShouldQueue
from foundry.jobs.job import Job

__all__ = ["queue_marked"]


async def queue_marked(job: Job, marker: object) -> str | None:
    """Dispatch ``job`` where the ``ShouldQueue`` ``marker`` says."""
    pending = job.pending()
    if isinstance(marker, ShouldQueue) or (
        isinstance(marker, type) and issubclass(marker, ShouldQueue)
    ):
        if marker.connection:
            pending.on_connection(marker.connection)
        if marker.queue:
            pending.on_queue(marker.queue)
        if marker.delay:
            pending.delay_until(marker.delay)
    return await pending.dispatch()
