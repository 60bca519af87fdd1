"""``activity()``: write an entry by hand (Spatie's ``activity()`` helper).

::

    await (
        activity("posts")
        .performed_on(post)
        .caused_by(user)                      # default: the current causer
        .with_properties({"channel": "web"})
        .event("published")
        .log("Post published")
    )

The entry is one ``INSERT`` in the current scope's session (the request's or the job's). Inside
a unit of work it joins that transaction (a rollback removes it); outside one it is committed at
once, as Eloquent's ``save()`` is.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from foundry.activity.batch import LogBatch
from foundry.activity.causer import current_causer
from foundry.activity.logs_activity import activity_logging_enabled
from foundry.activity.models import Activity
from foundry.activity.options import DEFAULT_LOG_NAME
from foundry.activity.subjects import morph_of
from foundry.activity.values import jsonable
from foundry.database.facades import scope_session
from foundry.database.session import DatabaseSession
from foundry.database.types import utcnow

__all__ = ["PendingActivity", "activity"]

_CURRENT = object()


def activity(log_name: str | None = None) -> PendingActivity:
    """A new entry for ``log_name`` (``"default"`` when ``None``); finish it with ``log()``."""
    return PendingActivity(log_name)


class PendingActivity:
    """An entry being described; each method returns it, ``await log(...)`` writes it."""

    def __init__(self, log_name: str | None = None) -> None:
        self._log_name = log_name or DEFAULT_LOG_NAME
        self._subject: object | None = None
        self._causer: object | None = _CURRENT
        self._event: str | None = None
        self._properties: dict[str, Any] = {}

    def in_log(self, log_name: str) -> PendingActivity:
        """Write to ``log_name`` (Spatie's ``useLog``)."""
        self._log_name = log_name
        return self

    use_log = in_log

    def performed_on(self, subject: object) -> PendingActivity:
        """The model the entry is about (a model, or a ``(type, id)`` pair)."""
        self._subject = subject
        return self

    on = performed_on

    def caused_by(self, causer: object | None) -> PendingActivity:
        """Who did it (a model, or a ``(type, id)`` pair); ``None`` for nobody."""
        self._causer = causer
        return self

    by = caused_by

    def caused_by_anonymous(self) -> PendingActivity:
        """Nobody did it, whoever the current causer is."""
        self._causer = None
        return self

    def event(self, name: str) -> PendingActivity:
        """The event's name (``"published"``)."""
        self._event = name
        return self

    def with_properties(self, properties: dict[str, Any]) -> PendingActivity:
        """Data kept with the entry (merged into what was given before)."""
        self._properties.update(properties)
        return self

    def with_property(self, key: str, value: Any) -> PendingActivity:
        """One item of data kept with the entry."""
        self._properties[key] = value
        return self

    def _values(self, description: str) -> dict[str, Any]:
        subject_type = subject_id = causer_type = causer_id = None
        if self._subject is not None:
            subject_type, subject_id = morph_of(self._subject)
        causer = current_causer() if self._causer is _CURRENT else self._causer
        if causer is not None:
            try:
                causer_type, causer_id = morph_of(causer)
            except (TypeError, ValueError):
                if self._causer is not _CURRENT:
                    raise
        return {
            "log_name": self._log_name,
            "description": description,
            "subject_type": subject_type,
            "subject_id": subject_id,
            "causer_type": causer_type,
            "causer_id": causer_id,
            "event": self._event,
            "properties": jsonable(self._properties),
            "batch_uuid": LogBatch.current(),
            "created_at": utcnow(),
        }

    async def log(self, description: str, session: AsyncSession | None = None) -> Activity | None:
        """Write the entry; returns it (``None`` inside ``without_activity_logging``).

        Args:
            description: what happened, for people (``"Post published"``).
            session: the session to write with; the current scope's by default.

        Raises:
            TypeError: the subject or the causer given is not a model.
            ValueError: the subject or causer given has no key yet (flush it first).
        """
        if not activity_logging_enabled():
            return None
        db = scope_session(session)
        in_work = db.in_unit_of_work() if isinstance(db, DatabaseSession) else db.in_transaction()
        entry = Activity(**self._values(description))
        db.add(entry)
        await db.flush()
        if not in_work:
            # Nothing else is being saved: the entry stands alone, so save it now.
            await db.commit()
        return entry
