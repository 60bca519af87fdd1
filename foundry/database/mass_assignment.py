"""Mass assignment: ``fillable``/``guarded`` declare which attributes ``fill()`` may set.

Laravel's rules, with one difference: an attribute the model does not map is refused too
(Laravel drops it silently, which hides typos)::

    class Post(Model):
        fillable = frozenset({"title", "body"})

    post = Post().fill(title="Hi", body="...")        # fine
    Post().fill(title="Hi", author_id=3)              # MassAssignmentError: author_id is guarded

A model that declares neither is fully guarded (``guarded = {"*"}``), as in Laravel: opening a
model to mass assignment is a decision its author writes down.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar, Self

from sqlalchemy import inspect

if TYPE_CHECKING:
    from sqlalchemy.ext.asyncio import AsyncSession

__all__ = ["FillsAttributes", "MassAssignmentError"]


class MassAssignmentError(AttributeError):
    """``fill()`` was given an attribute that is guarded or that the model does not map."""

    def __init__(self, model: type[Any], attribute: str, reason: str) -> None:
        super().__init__(f"{model.__name__}.{attribute} {reason}")
        self.model = model
        self.attribute = attribute


class FillsAttributes:
    """Mixin for mapped classes: ``fill()``, ``force_fill()`` and ``create()``.

    An attribute is fillable when it is listed in ``fillable``; with ``fillable`` empty, when it
    is not listed in ``guarded`` and ``guarded`` is not ``{"*"}``.
    """

    #: Attributes ``fill()`` may set; when non-empty, every other attribute is guarded.
    fillable: ClassVar[frozenset[str]] = frozenset()
    #: Attributes ``fill()`` refuses; ``"*"`` (the default) guards everything not fillable.
    guarded: ClassVar[frozenset[str]] = frozenset({"*"})

    @classmethod
    def is_fillable(cls, attribute: str) -> bool:
        """Whether ``fill()`` would accept ``attribute`` (ignoring whether the model maps it)."""
        if attribute in cls.fillable:
            return True
        if cls.fillable or "*" in cls.guarded:
            return False
        return attribute not in cls.guarded

    @classmethod
    def _mapped_attributes(cls) -> frozenset[str]:
        return frozenset(inspect(cls).attrs.keys())

    def fill(self, **attributes: Any) -> Self:
        """Set ``attributes`` that are fillable; raises before setting any if one is not.

        Raises:
            MassAssignmentError: naming the first attribute that is guarded or not mapped.
        """
        mapped = self._mapped_attributes()
        for name in attributes:
            if name not in mapped:
                raise MassAssignmentError(type(self), name, "is not an attribute of the model")
            if not self.is_fillable(name):
                raise MassAssignmentError(
                    type(self), name, "is guarded: add it to fillable to mass assign it"
                )
        for name, value in attributes.items():
            setattr(self, name, value)
        return self

    def force_fill(self, **attributes: Any) -> Self:
        """Set mapped ``attributes`` without the guard (for trusted, internal data)."""
        mapped = self._mapped_attributes()
        for name in attributes:
            if name not in mapped:
                raise MassAssignmentError(type(self), name, "is not an attribute of the model")
        for name, value in attributes.items():
            setattr(self, name, value)
        return self

    @classmethod
    async def create(cls, session: AsyncSession, **attributes: Any) -> Self:
        """``fill()`` a new instance, add it to ``session`` and flush (keys and defaults set).

        The caller's unit of work still commits or rolls it back.
        """
        instance = cls().fill(**attributes)
        session.add(instance)
        await session.flush()
        return instance
