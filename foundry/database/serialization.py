"""``hidden``/``visible``: which attributes ``to_dict()`` shows, per class and per instance.

::

    class User(Model):
        hidden = frozenset({"password", "remember_token"})

    user.to_dict()                          # no password
    user.make_visible("password").to_dict() # this instance only

Only loaded attributes are read: ``to_dict()`` never triggers a lazy load (which an
``AsyncSession`` could not run anyway). Relationships appear when loaded, serialized with their
own rules.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, ClassVar, Self

from sqlalchemy import inspect

__all__ = ["SerializesAttributes"]

# Per-instance overrides live in the instance's __dict__ under these keys (SQLAlchemy ignores
# names it does not map), so nothing is shared between instances or stored on the class.
_SHOWN = "_foundry_made_visible"
_HIDDEN = "_foundry_made_hidden"


class SerializesAttributes:
    """Mixin for mapped classes: ``to_dict()`` with Laravel's hidden/visible rules.

    With ``visible`` non-empty, only those attributes are shown; then ``hidden`` ones are removed.
    """

    #: Attributes ``to_dict()`` leaves out.
    hidden: ClassVar[frozenset[str]] = frozenset()
    #: When non-empty, the only attributes ``to_dict()`` shows.
    visible: ClassVar[frozenset[str]] = frozenset()

    def _overrides(self, key: str) -> frozenset[str]:
        found: frozenset[str] = self.__dict__.get(key, frozenset())
        return found

    def make_visible(self, *attributes: str) -> Self:
        """Show ``attributes`` on this instance even if the class hides them."""
        self.__dict__[_SHOWN] = self._overrides(_SHOWN) | frozenset(attributes)
        self.__dict__[_HIDDEN] = self._overrides(_HIDDEN) - frozenset(attributes)
        return self

    def make_hidden(self, *attributes: str) -> Self:
        """Hide ``attributes`` on this instance."""
        self.__dict__[_HIDDEN] = self._overrides(_HIDDEN) | frozenset(attributes)
        self.__dict__[_SHOWN] = self._overrides(_SHOWN) - frozenset(attributes)
        return self

    def is_visible(self, attribute: str) -> bool:
        """Whether ``to_dict()`` on this instance would show ``attribute`` (if loaded)."""
        if attribute in self._overrides(_HIDDEN):
            return False
        if attribute in self._overrides(_SHOWN):
            return True
        if self.visible and attribute not in self.visible:
            return False
        return attribute not in self.hidden

    def to_dict(self) -> dict[str, Any]:
        """The visible, loaded attributes as Python values, in declaration order.

        Loaded relationships are included as a dict (to-one) or a list of dicts (to-many).
        """
        state = inspect(self)
        unloaded = state.unloaded
        result: dict[str, Any] = {}
        for column in state.mapper.column_attrs:
            if column.key not in unloaded and self.is_visible(column.key):
                result[column.key] = state.dict.get(column.key)
        for relationship in state.mapper.relationships:
            if relationship.key in unloaded or not self.is_visible(relationship.key):
                continue
            result[relationship.key] = _serialize(state.dict.get(relationship.key))
        return result


def _serialize(value: Any) -> Any:
    if value is None:
        return None
    if isinstance(value, SerializesAttributes):
        return value.to_dict()
    if isinstance(value, Iterable):
        return [_serialize(item) for item in value]
    return value
