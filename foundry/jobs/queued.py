"""Jobs that carry queued listeners and queued mailables to a worker."""

from __future__ import annotations

from typing import Any

from foundry.jobs.contracts import ShouldQueue
from foundry.jobs.job import Job
from foundry.jobs.serialization import class_path, import_class
from foundry.kernel.container import Container

__all__ = ["CallQueuedListener", "SendQueuedMailable", "queue_marked"]


class CallQueuedListener(Job):
    """Runs a ``ShouldQueue`` listener class's ``handle(event)`` on a worker."""

    def __init__(self, listener: str, event: object) -> None:
        self.listener = listener
        self.event = event

    def display_name(self) -> str:
        """The listener's name."""
        return self.listener

    async def handle(self, container: Container) -> None:
        """Build the listener through the job's container scope and call it."""
        from foundry.events.listeners import invoke_listener

        listener = import_class(self.listener)
        await invoke_listener(listener, self.event, container, queued=True)


class SendQueuedMailable(Job):
    """Sends a mailable on a worker (``Mail.queue`` and ``ShouldQueue`` mailables)."""

    def __init__(self, mailer: str | None, mailable: object) -> None:
        self.mailer = mailer
        self.mailable_class = class_path(type(mailable))
        # The mailable's whole state, recipients and attachments included.
        self.state: dict[str, Any] = dict(vars(mailable))

    def display_name(self) -> str:
        """The mailable's name."""
        return self.mailable_class

    async def handle(self, container: Container) -> None:
        """Rebuild the mailable and send it now."""
        from foundry.mail.mailable import Mailable
        from foundry.mail.manager import MailManager

        cls = import_class(self.mailable_class)
        mailable = object.__new__(cls)
        mailable.__dict__.update(self.state)
        if not isinstance(mailable, Mailable):
            raise TypeError(f"{self.mailable_class} is not a Mailable")
        await container.make(MailManager).mailer(self.mailer).send(
            mailable, after_commit=False, now=True
        )


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
