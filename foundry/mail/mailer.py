"""``Mailer``: the base every mail driver shares (smtp, log, array, and your own).

A mailer builds the message at once, so a malformed address or a broken template raises in the
caller, before anything is sent; delivery then waits for the current unit of work to commit
(dropped on rollback), like events, so no one is mailed about a row that was never saved.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from email.message import EmailMessage

from foundry.database.transactions import defer_until_commit
from foundry.jobs.contracts import ShouldQueue
from foundry.jobs.queued import queue_marked
from foundry.mail.address import AddressLike
from foundry.mail.mailable import Mailable
from foundry.mail.message import Envelope, MessageBuilder, SentMessage
from foundry.mail.queued import SendQueuedMailable

__all__ = ["Mailer", "PendingMail"]


class Mailer(ABC):
    """One named way of delivering messages; drivers implement :meth:`deliver`."""

    def __init__(self, name: str, builder: MessageBuilder) -> None:
        """Create the mailer.

        Args:
            name: the name the manager knows it by (``smtp``), recorded on each sent message.
            builder: turns mailables into messages (settings, templates, address validation).
        """
        self.name = name
        self.builder = builder

    @abstractmethod
    async def deliver(self, message: EmailMessage, envelope: Envelope) -> None:
        """Hand ``message`` to the back end, for ``envelope.recipients`` only."""

    async def send(
        self, mailable: Mailable, *, after_commit: bool = True, now: bool = False
    ) -> SentMessage:
        """Build ``mailable`` now and deliver it, after commit when a unit of work is open.

        Args:
            mailable: the email; its recipients must already be set (or use :meth:`to`).
            after_commit: when the current scope's session has an open transaction, hold the
                delivery until it commits and drop it on rollback. ``False`` delivers at once.

        Returns:
            What was built (delivered already, or held for the commit).

        Raises:
            InvalidAddressError: a malformed address, or no recipients.
            MailTemplateError: a missing template, or one that fails to render.
            MailTransportError: the server refused the message (only when delivered now).
        """
        message, envelope = self.builder.build(mailable)
        sent = SentMessage(mailable, message, envelope, self.name)
        if isinstance(mailable, ShouldQueue) and not now:
            # Built above so a bad address fails here; a worker delivers it.
            await self.queue(mailable)
            return sent
        if after_commit and defer_until_commit(lambda: self._deliver(sent)):
            return sent
        await self._deliver(sent)
        return sent

    async def queue(self, mailable: Mailable) -> str | None:
        """Send ``mailable`` from a queue worker (``Mail.queue``); returns the job id.

        The dispatch waits for the current unit of work to commit, like a direct send.
        """
        job = SendQueuedMailable(self.name, mailable)
        job.dispatch_after_commit = True
        return await queue_marked(job, mailable)

    async def _deliver(self, sent: SentMessage) -> None:
        await self.deliver(sent.message, sent.envelope)
        await self.delivered(sent)

    async def delivered(self, sent: SentMessage) -> None:
        """Called after each successful delivery; drivers that keep messages override it."""

    def to(self, address: AddressLike, name: str | None = None) -> PendingMail:
        """Start a message to ``address``: ``await mailer.to("a@x.test").send(mailable)``."""
        return PendingMail(self).to(address, name)

    def cc(self, address: AddressLike, name: str | None = None) -> PendingMail:
        """Start a message with ``address`` in copy."""
        return PendingMail(self).cc(address, name)

    def bcc(self, address: AddressLike, name: str | None = None) -> PendingMail:
        """Start a message with ``address`` in blind copy."""
        return PendingMail(self).bcc(address, name)

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.name!r}>"


class PendingMail:
    """Recipients gathered before a mailable is chosen (Laravel's ``Mail::to(...)``)."""

    def __init__(self, mailer: Mailer) -> None:
        self.mailer = mailer
        self._to: list[tuple[AddressLike, str | None]] = []
        self._cc: list[tuple[AddressLike, str | None]] = []
        self._bcc: list[tuple[AddressLike, str | None]] = []

    def to(self, address: AddressLike, name: str | None = None) -> PendingMail:
        """Add a ``To`` recipient."""
        self._to.append((address, name))
        return self

    def cc(self, address: AddressLike, name: str | None = None) -> PendingMail:
        """Add a ``Cc`` recipient."""
        self._cc.append((address, name))
        return self

    def bcc(self, address: AddressLike, name: str | None = None) -> PendingMail:
        """Add a blind copy."""
        self._bcc.append((address, name))
        return self

    async def send(
        self, mailable: Mailable, *, after_commit: bool = True, now: bool = False
    ) -> SentMessage:
        """Add the gathered recipients to ``mailable`` and send it (see :meth:`Mailer.send`)."""
        mailable.parts.to.extend(self._to)
        mailable.parts.cc.extend(self._cc)
        mailable.parts.bcc.extend(self._bcc)
        return await self.mailer.send(mailable, after_commit=after_commit)

    async def queue(self, mailable: Mailable) -> str | None:
        """Add the gathered recipients to ``mailable`` and queue it (see :meth:`Mailer.queue`)."""
        mailable.parts.to.extend(self._to)
        mailable.parts.cc.extend(self._cc)
        mailable.parts.bcc.extend(self._bcc)
        return await self.mailer.queue(mailable)
