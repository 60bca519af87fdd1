"""Factor services that can work in another session than their container scope's."""

from __future__ import annotations

import copy
from typing import Self

from sqlalchemy.ext.asyncio import AsyncSession

__all__ = ["InSession"]


class InSession:
    """A service holding ``session``; :meth:`using` gives it another one without rebuilding it.

    The login flow verifies a factor inside its own transaction, not the request's.
    """

    session: AsyncSession

    def using(self, session: AsyncSession) -> Self:
        """This service working in ``session`` (the flow's, when it is not the scope's)."""
        if session is self.session:
            return self
        other = copy.copy(self)
        other.session = session
        return other
