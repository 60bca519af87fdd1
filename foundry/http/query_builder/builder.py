"""``QueryBuilder``: a list endpoint's filters, sorts, includes and sparse fields from the URL.

    users = await (
        QueryBuilder.for_model(User, session, request)
        .allowed_filters([AllowedFilter.partial("name"), "email"])
        .allowed_sorts(["name", "created_at"])
        .allowed_includes(["roles", "roles_count", "roles_exists"])
        .allowed_fields(["id", "name", "email"])
        .default_sort("-created_at")
        .get()
    )

Anything the client asks for that is not allowed is a 400 naming it and listing what is.
``QueryBuilder.for_query(select(Post).where(Post.author_id == user.id), session, request)``
starts from a statement of the endpoint's own instead of ``select(model)``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Generic, Self, TypeVar

from sqlalchemy import Select, func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import load_only
from starlette.requests import Request

from foundry.http.query_builder.filters import AllowedFilter
from foundry.http.query_builder.includes import (
    COUNT_SUFFIX,
    EXISTS_SUFFIX,
    add_count,
    add_exists,
    relationship_loader,
)
from foundry.http.query_builder.params import parse_query_parameters
from foundry.http.query_builder.sorts import AllowedSort, NullsPosition
from foundry.http.resources.pagination import LengthAwarePaginator
from foundry.http.resources.params import DEFAULT_MAX_PER_PAGE, DEFAULT_PER_PAGE, page_params
from foundry.kernel.errors import BadRequestError

__all__ = ["QueryBuilder"]

M = TypeVar("M")


def _not_allowed(kind: str, asked: Sequence[str], allowed: Sequence[str]) -> BadRequestError:
    listed = ", ".join(allowed) if allowed else "none"
    return BadRequestError(
        f"Requested {kind}(s) `{', '.join(asked)}` are not allowed. "
        f"Allowed {kind}(s) are `{listed}`.",
        error=f"invalid_{kind}",
    )


class QueryBuilder(Generic[M]):
    """Builds one ``SELECT`` for ``model`` from what the request asks and the endpoint allows."""

    def __init__(
        self,
        model: type[M],
        session: AsyncSession,
        request: Request,
        base: Select[Any] | None = None,
    ) -> None:
        self.model = model
        self.session = session
        self.request = request
        self.params = parse_query_parameters(request.query_params.multi_items())
        self._base: Select[Any] = select(model) if base is None else base
        self._nulls: NullsPosition | None = None
        self._filters: dict[str, AllowedFilter] = {}
        self._sorts: dict[str, AllowedSort] = {}
        self._includes: list[str] = []
        self._fields: list[str] = []
        self._default_sorts: list[str] = []

    @classmethod
    def for_model(cls, model: type[M], session: AsyncSession, request: Request) -> QueryBuilder[M]:
        """Start from ``select(model)`` and the request's query string."""
        return cls(model, session, request)

    @classmethod
    def for_query(
        cls, statement: Select[M], session: AsyncSession, request: Request
    ) -> QueryBuilder[M]:
        """Start from ``statement`` (a ``select(Model)`` with the endpoint's own conditions,
        joins or options); the request's filters, sorts and includes are added to it.

        Raises:
            ValueError: ``statement`` does not select exactly one mapped model.
        """
        descriptions = statement.column_descriptions
        entity = descriptions[0].get("entity") if len(descriptions) == 1 else None
        if not isinstance(entity, type) or descriptions[0].get("type") is not entity:
            raise ValueError("QueryBuilder.for_query needs a select() of one model: select(Post)")
        model: type[M] = entity
        return cls(model, session, request, base=statement)

    def nulls_first(self) -> Self:
        """Put rows with a NULL sort key first, for every sort that does not say otherwise."""
        self._nulls = "first"
        return self

    def nulls_last(self) -> Self:
        """Put rows with a NULL sort key last, for every sort that does not say otherwise."""
        self._nulls = "last"
        return self

    def where(self, *criteria: Any) -> Self:
        """Conditions the endpoint always applies (e.g. the current user's rows)."""
        self._base = self._base.where(*criteria)
        return self

    def allowed_filters(self, filters: Sequence[AllowedFilter | str]) -> Self:
        """Filters the client may use; a plain name is an exact filter on that column."""
        for item in filters:
            allowed = AllowedFilter.exact(item) if isinstance(item, str) else item
            self._filters[allowed.name] = allowed
        return self

    def allowed_sorts(self, sorts: Sequence[AllowedSort | str]) -> Self:
        """Sorts the client may use; a plain name sorts by that column."""
        for item in sorts:
            allowed = AllowedSort.field(item.lstrip("-")) if isinstance(item, str) else item
            self._sorts[allowed.name] = allowed
        return self

    def allowed_includes(self, includes: Sequence[str]) -> Self:
        """Relationships (``roles``, ``posts.comments``), counts (``roles_count``) and
        existence flags (``roles_exists``)."""
        self._includes = list(includes)
        return self

    def allowed_fields(self, fields: Sequence[str]) -> Self:
        """Columns the client may pick with ``fields[<table>]=a,b`` (the key always comes too)."""
        self._fields = list(fields)
        return self

    def default_sort(self, *sorts: str) -> Self:
        """Sorts used when the request names none (``"-created_at"``)."""
        self._default_sorts = list(sorts)
        return self

    # -- building ----------------------------------------------------------------------------

    def statement(self) -> Select[Any]:
        """The ``SELECT`` with everything applied; rows are ``(model, *counts)``."""
        statement = self._apply_filters(self._base)
        statement = self._apply_fields_and_includes(statement)
        return self._apply_sorts(statement)

    async def get(self) -> list[M]:
        """Run the query; ``*_count`` and ``*_exists`` includes are set on each model."""
        result = await self.session.execute(self.statement())
        return self._models(result.all())

    async def paginate(
        self, *, default_per_page: int = DEFAULT_PER_PAGE, max_per_page: int = DEFAULT_MAX_PER_PAGE
    ) -> LengthAwarePaginator[M]:
        """One page (``?page=2&per_page=20``) and the total: a COUNT over the filtered rows,
        then the page query; includes cost the same whatever the page size."""
        pages = await page_params(default_per_page=default_per_page, max_per_page=max_per_page)(
            self.request
        )
        filtered = self._apply_filters(self._base)
        # Options such as "include trashed rows" live on the statement that is executed.
        counted = (
            select(func.count())
            .select_from(filtered.order_by(None).subquery())
            .execution_options(**filtered.get_execution_options())
        )
        total = int((await self.session.execute(counted)).scalar_one())
        items: list[M] = []
        offset = (pages.page - 1) * pages.per_page
        if total > offset:
            page = self.statement().limit(pages.per_page).offset(offset)
            items = self._models((await self.session.execute(page)).all())
        return LengthAwarePaginator(
            items=items, total=total, per_page=pages.per_page, current_page=pages.page
        )

    def _models(self, rows: Sequence[Any]) -> list[M]:
        # The extra columns come in the order _apply_fields_and_includes added them.
        extras = [name for name in self._requested_includes() if _is_column_include(name)]
        models: list[M] = []
        for row in rows:
            model = row[0]
            for index, name in enumerate(extras, start=1):
                value = row[index]
                setattr(model, name, bool(value) if name.endswith(EXISTS_SUFFIX) else value)
            models.append(model)
        return models

    def _apply_filters(self, statement: Select[Any]) -> Select[Any]:
        asked = self.params.filters
        unknown = [name for name in asked if name not in self._filters]
        if unknown:
            raise _not_allowed("filter", unknown, list(self._filters))
        for name, allowed in self._filters.items():
            value = asked.get(name, allowed.default)
            if value is None and allowed.kind == "trashed":
                value = ""  # soft-deleted rows stay hidden unless asked for
            if value is not None:
                statement = allowed.apply(statement, self.model, value)
        return statement

    def _apply_sorts(self, statement: Select[Any]) -> Select[Any]:
        asked = self.params.sorts or self._default_sorts
        unknown = [s for s in self.params.sorts if s.lstrip("-") not in self._sorts]
        if unknown:
            raise _not_allowed("sort", unknown, list(self._sorts))
        for sort in asked:
            allowed = self._sorts.get(sort.lstrip("-")) or AllowedSort.field(sort.lstrip("-"))
            statement = allowed.apply(statement, self.model, sort.startswith("-"), self._nulls)
        return statement

    def _requested_includes(self) -> list[str]:
        unknown = [name for name in self.params.includes if name not in self._includes]
        if unknown:
            raise _not_allowed("include", unknown, self._includes)
        return list(dict.fromkeys(self.params.includes))

    def _apply_fields_and_includes(self, statement: Select[Any]) -> Select[Any]:
        table = getattr(self.model, "__tablename__", "")
        includes = self._requested_includes()
        picked = {
            name: self._allowed_columns(name, cols) for name, cols in self.params.fields.items()
        }
        for resource in picked:
            if resource != table and resource not in includes:
                raise BadRequestError(
                    f"Requested fields for `{resource}`, which is neither `{table}` nor included.",
                    error="invalid_field",
                )
        own = picked.get(table)
        if own:
            statement = statement.options(load_only(*(getattr(self.model, c) for c in own)))
        for name in includes:
            if name.endswith(COUNT_SUFFIX):
                statement = add_count(statement, self.model, name[: -len(COUNT_SUFFIX)])
            elif name.endswith(EXISTS_SUFFIX):
                statement = add_exists(statement, self.model, name[: -len(EXISTS_SUFFIX)])
            else:
                loader = relationship_loader(self.model, name, picked.get(name))
                statement = statement.options(loader)
        return statement

    def _allowed_columns(self, resource: str, columns: list[str]) -> list[str]:
        """``fields[users]=id,name`` is checked against ``id``/``name`` (the model's table) or
        ``roles.name`` (an included relationship) in :meth:`allowed_fields`."""
        table = getattr(self.model, "__tablename__", "")
        allowed = [
            f if resource == table and "." not in f else f.partition(".")[2]
            for f in self._fields
            if (resource == table and "." not in f) or f.startswith(f"{resource}.")
        ]
        unknown = [column for column in columns if column not in allowed]
        if unknown:
            raise _not_allowed("field", [f"{resource}.{c}" for c in unknown], self._fields)
        return columns


def _is_column_include(name: str) -> bool:
    return name.endswith(COUNT_SUFFIX) or name.endswith(EXISTS_SUFFIX)
