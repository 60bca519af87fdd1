"""How factories link related models: which key columns to copy for ``has`` and ``for_``.

Created models are linked through their foreign-key columns, never by assigning a relationship
on a persistent object (that may lazy-load, and lazy loading raises in this app); the linked
objects are then put in place with ``set_committed_value`` so ``post.comments`` reads without a
query. Made (unsaved) models are linked by plain relationship assignment instead, since their
keys do not exist yet.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import inspect
from sqlalchemy.orm import Mapper, RelationshipDirection, RelationshipProperty
from sqlalchemy.orm.attributes import set_committed_value

from foundry.database.factories.attributes import Attributes, FactoryError

__all__ = ["KeyPair", "Link", "attach", "key_values"]

#: (attribute on the model being built, attribute on the related model it copies).
KeyPair = tuple[str, str]

_KINDS = {
    RelationshipDirection.ONETOMANY: "one-to-many",
    RelationshipDirection.MANYTOONE: "many-to-one",
    RelationshipDirection.MANYTOMANY: "many-to-many (not supported by factories yet)",
}


class Link:
    """The relationship ``name`` of ``owner`` and the key attributes it is joined by.

    Raises:
        FactoryError: ``owner`` has no such relationship, or it points the other way
            (``has()`` needs one-to-many, ``for_()`` many-to-one).
    """

    __slots__ = ("name", "pairs", "reverse", "target", "uselist")

    def __init__(self, owner: type[Any], name: str, direction: RelationshipDirection) -> None:
        mapper: Mapper[Any] = inspect(owner)
        prop: RelationshipProperty[Any] | None = mapper.relationships.get(name)
        if prop is None:
            raise FactoryError(f"{owner.__name__} has no relationship {name!r}")
        if prop.direction is not direction:
            wanted = "has()" if direction is RelationshipDirection.ONETOMANY else "for_()"
            raise FactoryError(
                f"{owner.__name__}.{name} is {_KINDS[prop.direction]}; {wanted} needs a "
                f"{_KINDS[direction]} relationship"
            )
        self.name = name
        self.target: type[Any] = prop.mapper.class_
        self.uselist = bool(prop.uselist)
        self.reverse: str | None = prop.back_populates
        target_mapper = prop.mapper
        # local_remote_pairs is (column on owner, column on target) for both directions.
        self.pairs: list[KeyPair] = [
            (
                mapper.get_property_by_column(local).key,
                target_mapper.get_property_by_column(remote).key,
            )
            for local, remote in prop.local_remote_pairs or ()
        ]

    def check_target(self, related: type[Any]) -> None:
        """Refuse a related model of the wrong class before anything is written."""
        if not issubclass(related, self.target):
            raise FactoryError(
                f"relationship {self.name!r} holds {self.target.__name__}, "
                f"not {related.__name__}"
            )


def key_values(source: object, pairs: list[KeyPair], *, source_is_owner: bool) -> Attributes:
    """The attributes that point a model at ``source`` (copied from ``source``'s keys)."""
    values: Attributes = {}
    for owner_key, target_key in pairs:
        to_key, from_key = (target_key, owner_key) if source_is_owner else (owner_key, target_key)
        value = getattr(source, from_key)
        if value is None:
            raise FactoryError(
                f"{type(source).__name__}.{from_key} is empty: save it before linking to it"
            )
        values[to_key] = value
    return values


def attach(model: object, name: str, value: object) -> None:
    """Put ``value`` in ``model.name`` as if loaded from the database (no history, no query)."""
    set_committed_value(model, name, value)
