"""``FormRequest``: a strict pydantic model of the input plus Laravel's form request hooks.

    class UpdateUserRequest(FormRequest):
        email: str
        password: str
        password_confirmation: str

        async def authorize(self, request: Request) -> bool:
            user = await self.user()                # None for a guest
            return user is not None and user.id == self.route("user_id")

        def rules(self) -> Mapping[str, Sequence[BaseRule]]:
            return {
                "email": [v.email(), v.unique("users", ignore=self.route("user_id"))],
                "password": [v.min_length(12), v.confirmed()],
            }

        def messages(self) -> Mapping[str, str]:
            return {"email.unique": "That address belongs to another account."}

Strictness: ``extra="forbid"`` and pydantic's strict mode, applied to the JSON document as sent.
Validating JSON (not Python objects) means the encodings JSON has no native type for are accepted
in their standard string form: ISO 8601 datetimes/dates/times, UUIDs, decimals as strings or
numbers, enums by value. What strict mode refuses is everything else: ``"1"`` for an ``int``,
``1`` for a ``bool``, ``1`` for a ``str``. Fields of the model may not be named ``request``,
``rules``, ``messages``, ``attributes``, ``after``, ``validated`` or ``user`` (the hooks own
those names).

Presence is spelled in the field's type (:mod:`foundry.validation.fields`): ``title:
Sometimes[str]`` may be left out but is never null. Datetimes sent without an offset are read in
``APP_TIMEZONE`` (:mod:`foundry.validation.dates`), so every ``datetime`` field is aware.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from pydantic import BaseModel, ConfigDict, PrivateAttr, field_validator
from pydantic_core import PydanticCustomError
from starlette.requests import Request

from foundry.auth.user import AuthUser
from foundry.http.auth import request_user
from foundry.http.binding import bound_model
from foundry.http.permissions import load_gate_user
from foundry.validation import AfterHook, BaseRule
from foundry.validation.dates import make_aware

__all__ = ["FormRequest"]


class FormRequest(BaseModel):
    """Base class of form requests; controllers receive subclasses through ``Validated[...]``.

    The request is checked in this order:

    1. the body must be JSON (400 when malformed, 415 when sent as another type), or a
       ``multipart/form-data`` form, whose files arrive as ``UploadedFile`` fields;
    2. pydantic checks the shape and types; on failure the 422 also carries the messages of the
       input-only rules (``in_``, ``regex``, ``min_length``...) on the fields pydantic accepted;
    3. :meth:`authorize` (403 when it answers ``False``);
    4. :meth:`rules`, database rules included, in one query, then the :meth:`after` hooks.

    Every failing field is reported in one 422, as Laravel does: pydantic's errors, the rules'
    (database rules included) and the ``after`` hooks'. Database rules run only once
    :meth:`authorize` said yes, so nobody can probe which emails are taken by sending a request
    they may not make.
    """

    model_config = ConfigDict(strict=True, extra="forbid")

    _request: Request | None = PrivateAttr(default=None)

    @property
    def request(self) -> Request:
        """The HTTP request this input came with."""
        if self._request is None:
            raise RuntimeError(f"{type(self).__name__} was not built from an HTTP request.")
        return self._request

    @field_validator("*", mode="after")
    @classmethod
    def _read_naive_datetimes_in_app_timezone(cls, value: Any) -> Any:
        try:
            return make_aware(value)
        except OverflowError:
            # Reported as any unreadable datetime: "must be a valid date and time".
            raise PydanticCustomError("datetime_parsing", "Input should be a valid datetime")

    def validated(self) -> dict[str, Any]:
        """The fields the input sent (by Python name), as Laravel's ``$request->validated()``.

        A field left out is not listed, a field sent as null is: ``post.fill(**data.validated())``
        changes only what the client sent.
        """
        return {name: getattr(self, name) for name in self.model_fields_set}

    def bind_request(self, request: Request) -> None:
        """Attach the HTTP request (done by the dependency before any hook runs)."""
        self._request = request

    def route(self, name: str, default: Any = None) -> Any:
        """A path parameter of the route: the model when the route binds it (``Bound[Post]``
        declared before the form request), else the value (converted for ``{id:int}``)."""
        found = bound_model(self.request, name)
        return found if found is not None else self.request.path_params.get(name, default)

    async def user(self) -> AuthUser | None:
        """The authenticated user (None for a guest), with roles and permissions loaded and
        made the Gate's user, so :meth:`authorize` can ask ``Gate.allows("update", post)``."""
        found = await request_user(self.request)
        if found is not None:
            await load_gate_user(self.request, found)
        return found

    async def authorize(self, request: Request) -> bool:
        """Whether the current user may make this request; ``False`` answers 403."""
        return True

    def rules(self) -> Mapping[str, Sequence[BaseRule]]:
        """Rules beyond the model's types, by field path: ``{"email": [unique("users")]}``."""
        return {}

    def messages(self) -> Mapping[str, str]:
        """Custom messages: ``{"email.unique": "...", "required": "..."}``.

        Keys are ``"field.rule"`` or ``"rule"``; rule names are Laravel's (``unique``,
        ``required``, ``integer``, ``string``...), or a pydantic error type (``missing``).
        ``:attribute`` and the rule's values (``:min``, ``:max``, ``:values``) are filled in.
        """
        return {}

    def attributes(self) -> Mapping[str, str]:
        """Display names for fields in messages: ``{"email": "email address"}``.

        ``{"lines.*.sku": "SKU"}`` names every item's field.
        """
        return {}

    def after(self) -> Sequence[AfterHook]:
        """Checks to run after the rules, sync or async, each given the :class:`ErrorBag`.

        They run even when other checks failed (as Laravel's ``after`` hooks do); a hook that
        reads a field the input got wrong is skipped, since that field is reported already.
        """
        return []
