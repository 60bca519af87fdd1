"""``SendQueuedMailable``: the job that carries a mailable to a worker (``Mail.queue`` and
``ShouldQueue`` mailables).

The worker finds the mailer through :class:`Mailers`, which the mail provider binds to the
``MailManager``; this module imports neither the manager nor the mailers.
"""

from __future__ import annotations

from typing import Any, Protocol

from foundry.jobs.errors import UnsafeClassError
from foundry.jobs.job import Job
from foundry.jobs.serialization import class_path, import_class
from foundry.mail.mailable import Mailable

__all__ = ["MailSender", "Mailers", "SendQueuedMailable", "mailable_class"]


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


def mailable_class(path: str) -> type[Mailable]:
    """The :class:`Mailable` subclass at ``path``; :class:`UnsafeClassError` for any other class.

    The job rebuilds the mailable without calling its constructor, so a payload naming another
    class is refused before anything is made of it (payloads are signed too: a second lock).
    """
    cls = import_class(path)
    if not issubclass(cls, Mailable):
        raise UnsafeClassError(f"{path} is not a Mailable")
    return cls


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
        """Rebuild the mailable and send it now.

        A name that is not a Mailable fails the job at once (no retry: it would be refused
        again), with the reason in ``failed_jobs``; nothing is built or sent.
        """
        try:
            cls = mailable_class(self.mailable_class)
        except UnsafeClassError as exc:
            if self.context is None:  # run in-process (dispatch_now): nowhere to record it
                raise
            self.fail(exc)
            return
        mailable = object.__new__(cls)
        mailable.__dict__.update(self.state)
        await mailers.mailer(self.mailer).send(mailable, after_commit=False, now=True)
