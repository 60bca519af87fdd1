"""``SendQueuedMailable``: the job that carries a mailable to a worker (``Mail.queue`` and
``ShouldQueue`` mailables).

The worker finds the mailer through :class:`Mailers`, which the mail provider binds to the
``MailManager``; this module imports neither the manager nor the mailers.
"""

from __future__ import annotations

from typing import Any, Protocol

from foundry.jobs.job import Job
from foundry.jobs.serialization import class_path, import_class
from foundry.mail.mailable import Mailable

__all__ = ["MailSender", "Mailers", "SendQueuedMailable"]


class MailSender(Protocol):
    """What the job needs of a mailer."""

    async def send(
        self, mailable: Mailable, *, after_commit: bool = True, now: bool = False
    ) -> Any:
        """Build and deliver ``mailable``."""
        ...


class Mailers(Protocol):
    """What the job needs of the mail manager: a mailer by name."""

    def mailer(self, name: str | None = None) -> MailSender:
        """The mailer called ``name`` (default: ``MAIL_MAILER``)."""
        ...


class SendQueuedMailable(Job):
    """Sends a mailable on a worker."""

    def __init__(self, mailer: str | None, mailable: object) -> None:
        self.mailer = mailer
        self.mailable_class = class_path(type(mailable))
        # The mailable's whole state, recipients and attachments included.
        self.state: dict[str, Any] = dict(vars(mailable))

    def display_name(self) -> str:
        """The mailable's name."""
        return self.mailable_class

    async def handle(self, mailers: Mailers) -> None:
        """Rebuild the mailable and send it now."""
        cls = import_class(self.mailable_class)
        mailable = object.__new__(cls)
        mailable.__dict__.update(self.state)
        if not isinstance(mailable, Mailable):
            raise TypeError(f"{self.mailable_class} is not a Mailable")
        await mailers.mailer(self.mailer).send(mailable, after_commit=False, now=True)
