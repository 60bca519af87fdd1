"""``Model``: ``Base`` with Laravel's conveniences, for models that want all of them.

::

    from foundry.database import Model, SoftDeletes, TimestampsMixin

    class Post(TimestampsMixin, SoftDeletes, Model):
        __tablename__ = "posts"
        fillable = frozenset({"title", "body"})
        hidden = frozenset({"internal_notes"})

        id: Mapped[int] = mapped_column(primary_key=True)
        title: Mapped[str]

    post = await Post.create(session, title="Hello")
    rows = await session.scalars(Post.latest())

The conveniences are mixins (:class:`FillsAttributes`, :class:`SerializesAttributes`,
:class:`HasScopes`) rather than methods generated at run time, so every one of them is a plain
method or ``ClassVar`` that mypy checks; a model may also take just the mixins it needs on top
of ``Base``. Global scopes and observers act on any mapped class, through session events.
"""

from __future__ import annotations

from foundry.database.base import Base
from foundry.database.mass_assignment import FillsAttributes
from foundry.database.scopes import HasScopes
from foundry.database.serialization import SerializesAttributes

__all__ = ["Model"]


class Model(FillsAttributes, SerializesAttributes, HasScopes, Base):
    """An abstract ``Base`` with ``fill()``/``create()``, ``to_dict()`` and query scopes."""

    __abstract__ = True
