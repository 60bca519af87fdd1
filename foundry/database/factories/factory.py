"""``Factory[M]``: immutable, typed builders of models filled with Faker values.

::

    class PostFactory(Factory[Post]):
        model = Post

        def definition(self) -> dict[str, Any]:
            return {"title": self.faker.sentence(), "published": False}

        def published(self) -> Self:
            return self.state({"published": True})

    post = PostFactory.new().published().make()             # one unsaved Post
    posts = await (                                         # three, flushed, not committed
        PostFactory.new()
        .count(3)
        .sequence({"published": True}, {"published": False})
        .has(CommentFactory.new().count(2), "comments")     # children get the post's key
        .for_(UserFactory.new(), "author")                  # one author, created first
        .create_many(session)                               # or: the current scope's session
    )

Every method returns a new factory, so a factory kept in a variable or a class attribute can be
reused freely. ``make``/``create`` give one model and refuse a factory with a ``count``;
``make_many``/``create_many`` give a list (of one when no count is set). Keeping the two apart
lets mypy know whether it holds ``Post`` or ``list[Post]``.
"""

from __future__ import annotations

import copy
import dataclasses
import inspect
from abc import ABC, abstractmethod
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, ClassVar, Generic, Self, TypeVar

from faker import Faker
from sqlalchemy import inspect as sa_inspect
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import DeclarativeBase, RelationshipDirection

from foundry.database.facades import scope_session
from foundry.database.factories.attributes import (
    Attributes,
    FactoryError,
    Sequence,
    SequenceItem,
    State,
    apply_state,
)
from foundry.database.factories.fakers import DEFAULT_LOCALE, default_faker, seeded_faker
from foundry.database.factories.relations import Link, attach, key_values
from foundry.kernel.container import BindingResolutionError

__all__ = ["AfterCreating", "AfterMaking", "Factory"]

M = TypeVar("M", bound=DeclarativeBase)

#: Called with each made model, before it is saved (``create``) or returned (``make``).
AfterMaking = Callable[[M], None]
#: Called with each created model once it and its ``has`` children are flushed.
AfterCreating = Callable[[M], Awaitable[None] | None]

_ONE_TO_MANY = RelationshipDirection.ONETOMANY
_MANY_TO_ONE = RelationshipDirection.MANYTOONE


@dataclass(frozen=True, slots=True)
class _Plan(Generic[M]):
    """Everything a factory has been told; replaced, never changed."""

    count: int | None = None
    states: tuple[State | Sequence, ...] = ()
    children: tuple[tuple[Factory[Any], Link], ...] = ()
    parents: tuple[tuple[Factory[Any] | object, Link], ...] = ()
    after_making: tuple[AfterMaking[M], ...] = ()
    after_creating: tuple[AfterCreating[M], ...] = ()
    seed: int | None = None
    faker: Faker | None = None
    # Set by a parent's has(): its keys and itself, given to every child.
    links: Attributes = field(default_factory=dict)
    attached: tuple[tuple[str, object], ...] = ()


class Factory(ABC, Generic[M]):
    """Subclass with ``model = YourModel`` and a :meth:`definition`; start with :meth:`new`."""

    model: type[M]
    #: The Faker locale of :attr:`faker`.
    locale: ClassVar[str] = DEFAULT_LOCALE

    def __init__(self) -> None:
        self._plan: _Plan[M] = _Plan()

    @classmethod
    def new(cls, **attributes: Any) -> Self:
        """A factory of this class, with ``attributes`` as a first state when given."""
        factory = cls()
        return factory.state(attributes) if attributes else factory

    @abstractmethod
    def definition(self) -> Attributes:
        """The default attributes of one model; draw random values from :attr:`faker`."""

    @property
    def faker(self) -> Faker:
        """The generator for this call: seeded when :meth:`seed` was used, else shared."""
        return self._plan.faker or default_faker(self.locale)

    # -- building the plan --------------------------------------------------------------------

    def _replace(self, **changes: Any) -> Self:
        clone = copy.copy(self)
        clone._plan = dataclasses.replace(self._plan, **changes)
        return clone

    def count(self, count: int) -> Self:
        """Build ``count`` models (use :meth:`make_many` / :meth:`create_many`)."""
        if count < 0:
            raise FactoryError(f"count must be 0 or more, got {count}")
        return self._replace(count=count)

    def state(self, state: State) -> Self:
        """Override attributes: a mapping, or a function of the attributes so far."""
        return self._replace(states=(*self._plan.states, state))

    def sequence(self, *items: SequenceItem) -> Self:
        """Give the models of a batch these states in turn (mappings or ``f(index)``)."""
        return self._replace(states=(*self._plan.states, Sequence(items)))

    def has(self, children: Factory[Any], relationship: str) -> Self:
        """Create ``children`` for each model, through its one-to-many ``relationship``."""
        link = Link(self._model(), relationship, _ONE_TO_MANY)
        link.check_target(children._model())
        return self._replace(children=(*self._plan.children, (children, link)))

    def for_(self, parent: Factory[Any] | object, relationship: str) -> Self:
        """Belong to ``parent`` (a factory for one model, or a model) via ``relationship``.

        A parent factory is made or created once per call and shared by the whole batch.
        """
        link = Link(self._model(), relationship, _MANY_TO_ONE)
        if isinstance(parent, Factory):
            if parent._plan.count is not None:
                raise FactoryError(f"for_({relationship!r}) needs a factory of one model")
            link.check_target(parent._model())
        else:
            link.check_target(type(parent))
        return self._replace(parents=(*self._plan.parents, (parent, link)))

    def after_making(self, callback: AfterMaking[M]) -> Self:
        """Call ``callback`` with each model once made (and before it is saved)."""
        return self._replace(after_making=(*self._plan.after_making, callback))

    def after_creating(self, callback: AfterCreating[M]) -> Self:
        """Call (and await, if async) ``callback`` with each model once flushed."""
        return self._replace(after_creating=(*self._plan.after_creating, callback))

    def seed(self, seed: int) -> Self:
        """Draw from a generator seeded with ``seed``: every call yields the same values.

        Related factories without a seed of their own are seeded from this one, so the
        whole graph repeats. Calling ``create`` twice therefore repeats values too (mind
        unique columns).
        """
        return self._replace(seed=seed)

    # -- attributes ---------------------------------------------------------------------------

    def _model(self) -> type[M]:
        model: type[M] | None = getattr(type(self), "model", None)
        if model is None:
            raise FactoryError(f"{type(self).__name__} sets no model = ...")
        return model

    def _bound(self, parent_faker: Faker | None) -> Self:
        """This factory with the generator for one call fixed (see :attr:`faker`)."""
        if self._plan.seed is not None:
            return self._replace(faker=seeded_faker(self._plan.seed, self.locale))
        if parent_faker is not None:
            # Derived, not shared: the child keeps its own locale and stays repeatable.
            seed = parent_faker.random.getrandbits(64)
            return self._replace(faker=seeded_faker(seed, self.locale))
        return self

    def _attributes(self, index: int, overrides: Mapping[str, Any]) -> Attributes:
        attributes = self.definition()
        for state in self._plan.states:
            if isinstance(state, Sequence):
                state = state.state_for(index)
            attributes = apply_state(attributes, state)
        return {**attributes, **self._plan.links, **overrides}

    def _instantiate(self, attributes: Attributes) -> M:
        model = self._model()
        try:
            return model(**attributes)
        except TypeError as exc:  # SQLAlchemy's constructor names the unknown attribute
            raise FactoryError(f"{type(self).__name__}: {exc}") from exc

    def _size(self) -> int:
        return 1 if self._plan.count is None else self._plan.count

    def _single(self, method: str) -> None:
        if self._plan.count is not None:
            raise FactoryError(
                f"{type(self).__name__} has count({self._plan.count}): "
                f"use {method}_many() for a list"
            )

    def raw(self, **attributes: Any) -> Attributes:
        """The attributes one model would be built with (no relationships resolved)."""
        return self._bound(None)._attributes(0, attributes)

    # -- make ---------------------------------------------------------------------------------

    def make(self, **attributes: Any) -> M:
        """One unsaved model; ``attributes`` override everything else."""
        self._single("make")
        return self._bound(None)._make_batch(attributes)[0]

    def make_many(self, **attributes: Any) -> list[M]:
        """``count`` unsaved models (one without a count), linked in memory to their relations."""
        return self._bound(None)._make_batch(attributes)

    def _make_batch(self, overrides: Mapping[str, Any]) -> list[M]:
        parents: list[tuple[Link, object, bool]] = []
        links: Attributes = {}
        for parent, link in self._plan.parents:
            if isinstance(parent, Factory):
                parents.append((link, parent._bound(self._plan.faker)._make_batch({})[0], False))
            elif _saved(parent):  # point at its keys, as create does: no lazy load
                links.update(key_values(parent, link.pairs, source_is_owner=False))
                parents.append((link, parent, True))
            else:  # unsaved as well: it is linked in memory and saved along with the model
                parents.append((link, parent, False))
        models: list[M] = []
        for index in range(self._size()):
            model = self._instantiate(self._attributes(index, {**links, **overrides}))
            for link, parent, existing in parents:
                if existing:
                    attach(model, link.name, parent)
                else:
                    setattr(model, link.name, parent)
            for name, value in self._plan.attached:
                attach(model, name, value)
            made: dict[str, tuple[Link, list[Any]]] = {}
            for children, link in self._plan.children:
                kids = children._bound(self._plan.faker)._make_batch({})
                made.setdefault(link.name, (link, []))[1].extend(kids)
            for name, (link, kids) in made.items():
                setattr(model, name, _collection_or_one(link, kids))
            for callback in self._plan.after_making:
                callback(model)
            models.append(model)
        return models

    # -- create -------------------------------------------------------------------------------

    async def create(self, session: AsyncSession | None = None, /, **attributes: Any) -> M:
        """One model, added to ``session`` (default: the current scope's) and flushed."""
        self._single("create")
        return (await self._bound(None)._create_batch(_session(session), attributes))[0]

    async def create_many(
        self, session: AsyncSession | None = None, /, **attributes: Any
    ) -> list[M]:
        """``count`` models (one without a count), flushed with their ``has``/``for_`` relations.

        Flushed, not committed: the caller's unit of work (a service, a seeder, a test's
        transaction) decides whether they stay.
        """
        return await self._bound(None)._create_batch(_session(session), attributes)

    async def _create_batch(self, session: AsyncSession, overrides: Mapping[str, Any]) -> list[M]:
        attached = list(self._plan.attached)
        links: Attributes = {}
        for parent, link in self._plan.parents:
            if isinstance(parent, Factory):
                parent = (await parent._bound(self._plan.faker)._create_batch(session, {}))[0]
            links.update(key_values(parent, link.pairs, source_is_owner=False))
            attached.append((link.name, parent))
        models: list[M] = []
        for index in range(self._size()):
            model = self._instantiate(self._attributes(index, {**links, **overrides}))
            for name, value in attached:
                attach(model, name, value)
            for make_callback in self._plan.after_making:
                make_callback(model)
            models.append(model)
        session.add_all(models)
        await session.flush()
        for model in models:
            await self._create_children(session, model)
        for model in models:
            for callback in self._plan.after_creating:
                result = callback(model)
                if inspect.isawaitable(result):
                    await result
        return models

    async def _create_children(self, session: AsyncSession, model: M) -> None:
        created: dict[str, tuple[Link, list[Any]]] = {}
        for children, link in self._plan.children:
            linked = children._bound(self._plan.faker)._replace(
                links=key_values(model, link.pairs, source_is_owner=True),
                attached=(((link.reverse, model),) if link.reverse else ()),
            )
            kids = await linked._create_batch(session, {})
            created.setdefault(link.name, (link, []))[1].extend(kids)
        for name, (link, kids) in created.items():
            attach(model, name, _collection_or_one(link, kids))


def _collection_or_one(link: Link, models: list[Any]) -> object:
    # A one-to-one has() holds the last child made, as assigning them in turn would.
    if link.uselist:
        return models
    return models[-1] if models else None


def _saved(model: object) -> bool:
    return bool(sa_inspect(model).has_identity)


def _session(session: AsyncSession | None) -> AsyncSession:
    if session is not None:
        return session
    try:
        return scope_session()
    except BindingResolutionError as exc:
        raise FactoryError(
            "create() needs a session: pass one, or call it inside a container scope "
            "(a request, a job, a command or a test's session fixture)"
        ) from exc
