"""``LogBatch``: the entries of one operation share a ``batch_uuid`` (Spatie's ``LogBatch``).

::

    async with LogBatch():
        await post.publish()                   # "updated" of the post
        await activity().log("Newsletter sent")
    # both entries carry the same batch_uuid: Activity.batch_uuid == ...

Nested batches join the outer one. The uuid lives in a context variable, so concurrent requests
never share a batch.
"""

from __future__ import annotations

import uuid
from contextvars import ContextVar, Token
from types import TracebackType

from foundry.database.types import uuid7

__all__ = ["LogBatch"]

_batch: ContextVar[uuid.UUID | None] = ContextVar("foundry_activity_batch", default=None)


class LogBatch:
    """A context manager (``with`` or ``async with``) grouping the entries written inside it."""

    __slots__ = ("_token", "uuid")

    def __init__(self) -> None:
        #: The batch's uuid, set on entering (the outer batch's when nested).
        self.uuid: uuid.UUID | None = None
        self._token: Token[uuid.UUID | None] | None = None

    @staticmethod
    def current() -> uuid.UUID | None:
        """The uuid of the open batch, or ``None`` outside any."""
        return _batch.get()

    def __enter__(self) -> LogBatch:
        outer = _batch.get()
        if outer is not None:
            self.uuid = outer
        else:
            self.uuid = uuid7()
            self._token = _batch.set(self.uuid)
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        if self._token is not None:
            _batch.reset(self._token)
            self._token = None

    async def __aenter__(self) -> LogBatch:
        return self.__enter__()

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.__exit__(exc_type, exc, traceback)
