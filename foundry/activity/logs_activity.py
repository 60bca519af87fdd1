"""``LogsActivity``: a model whose creates, updates, deletes and restores are logged.

::

    class Post(LogsActivity, TimestampsMixin, SoftDeletes, Model):
        __tablename__ = "posts"
        __log_options__ = LogOptions(log_name="posts", log_attributes=["title", "status"],
                                     log_only_changed=True, dont_submit_empty_logs=True)

Entries are made by an ``after_flush`` listener on every session and held for the transaction
(:mod:`foundry.activity.pending`): one ``INSERT`` writes them all before the session's next
statement or its commit, inside the same transaction. A rollback takes the entries with the
change; nothing is written after a commit. ``properties`` holds ``{"attributes": new values, "old": previous
values}`` of the listed attributes only. The causer is :func:`~foundry.activity.current_causer`,
the batch :class:`~foundry.activity.LogBatch`'s.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any, ClassVar

from sqlalchemy import event
from sqlalchemy import inspect as sa_inspect
from sqlalchemy.orm import InstanceState, Session, UOWTransaction

from foundry.activity.batch import LogBatch
from foundry.activity.causer import current_causer
from foundry.activity.options import LogOptions
from foundry.activity.pending import hold
from foundry.activity.subjects import morph_of
from foundry.activity.values import jsonable
from foundry.database.base import SoftDeletesMixin
from foundry.database.types import utcnow

__all__ = ["LogsActivity", "activity_logging_enabled", "without_activity_logging"]

_enabled: ContextVar[bool] = ContextVar("foundry_activity_enabled", default=True)


def activity_logging_enabled() -> bool:
    """False inside :func:`without_activity_logging`."""
    return _enabled.get()


@contextmanager
def without_activity_logging() -> Iterator[None]:
    """Write no entry (model events or manual ones) inside the block: an import, a seeder."""
    token = _enabled.set(False)
    try:
        yield
    finally:
        _enabled.reset(token)


class LogsActivity:
    """Mixin for mapped models; set ``__log_options__`` (default: log name only, no attributes)."""

    __log_options__: ClassVar[LogOptions] = LogOptions()


#: Per model class, once: its options are frozen and its columns fixed once it is mapped.
#: Keyed by class, so bounded by the application's models.
_NAMES: dict[type[Any], tuple[str, ...]] = {}


def _attributes(target: LogsActivity) -> tuple[str, ...]:
    model = type(target)
    names = _NAMES.get(model)
    if names is None:
        columns = [attr.key for attr in sa_inspect(model).column_attrs]
        hidden: frozenset[str] = frozenset(getattr(model, "hidden", frozenset()))
        names = _NAMES[model] = tuple(target.__log_options__.attributes_of(columns, hidden))
    return names


def _current(state: InstanceState[Any], names: tuple[str, ...]) -> dict[str, Any]:
    # Only what is loaded: loading an expired attribute here would query inside the flush.
    loaded = state.dict
    return {name: jsonable(loaded[name]) for name in names if name in loaded}


def _update_kind(target: Any, state: InstanceState[Any]) -> str:
    if isinstance(target, SoftDeletesMixin):
        history = state.attrs.deleted_at.history
        if history.added:
            was = history.deleted[0] if history.deleted else None
            now = history.added[0]
            if was is None and now is not None:
                return "deleted"
            if was is not None and now is None:
                return "restored"
    return "updated"


def _changes(
    state: InstanceState[Any], names: tuple[str, ...], only_changed: bool
) -> tuple[dict[str, Any], dict[str, Any]]:
    attributes: dict[str, Any] = {}
    old: dict[str, Any] = {}
    for name in names:
        if name not in state.attrs:
            continue
        history = state.attrs[name].history
        if name not in state.dict and not history.has_changes():
            continue
        new_value = jsonable(history.added[0] if history.added else state.dict.get(name))
        if history.deleted:
            old_value = jsonable(history.deleted[0])
        elif history.unchanged:
            old_value = jsonable(history.unchanged[0])
        else:
            old_value = None
        changed = bool(history.added) and new_value != old_value
        if only_changed and not changed:
            continue
        attributes[name] = new_value
        old[name] = old_value
    return attributes, old


def _entry(
    target: LogsActivity, event_name: str, properties: dict[str, Any]
) -> dict[str, Any] | None:
    options = target.__log_options__
    if event_name not in options.record_events:
        return None
    properties = {key: value for key, value in properties.items() if value}
    if options.dont_submit_empty_logs and not properties:
        return None
    subject_type, subject_id = morph_of(target)
    causer_type = causer_id = None
    causer = current_causer()
    if causer is not None:
        try:
            causer_type, causer_id = morph_of(causer)
        except (TypeError, ValueError):
            pass  # an unsaved causer cannot be named
    return {
        "log_name": options.log,
        "description": options.description(event_name),
        "subject_type": subject_type,
        "subject_id": subject_id,
        "causer_type": causer_type,
        "causer_id": causer_id,
        "event": event_name,
        "properties": properties,
        "batch_uuid": LogBatch.current(),
        "created_at": utcnow(),
    }


def _entries(session: Session) -> Iterator[dict[str, Any]]:
    # after_flush still shows the flush's objects and their attribute history as they were
    # before it, and every new row has its key by now.
    for target in session.new:
        if isinstance(target, LogsActivity):
            state = sa_inspect(target)
            found = _entry(target, "created", {"attributes": _current(state, _attributes(target))})
            if found is not None:
                yield found
    for target in session.dirty:
        if isinstance(target, LogsActivity) and session.is_modified(
            target, include_collections=False
        ):
            state = sa_inspect(target)
            kind = _update_kind(target, state)
            names = _attributes(target)
            if kind == "updated":
                only = target.__log_options__.log_only_changed
                attributes, old = _changes(state, names, only)
                found = _entry(target, kind, {"attributes": attributes, "old": old})
            else:
                found = _entry(target, kind, {"attributes": _current(state, names)})
            if found is not None:
                yield found
    for target in session.deleted:
        if isinstance(target, LogsActivity):
            state = sa_inspect(target)
            found = _entry(target, "deleted", {"attributes": _current(state, _attributes(target))})
            if found is not None:
                yield found


@event.listens_for(Session, "after_flush")
def _record(session: Session, flush_context: UOWTransaction) -> None:
    if not _enabled.get():
        return
    rows = list(_entries(session))
    if rows:
        # Held for this transaction and written in one INSERT before its next statement or its
        # commit (foundry.activity.pending): gone on rollback, never written after a commit.
        hold(session, rows)
