"""``RecordId``: an integer path parameter that a row's id can be (1 .. 2,147,483,647).

Ids beyond the column's range would reach the database and fail there (an ``OverflowError`` on
PostgreSQL's ``integer``): they are a 422 at the edge instead, in the usual error shape.
"""

from __future__ import annotations

from typing import Annotated, Final

from fastapi import Path

__all__ = ["MAX_RECORD_ID", "RecordId"]

#: The largest value of a 32-bit ``integer`` primary key.
MAX_RECORD_ID: Final = 2**31 - 1

RecordId = Annotated[int, Path(ge=1, le=MAX_RECORD_ID)]
