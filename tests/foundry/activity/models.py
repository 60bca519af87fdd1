"""Models of the activity tests, on a metadata of their own (created by the ``articles`` fixture)."""

from __future__ import annotations

from sqlalchemy import MetaData, String
from sqlalchemy.orm import Mapped, mapped_column

from foundry.activity import LogOptions, LogsActivity
from foundry.database import NAMING_CONVENTION, Model, SoftDeletes


class ActivityTestModel(Model):
    __abstract__ = True
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class Article(LogsActivity, SoftDeletes, ActivityTestModel):
    """Logs title and status only, changed ones only, and no empty entries."""

    __tablename__ = "activity_articles"
    __log_options__ = LogOptions(
        log_name="articles",
        log_attributes=["title", "status"],
        log_only_changed=True,
        dont_submit_empty_logs=True,
        description_for_event={"created": "Article written"},
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(100))
    status: Mapped[str] = mapped_column(String(20), default="draft")
    secret: Mapped[str] = mapped_column(String(100), default="")
    views: Mapped[int] = mapped_column(default=0)


class Note(LogsActivity, ActivityTestModel):
    """Every column but ``secret``, all of them on update, empty entries kept."""

    __tablename__ = "activity_notes"
    __log_options__ = LogOptions(
        log_attributes=["*"],
        log_except=["secret"],
        description_for_event=lambda event: f"Note {event}",
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    body: Mapped[str] = mapped_column(String(100))
    secret: Mapped[str] = mapped_column(String(100), default="")


class Plain(ActivityTestModel):
    """Not logged: the benchmark's and the tests' control."""

    __tablename__ = "activity_plain"

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(100))
