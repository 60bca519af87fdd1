"""Canaries: SQLAlchemy internals behind the global-scope fast path (``foundry.database.scopes``)
and the query builder's loader type.

``_model_got_by_primary_key`` recognises ``session.get(Model, pk)`` by the ``Select``'s private
fields (``_raw_columns``, ``_where_criteria`` holding the mapper's ``_get_clause``, and empty
``_from_obj``/``_setup_joins``/``_with_options``/ordering/grouping/``_having_criteria``); the
walk reads each element's ``_annotations["parententity"]`` and caches by
``_generate_cache_key()``. SQLAlchemy is pinned exactly; if an upgrade builds the get statement
differently, the fast path would stop applying (or, worse, apply to the wrong statement): these
fail by name instead.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import ForeignKey, Select, create_engine, event, select
from sqlalchemy.orm import (
    DeclarativeBase,
    Mapped,
    ORMExecuteState,
    Session,
    mapped_column,
    relationship,
    selectinload,
)
from sqlalchemy.orm.strategy_options import _AbstractLoad
from sqlalchemy.sql import visitors

from foundry.database.scopes import _model_got_by_primary_key

SELECT_FIELDS = (
    "_raw_columns",
    "_where_criteria",
    "_from_obj",
    "_setup_joins",
    "_with_options",
    "_order_by_clauses",
    "_group_by_clauses",
    "_having_criteria",
)


class CanaryBase(DeclarativeBase):
    pass


class Owner(CanaryBase):
    __tablename__ = "canary_owners"

    id: Mapped[int] = mapped_column(primary_key=True)
    pets: Mapped[list[Pet]] = relationship(back_populates="owner")


class Pet(CanaryBase):
    __tablename__ = "canary_pets"

    id: Mapped[int] = mapped_column(primary_key=True)
    owner_id: Mapped[int] = mapped_column(ForeignKey("canary_owners.id"))
    owner: Mapped[Owner] = relationship(back_populates="pets")


def _statements_of_get(**options: Any) -> list[tuple[Any, bool, type[Any] | None]]:
    """What the scopes' listener sees of the statements ``session.get(Owner, 1, ...)`` runs:
    the statement, whether its criterion is the mapper's ``_get_clause``, and the fast path's
    answer (all read while it executes, as the listener does)."""
    engine = create_engine("sqlite://")
    CanaryBase.metadata.create_all(engine)
    seen: list[tuple[Any, bool, type[Any] | None]] = []

    def keep(state: ORMExecuteState) -> None:
        statement = state.statement
        criteria: tuple[Any, ...] = getattr(statement, "_where_criteria", ())
        is_get_clause = len(criteria) == 1 and criteria[0] is Owner.__mapper__._get_clause[0]
        seen.append((statement, is_get_clause, _model_got_by_primary_key(statement)))

    # First in line, as foundry's own listener is registered before any other.
    event.listen(Session, "do_orm_execute", keep, insert=True)
    try:
        with Session(engine) as session:
            session.get(Owner, 1, **options)
    finally:
        event.remove(Session, "do_orm_execute", keep)
        engine.dispose()
    return seen


def test_sqlalchemy_select_keeps_the_private_fields_the_fast_path_reads() -> None:
    statement = select(Owner)
    for name in SELECT_FIELDS:
        assert hasattr(statement, name), f"Select lost {name}"
    assert statement._raw_columns[0]._annotations["parententity"].class_ is Owner
    assert isinstance(Owner.__mapper__._get_clause, tuple)
    assert statement._generate_cache_key() is not None


def test_sqlalchemy_session_get_is_still_recognised_by_the_fast_path() -> None:
    ((statement, is_get_clause, model),) = _statements_of_get()
    assert type(statement) is Select
    assert is_get_clause, "session.get no longer filters by the mapper's own _get_clause"
    assert model is Owner


def test_sqlalchemy_other_statements_are_not_taken_for_a_get() -> None:
    (_, _, with_options), *_ = _statements_of_get(options=[selectinload(Owner.pets)])
    assert with_options is None
    assert _model_got_by_primary_key(select(Owner).where(Owner.id == 1)) is None
    assert _model_got_by_primary_key(select(Owner).order_by(Owner.id)) is None


def test_sqlalchemy_walk_finds_entities_by_their_parententity_annotation() -> None:
    statement = select(Pet.id).join(Pet.owner).where(Owner.id == 1)
    found = {
        element._annotations["parententity"].class_
        for element in visitors.iterate(statement)
        if "parententity" in element._annotations
    }
    assert found == {Pet, Owner}


def test_sqlalchemy_loader_options_are_abstract_loads() -> None:
    assert isinstance(selectinload(Owner.pets), _AbstractLoad)
    assert isinstance(selectinload(Owner.pets).selectinload(Pet.owner), _AbstractLoad)
