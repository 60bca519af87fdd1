"""``ShouldQueue``: mark a listener class or a mailable to run through the queue."""

from __future__ import annotations

__all__ = ["ShouldQueue"]


class ShouldQueue:
    """A marker: listeners and mailables inheriting it are queued instead of run inline.

    Class attributes pick where they go (``None``: the defaults).
    """

    #: The connection to queue on.
    connection: str | None = None
    #: The queue to queue on.
    queue: str | None = None
    #: Seconds to wait before the queued work becomes available.
    delay: float = 0
