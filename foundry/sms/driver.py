"""``SmsDriver``: the base every SMS driver shares (log, array, twilio, and your own).

A driver checks the recipient and the text at once, so a malformed number raises in the caller
before anything is sent; delivery then waits for the current unit of work to commit (dropped on
rollback), like mail and events, so no one gets a text about a row that was never saved.
"""

from __future__ import annotations

from abc import ABC, abstractmethod

from foundry.config.sms import SmsSettings
from foundry.database.transactions import defer_until_commit
from foundry.database.types import utcnow
from foundry.sms.errors import InvalidPhoneNumberError
from foundry.sms.message import MAX_LENGTH, SentSms, SmsMessage
from foundry.sms.phone import check_e164

__all__ = ["SmsDriver"]


class SmsDriver(ABC):
    """One named way of delivering text messages; drivers implement :meth:`deliver`."""

    def __init__(self, name: str, settings: SmsSettings) -> None:
        """Create the driver.

        Args:
            name: the name the manager knows it by (``twilio``), recorded on each sent message.
            settings: the ``SMS_*`` and ``TWILIO_*`` settings.
        """
        self.name = name
        self.settings = settings

    @property
    def default_from(self) -> str | None:
        """The sender of messages that name none (``TWILIO_FROM``)."""
        return self.settings.twilio_from

    @abstractmethod
    async def deliver(self, sms: SentSms) -> str | None:
        """Hand ``sms`` to the back end; returns the provider's id for it, if it gives one."""

    def build(self, to: str, message: SmsMessage | str) -> SentSms:
        """Check ``to`` and the text and make the record of the message to send.

        Raises:
            InvalidPhoneNumberError: ``to`` is not an E.164 number, or the text is empty or
                longer than :data:`~foundry.sms.message.MAX_LENGTH`.
        """
        if isinstance(message, str):
            message = SmsMessage(message)
        if not message.content.strip():
            raise InvalidPhoneNumberError("an SMS needs some content")
        if len(message.content) > MAX_LENGTH:
            raise InvalidPhoneNumberError(
                f"an SMS holds at most {MAX_LENGTH} characters, not {len(message.content)}"
            )
        return SentSms(
            to=check_e164(to),
            content=message.content,
            from_=message.from_ or self.default_from,
            driver=self.name,
            sent_at=utcnow(),
        )

    async def send(
        self, to: str, message: SmsMessage | str, *, after_commit: bool = True
    ) -> SentSms:
        """Check the message now and deliver it, after commit when a unit of work is open.

        Args:
            to: the recipient, in E.164 form (``+14155550123``).
            message: the text, or an :class:`SmsMessage` naming its sender too.
            after_commit: when the current scope's session has an open transaction, hold the
                delivery until it commits and drop it on rollback. ``False`` delivers at once.

        Returns:
            What was sent (with the provider's id when delivered now), or what is held for the
            commit.

        Raises:
            InvalidPhoneNumberError: a malformed number or an empty message.
            SmsTransportError: the provider refused the message (only when delivered now).
        """
        sms = self.build(to, message)
        if after_commit and defer_until_commit(lambda: self._deliver(sms)):
            return sms
        return await self._deliver(sms)

    async def _deliver(self, sms: SentSms) -> SentSms:
        provider_id = await self.deliver(sms)
        sent = sms if provider_id is None else _with_id(sms, provider_id)
        await self.delivered(sent)
        return sent

    async def delivered(self, sent: SentSms) -> None:
        """Called after each successful delivery; drivers that keep messages override it."""

    async def aclose(self) -> None:
        """Release what the driver holds (an HTTP client); called on shutdown."""

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.name!r}>"


def _with_id(sms: SentSms, provider_id: str) -> SentSms:
    return SentSms(sms.to, sms.content, sms.from_, sms.driver, sms.sent_at, provider_id)
