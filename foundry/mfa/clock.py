"""The MFA battery's clock: one place for tests to freeze time (``container.instance``)."""

from __future__ import annotations

import time

__all__ = ["MfaClock"]


class MfaClock:
    """Epoch seconds now; bound as a singleton. A test swaps in one whose ``now`` it sets."""

    def __init__(self, fixed: float | None = None) -> None:
        self.fixed = fixed

    def now(self) -> float:
        """The current time (the frozen one when ``fixed`` is set)."""
        return time.time() if self.fixed is None else self.fixed
