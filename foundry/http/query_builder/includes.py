"""Allowed includes: ``?include=roles,posts.comments,roles_count,roles_exists``.

Relationships load with ``selectinload`` (one extra query per relationship, whatever the page
size); ``*_count`` includes add a column from one grouped subquery joined to the main query,
set on each model as ``<relation>_count``; ``*_exists`` includes (Spatie's
``AllowedInclude::exists``) add a correlated ``EXISTS`` column, set on each model as
``<relation>_exists`` (``True``/``False``), without loading the related rows.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, Select, func, select
from sqlalchemy.orm import RelationshipProperty, selectinload
from sqlalchemy.orm.strategy_options import _AbstractLoad

__all__ = [
    "COUNT_SUFFIX",
    "EXISTS_SUFFIX",
    "add_count",
    "add_exists",
    "count_subquery",
    "relationship_loader",
]

COUNT_SUFFIX = "_count"
EXISTS_SUFFIX = "_exists"


def _relationship(model: type[Any], name: str) -> RelationshipProperty[Any]:
    attribute = getattr(model, name, None)
    prop = getattr(attribute, "property", None)
    if not isinstance(prop, RelationshipProperty):
        raise LookupError(f"{model.__name__} has no relationship {name!r}")
    return prop


def relationship_loader(model: type[Any], path: str, columns: list[str] | None) -> _AbstractLoad:
    """``selectinload`` along a dotted relationship path; ``columns`` limit the last hop."""
    current = model
    loader: _AbstractLoad | None = None
    for part in path.split("."):
        prop = _relationship(current, part)
        attribute = getattr(current, part)
        loader = selectinload(attribute) if loader is None else loader.selectinload(attribute)
        current = prop.mapper.class_
    assert loader is not None
    if columns:
        loader = loader.load_only(*(getattr(current, column) for column in columns))
    return loader


def count_subquery(model: type[Any], relation: str) -> tuple[Any, ColumnElement[bool]]:
    """A ``(key, n)`` subquery grouped by the parent key, and the condition joining it.

    Works for one-to-many (the child's foreign key) and many-to-many (the association table).
    """
    prop = _relationship(model, relation)
    if prop.secondary is not None:
        pairs = prop.synchronize_pairs
        parent_column, secondary_column = pairs[0]
        source: Any = prop.secondary
    else:
        parent_column, child_column = prop.local_remote_pairs[0]
        secondary_column = child_column
        source = prop.mapper.local_table
    grouped = (
        select(secondary_column.label("key"), func.count().label("n"))
        .select_from(source)
        .group_by(secondary_column)
        .subquery(f"{relation}{COUNT_SUFFIX}")
    )
    return grouped, grouped.c.key == parent_column


def add_count(statement: Select[Any], model: type[Any], relation: str) -> Select[Any]:
    """Outer-join the grouped count of ``relation`` and select it as an extra column."""
    grouped, on = count_subquery(model, relation)
    label = f"{relation}{COUNT_SUFFIX}"
    return statement.outerjoin(grouped, on).add_columns(func.coalesce(grouped.c.n, 0).label(label))


def add_exists(statement: Select[Any], model: type[Any], relation: str) -> Select[Any]:
    """Select whether each row has any ``relation`` row, as ``<relation>_exists``."""
    _relationship(model, relation)
    related: Any = getattr(model, relation)
    return statement.add_columns(related.any().label(f"{relation}{EXISTS_SUFFIX}"))
