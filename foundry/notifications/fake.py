"""``Notification.fake()``: a sender that records notifications instead of delivering them."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any, TypeVar

from sqlalchemy import inspect as sa_inspect

from foundry.notifications.anonymous import AnonymousNotifiable
from foundry.notifications.notification import Notification, Routable
from foundry.notifications.sender import NotificationSender, as_notifiables

__all__ = ["NotificationFake", "RecordedNotification"]

N = TypeVar("N", bound=Notification)


@dataclass(frozen=True)
class RecordedNotification:
    """One notification sent to one notifiable, and the channels it would have gone out on."""

    notifiable: Any
    notification: Notification
    channels: tuple[str, ...]


def _same(a: object, b: object) -> bool:
    """Whether two notifiables are the same: one row for models, identity otherwise."""
    if a is b:
        return True
    state_a: Any = sa_inspect(a, raiseerr=False)
    state_b: Any = sa_inspect(b, raiseerr=False)
    if getattr(state_a, "mapper", None) is None or getattr(state_b, "mapper", None) is None:
        return a == b
    return bool(
        state_a.mapper.local_table is state_b.mapper.local_table
        and state_a.identity is not None
        and state_a.identity == state_b.identity
    )


class NotificationFake(NotificationSender, fake_of=NotificationSender):
    """Records every notification (queued or not) with the channels ``via`` and
    ``should_send`` chose; nothing is delivered or queued."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        #: Every recorded notification, oldest first.
        self.recorded: list[RecordedNotification] = []

    async def send(
        self, notifiables: Routable | Iterable[Routable], notification: Notification
    ) -> None:
        """Record instead of sending."""
        await self.send_now(notifiables, notification)

    async def send_now(
        self,
        notifiables: Routable | Iterable[Routable],
        notification: Notification,
        channels: list[str] | None = None,
    ) -> None:
        """Record instead of sending."""
        for notifiable in as_notifiables(notifiables):
            names = channels if channels is not None else notification.via(notifiable)
            chosen = tuple(name for name in names if notification.should_send(notifiable, name))
            if chosen:
                self.recorded.append(RecordedNotification(notifiable, notification, chosen))

    # -- inspection ---------------------------------------------------------------------------

    def sent(
        self,
        notifiable: object,
        notification: type[N],
        predicate: Callable[[N], bool] | None = None,
    ) -> list[N]:
        """The ``notification`` instances sent to ``notifiable`` that match ``predicate``."""
        return [
            record.notification
            for record in self.recorded
            if isinstance(record.notification, notification)
            and _same(record.notifiable, notifiable)
            and (predicate is None or predicate(record.notification))
        ]

    def channels_for(self, notifiable: object, notification: type[Notification]) -> list[str]:
        """Every channel ``notification`` went out on to ``notifiable``."""
        return [
            channel
            for record in self.recorded
            if isinstance(record.notification, notification)
            and _same(record.notifiable, notifiable)
            for channel in record.channels
        ]

    # -- assertions ---------------------------------------------------------------------------

    def assert_sent_to(
        self,
        notifiable: object,
        notification: type[N],
        predicate: Callable[[N], bool] | None = None,
        *,
        channels: Iterable[str] | None = None,
    ) -> None:
        """``notification`` was sent to ``notifiable`` (matching ``predicate``, and on at least
        ``channels`` when given)."""
        found = self.sent(notifiable, notification, predicate)
        assert (
            found
        ), f"{notification.__qualname__} was not sent to {notifiable!r}; sent: {self._summary()}"
        if channels is not None:
            missing = set(channels) - set(self.channels_for(notifiable, notification))
            assert (
                not missing
            ), f"{notification.__qualname__} was not sent on {sorted(missing)} to {notifiable!r}"

    def assert_not_sent_to(
        self,
        notifiable: object,
        notification: type[N],
        predicate: Callable[[N], bool] | None = None,
    ) -> None:
        """No matching ``notification`` was sent to ``notifiable``."""
        found = self.sent(notifiable, notification, predicate)
        assert not found, f"{notification.__qualname__} was sent to {notifiable!r} unexpectedly"

    def assert_sent_on_demand(
        self,
        notification: type[N],
        predicate: Callable[[N, AnonymousNotifiable], bool] | None = None,
    ) -> None:
        """``notification`` was sent to on-demand routes (``Notification.route(...)``)."""
        found = [
            record
            for record in self.recorded
            if isinstance(record.notification, notification)
            and isinstance(record.notifiable, AnonymousNotifiable)
            and (predicate is None or predicate(record.notification, record.notifiable))
        ]
        assert found, f"{notification.__qualname__} was not sent on demand; sent: {self._summary()}"

    def assert_count(self, count: int) -> None:
        """Exactly ``count`` notifications were sent (one per notifiable)."""
        assert (
            len(self.recorded) == count
        ), f"expected {count} notifications sent, got {len(self.recorded)}: {self._summary()}"

    def assert_nothing_sent(self) -> None:
        """No notification was sent."""
        assert not self.recorded, f"notifications were sent: {self._summary()}"

    def _summary(self) -> str:
        if not self.recorded:
            return "none"
        return ", ".join(
            f"{type(r.notification).__qualname__} -> {r.notifiable!r} via {list(r.channels)}"
            for r in self.recorded[:5]
        ) + (" ..." if len(self.recorded) > 5 else "")
