"""``Sms.fake()``: a manager whose every driver records messages instead of sending them."""

from __future__ import annotations

from collections.abc import Callable

from foundry.config.sms import SmsSettings
from foundry.kernel.drivers import DriverRegistry
from foundry.sms.array_driver import ArrayDriver
from foundry.sms.driver import SmsDriver
from foundry.sms.manager import BUILT_IN_DRIVERS, SmsDriverFactory, SmsManager
from foundry.sms.message import SentSms

__all__ = ["SmsFake"]

#: How many recorded messages an assertion message quotes before it abbreviates.
_QUOTED = 5


class SmsFake(SmsManager, fake_of=SmsManager):
    """Every driver name (known or not) is an ``array`` driver sharing one list.

    Messages are still checked, so a malformed number fails the test, and they follow the
    transaction rule: a message sent inside a transaction is recorded when it commits and never
    if it rolls back.
    """

    def __init__(self, settings: SmsSettings) -> None:
        super().__init__(settings)
        #: Every message recorded so far, across drivers, oldest first.
        self.messages: list[SentSms] = []
        self._drivers = DriverRegistry(
            self,
            kind="SMS driver",
            built_in=dict.fromkeys(BUILT_IN_DRIVERS, self._recording),
            default=lambda: self.settings.driver,
            fallback=self._recording,
        )

    def _recording(self, manager: SmsManager, name: str) -> SmsDriver:
        return ArrayDriver(name, self.settings, self.messages)

    def extend(self, name: str, factory: SmsDriverFactory) -> None:
        """Ignored: the fake records for every driver name, so a test never sends a real SMS."""

    # -- inspection ---------------------------------------------------------------------------

    def sent(
        self, to: str | None = None, predicate: Callable[[SentSms], bool] | None = None
    ) -> list[SentSms]:
        """The messages sent (to ``to`` when given) matching ``predicate``, oldest first."""
        found = [sms for sms in self.messages if to is None or sms.to == to]
        return found if predicate is None else [sms for sms in found if predicate(sms)]

    def last_to(self, to: str) -> SentSms:
        """The latest message sent to ``to``.

        Raises:
            AssertionError: none was.
        """
        found = self.sent(to)
        if not found:
            raise AssertionError(f"No SMS was sent to {to}. Sent: {self._summary()}.")
        return found[-1]

    # -- assertions ---------------------------------------------------------------------------

    def assert_sent_to(self, to: str, predicate: Callable[[SentSms], bool] | None = None) -> None:
        """Fail unless a message went to ``to`` (and, given ``predicate``, one matched it)."""
        candidates = self.sent(to)
        if not candidates:
            raise AssertionError(f"No SMS was sent to {to}. Sent: {self._summary()}.")
        if predicate is not None and not any(predicate(sms) for sms in candidates):
            raise AssertionError(
                f"{len(candidates)} SMS sent to {to}, but none matched the predicate: "
                f"{_quote(candidates)}."
            )

    def assert_sent_times(self, times: int, to: str | None = None) -> None:
        """Fail unless exactly ``times`` messages were sent (to ``to`` when given)."""
        count = len(self.sent(to))
        if count != times:
            where = "" if to is None else f" to {to}"
            raise AssertionError(
                f"{count} SMS were sent{where} instead of {times}. Sent: {self._summary()}."
            )

    def assert_nothing_sent(self) -> None:
        """Fail if any message was sent."""
        if self.messages:
            raise AssertionError(f"Expected no SMS to be sent, but got: {self._summary()}.")

    def _summary(self) -> str:
        return _quote(self.messages) if self.messages else "nothing"


def _quote(messages: list[SentSms]) -> str:
    quoted = ", ".join(f"{sms.to}: {sms.content!r}" for sms in messages[:_QUOTED])
    extra = len(messages) - _QUOTED
    return quoted if extra <= 0 else f"{quoted} and {extra} more"
