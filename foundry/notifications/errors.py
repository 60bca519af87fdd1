"""What the notifications battery raises."""

from __future__ import annotations

__all__ = ["NotificationError", "UnknownChannelError"]


class NotificationError(Exception):
    """A notification cannot be delivered as written (a missing ``to_<channel>`` method...)."""


class UnknownChannelError(NotificationError, LookupError):
    """``via`` names a channel no one registered."""
