"""``Mail.fake()``: a manager whose every mailer records messages instead of sending them."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from typing import TypeVar

from foundry.config.app import AppSettings
from foundry.config.mail import MailSettings
from foundry.kernel.drivers import DriverRegistry
from foundry.mail.array_mailer import ArrayMailer
from foundry.mail.mailable import Mailable
from foundry.mail.mailer import Mailer
from foundry.mail.manager import BUILT_IN_MAILERS, MailerFactory, MailManager
from foundry.mail.message import SentMessage

__all__ = ["MailFake"]

M = TypeVar("M", bound=Mailable)

#: How many recorded mailables an assertion message quotes before it abbreviates.
_QUOTED = 5


class MailFake(MailManager, fake_of=MailManager):
    """Every mailer name (known or not) is an ``array`` mailer sharing one list.

    Messages are still built, so bad addresses and broken templates fail the test, and they
    follow the transaction rule: a mail sent inside a transaction is recorded when it commits
    and never if it rolls back.
    """

    def __init__(self, settings: MailSettings, app: AppSettings) -> None:
        super().__init__(settings, app)
        #: Every message recorded so far, across mailers, oldest first.
        self.messages: list[SentMessage] = []
        self._mailers = DriverRegistry(
            self,
            kind="mailer",
            built_in=dict.fromkeys(BUILT_IN_MAILERS, self._recording),
            default=lambda: self.settings.mailer,
            fallback=self._recording,
        )

    def _recording(self, manager: MailManager, name: str) -> Mailer:
        return ArrayMailer(name, self.builder, self.messages)

    def extend(self, name: str, factory: MailerFactory) -> None:
        """Ignored: the fake records for every mailer name, so a test never sends real mail."""

    # -- inspection ---------------------------------------------------------------------------

    def sent(self, mailable: type[M], predicate: Callable[[M], bool] | None = None) -> list[M]:
        """The sent ``mailable`` instances (subclasses included) matching ``predicate``."""
        found = [sent.mailable for sent in self.messages if isinstance(sent.mailable, mailable)]
        if predicate is not None:
            found = [item for item in found if predicate(item)]
        return found

    def sent_messages(self, mailable: type[Mailable] = Mailable) -> list[SentMessage]:
        """What was built for each sent ``mailable``: headers, bodies, envelope and mailer."""
        return [sent for sent in self.messages if isinstance(sent.mailable, mailable)]

    def has_sent(self, mailable: type[Mailable]) -> bool:
        """Whether any ``mailable`` was sent."""
        return bool(self.sent(mailable))

    # -- assertions ---------------------------------------------------------------------------

    def assert_sent(self, mailable: type[M], predicate: Callable[[M], bool] | None = None) -> None:
        """Fail unless a ``mailable`` was sent (and, given ``predicate``, one matched it)."""
        candidates = self.sent(mailable)
        if not candidates:
            raise AssertionError(
                f"The expected {mailable.__qualname__} mailable was not sent. "
                f"Sent instead: {self._summary()}."
            )
        if predicate is not None and not any(predicate(candidate) for candidate in candidates):
            raise AssertionError(
                f"{mailable.__qualname__} was sent {_times(len(candidates))}, but none matched "
                f"the predicate. Sent: {_quote(candidates)}."
            )

    def assert_sent_times(self, mailable: type[Mailable], times: int) -> None:
        """Fail unless ``mailable`` was sent exactly ``times`` times."""
        count = len(self.sent(mailable))
        if count != times:
            raise AssertionError(
                f"The expected {mailable.__qualname__} mailable was sent {_times(count)} instead "
                f"of {_times(times)}. Sent: {self._summary()}."
            )

    def assert_not_sent(
        self, mailable: type[M], predicate: Callable[[M], bool] | None = None
    ) -> None:
        """Fail if a ``mailable`` was sent (given ``predicate``: one that matches it)."""
        offending = self.sent(mailable, predicate)
        if offending:
            which = "" if predicate is None else " matching the predicate"
            raise AssertionError(
                f"The unexpected {mailable.__qualname__} mailable{which} was sent "
                f"{_times(len(offending))}: {_quote(offending)}."
            )

    def assert_nothing_sent(self) -> None:
        """Fail if any mailable was sent."""
        if self.messages:
            raise AssertionError(f"Expected no mail to be sent, but got: {self._summary()}.")

    def _summary(self) -> str:
        if not self.messages:
            return "nothing"
        counts = Counter(type(sent.mailable).__qualname__ for sent in self.messages)
        return ", ".join(
            name if count == 1 else f"{name} (x{count})" for name, count in counts.items()
        )


def _times(count: int) -> str:
    return "once" if count == 1 else f"{count} times"


def _quote(mailables: Sequence[Mailable]) -> str:
    quoted = ", ".join(repr(mailable) for mailable in mailables[:_QUOTED])
    extra = len(mailables) - _QUOTED
    return quoted if extra <= 0 else f"{quoted} and {extra} more"
