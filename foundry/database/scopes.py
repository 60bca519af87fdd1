"""Query scopes: built-in ones, local ones, and global ones applied to every ``select(Model)``.

Built-in and local scopes are classmethods that take an optional statement and return a
``Select`` of the model, so mypy checks every call and they chain by nesting::

    class Post(Model):
        global_scopes = {"published": lambda cls: cls.published_at.is_not(None)}

        @classmethod
        @scope
        def scope_by(cls, author_id: int, stmt: Select[Self] | None = None) -> Select[Self]:
            return cls.query(stmt).where(cls.author_id == author_id)

    stmt = Post.latest(stmt=Post.scope_by(3))
    posts = (await session.scalars(stmt)).all()        # "published" is applied on execution

Global scopes are added by a ``do_orm_execute`` listener on every ORM ``SELECT`` a session runs
(``with_loader_criteria``, so aliases and relationship loads of the model are narrowed too).
The way out is explicit: ``without_global_scopes(stmt)`` (all) or
``without_global_scopes(stmt, "published")`` (named), or the same execution option on
``session.get(..., execution_options={WITHOUT_GLOBAL_SCOPES: True})``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from types import MappingProxyType
from typing import Any, ClassVar, Self, TypeVar

from sqlalchemy import Select, event, inspect, select
from sqlalchemy.orm import InstrumentedAttribute, ORMExecuteState, Session, with_loader_criteria
from sqlalchemy.orm.util import LoaderCriteriaOption
from sqlalchemy.sql import ClauseElement, ColumnElement, visitors
from sqlalchemy.sql.base import Executable

__all__ = [
    "WITHOUT_GLOBAL_SCOPES",
    "GlobalScope",
    "HasScopes",
    "global_scopes_of",
    "scope",
    "without_global_scopes",
]

F = TypeVar("F", bound=Callable[..., Any])
E = TypeVar("E", bound=Executable)

#: The execution option that turns global scopes off: ``True`` for all, or a tuple of names.
WITHOUT_GLOBAL_SCOPES = "without_global_scopes"

#: A global scope: given the model class (or an alias of it), the condition its rows must meet.
GlobalScope = Callable[[Any], ColumnElement[bool]]


def scope(function: F) -> F:
    """Mark a method as a local scope; its name must start with ``scope_``.

    Put it under ``@classmethod`` (``@classmethod`` then ``@scope``). The method keeps its exact type, so ``Post.scope_by(3)`` is checked by mypy;
    :meth:`HasScopes.local_scopes` lists marked scopes by name for query builders.
    """
    name = getattr(function, "__name__", "")
    if not name.startswith("scope_"):
        raise TypeError(f"local scope {function.__qualname__} must be named scope_<name>")
    setattr(function, "__foundry_scope__", True)
    return function


def global_scopes_of(model: type[Any]) -> Mapping[str, GlobalScope]:
    """The global scopes of ``model``: every ``global_scopes`` declared along its MRO.

    A subclass adds to its bases' scopes (a mixin's soft-delete scope is kept when the model
    declares its own); the same name declared lower in the hierarchy replaces the base's.
    """
    merged: dict[str, GlobalScope] = {}
    for klass in reversed(model.__mro__):
        declared = klass.__dict__.get("global_scopes")
        if isinstance(declared, Mapping):
            merged.update(declared)
    return MappingProxyType(merged)


def without_global_scopes(statement: E, *names: str) -> E:
    """``statement`` with the named global scopes (all when none are named) turned off."""
    return statement.execution_options(**{WITHOUT_GLOBAL_SCOPES: names or True})


# Which models each model reaches through relationships, directly or not: joined eager loads
# are added when the statement compiles, after this listener, so their targets must get their
# criteria up front. Relationships are fixed once mappers are configured, so this cache only
# ever grows by classes that exist, and is rebuilt by any new process.
_reachable: dict[type[Any], tuple[type[Any], ...]] = {}


def _related(model: type[Any]) -> tuple[type[Any], ...]:
    found = _reachable.get(model)
    if found is None:
        seen: dict[type[Any], None] = {model: None}
        queue = [model]
        while queue:
            for relationship in inspect(queue.pop()).relationships:
                target = relationship.mapper.class_
                if target not in seen:
                    seen[target] = None
                    queue.append(target)
        found = _reachable[model] = tuple(seen)
    return found


def _models_in(state: ORMExecuteState) -> tuple[type[Any], ...]:
    """Every mapped class the statement refers to or may eagerly load.

    ``state.all_mappers`` only lists the selected entities, which would let
    ``select(func.count()).select_from(Post)`` count hidden rows; so the statement is walked
    (FROMs, joins, subqueries), then relationship targets are added for eager loads. The walk
    is remembered per statement shape (SQLAlchemy's cache key), as compiled SQL is.
    """
    statement = state.statement
    model = _model_got_by_primary_key(statement)
    if model is not None:
        return _related(model)
    cache_key = statement._generate_cache_key() if isinstance(statement, ClauseElement) else None
    if cache_key is not None:
        found = _models_by_shape.get(cache_key.key)
        if found is not None:
            return found
    direct: dict[type[Any], None] = {mapper.class_: None for mapper in state.all_mappers}
    if isinstance(statement, ClauseElement):
        for element in visitors.iterate(statement):
            entity = element._annotations.get("parententity")
            if entity is not None:
                direct.setdefault(entity.mapper.class_, None)
    reached: dict[type[Any], None] = {}
    for model in direct:
        reached.update(dict.fromkeys(_related(model)))
    models = tuple(reached)
    if cache_key is not None:
        if len(_models_by_shape) >= _SHAPES_KEPT:
            _models_by_shape.clear()
        _models_by_shape[cache_key.key] = models
    return models


def _model_got_by_primary_key(statement: Executable) -> type[Any] | None:
    """The model of a ``session.get(Model, pk)`` statement, recognised without walking it.

    SQLAlchemy builds it as ``select(Model)`` whose one WHERE criterion is the mapper's own
    primary-key clause (the same object on every call), so nothing else can be in it; any other
    statement, or a get with options, takes the walk. The walk and its cache key cost more than
    the query's own compilation lookup, and ``session.get`` is what every guard runs.
    """
    if type(statement) is not Select or len(statement._raw_columns) != 1:
        return None
    entity = statement._raw_columns[0]._annotations.get("parententity")
    if entity is None:
        return None
    mapper = entity.mapper
    criteria = statement._where_criteria
    if len(criteria) != 1 or criteria[0] is not mapper._get_clause[0]:
        return None
    if (
        statement._from_obj
        or statement._setup_joins
        or statement._with_options
        or statement._order_by_clauses
        or statement._group_by_clauses
        or statement._having_criteria
    ):
        return None
    model: type[Any] = mapper.class_
    return model


# Statement shapes come from the app's code, so they are few; the cap only guards against
# statements built from unbounded input.
_SHAPES_KEPT = 2000
_models_by_shape: dict[Any, tuple[type[Any], ...]] = {}


def _criteria_of(model: type[Any]) -> tuple[tuple[str, LoaderCriteriaOption], ...]:
    # Global scopes are frozen when the class is created, so the options are built once per
    # model; building ``with_loader_criteria`` analyses its lambda each time.
    found = _criteria.get(model)
    if found is None:
        found = _criteria[model] = tuple(
            (name, with_loader_criteria(model, criteria, include_aliases=True))
            for name, criteria in global_scopes_of(model).items()
        )
    return found


_criteria: dict[type[Any], tuple[tuple[str, LoaderCriteriaOption], ...]] = {}


@event.listens_for(Session, "do_orm_execute")
def _apply_global_scopes(state: ORMExecuteState) -> None:
    # Refreshing attributes of an object already in hand must not filter it out of existence.
    if not state.is_select or state.is_column_load:
        return
    skipped = state.execution_options.get(WITHOUT_GLOBAL_SCOPES, ())
    if skipped is True:
        return
    options = [
        option
        for model in _models_in(state)
        for name, option in _criteria_of(model)
        if name not in skipped
    ]
    if options:
        state.statement = state.statement.options(*options)


class HasScopes:
    """Mixin for mapped classes: ``query()``, built-in scopes and local-scope discovery."""

    #: Conditions applied to every ORM ``SELECT`` of this model (see the module docstring).
    global_scopes: ClassVar[Mapping[str, GlobalScope]] = MappingProxyType({})

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        # A model writes a plain dict; freeze it so no code can add a scope to it at run time.
        declared = cls.__dict__.get("global_scopes")
        if declared is not None and not isinstance(declared, MappingProxyType):
            if not isinstance(declared, Mapping):
                raise TypeError(f"{cls.__qualname__}.global_scopes must map names to conditions")
            cls.global_scopes = MappingProxyType(dict(declared))

    @classmethod
    def query(cls, stmt: Select[Self] | None = None) -> Select[Self]:
        """``stmt`` when given, else ``select(cls)``: the start of every scope."""
        return select(cls) if stmt is None else stmt

    @classmethod
    def column(cls, name: str) -> InstrumentedAttribute[Any]:
        """The mapped column attribute ``name``; raises ``AttributeError`` naming the model."""
        if name not in inspect(cls).column_attrs:
            raise AttributeError(f"{cls.__name__} has no column attribute {name!r}")
        attribute: InstrumentedAttribute[Any] = getattr(cls, name)
        return attribute

    @classmethod
    def latest(
        cls, column: str = "created_at", *, stmt: Select[Self] | None = None
    ) -> Select[Self]:
        """Newest first by ``column``."""
        return cls.query(stmt).order_by(cls.column(column).desc())

    @classmethod
    def oldest(
        cls, column: str = "created_at", *, stmt: Select[Self] | None = None
    ) -> Select[Self]:
        """Oldest first by ``column``."""
        return cls.query(stmt).order_by(cls.column(column).asc())

    @classmethod
    def where_not_null(cls, column: str, *, stmt: Select[Self] | None = None) -> Select[Self]:
        """Rows whose ``column`` is set."""
        return cls.query(stmt).where(cls.column(column).is_not(None))

    @classmethod
    def where_null(cls, column: str, *, stmt: Select[Self] | None = None) -> Select[Self]:
        """Rows whose ``column`` is NULL."""
        return cls.query(stmt).where(cls.column(column).is_(None))

    @classmethod
    def where_in(
        cls, column: str, values: Iterable[Any], *, stmt: Select[Self] | None = None
    ) -> Select[Self]:
        """Rows whose ``column`` is one of ``values`` (none match an empty list)."""
        return cls.query(stmt).where(cls.column(column).in_(list(values)))

    @classmethod
    def local_scopes(cls) -> dict[str, Callable[..., Select[Self]]]:
        """The ``@scope``-marked classmethods, bound to ``cls``, by name without ``scope_``."""
        found: dict[str, Callable[..., Select[Self]]] = {}
        for name in dir(cls):
            if name.startswith("scope_"):
                bound = getattr(cls, name)
                if getattr(bound, "__foundry_scope__", False):
                    found[name.removeprefix("scope_")] = bound
        return found
