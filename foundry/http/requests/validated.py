"""``Validated[SomeRequest]``: a controller parameter that is the validated form request.

    @router.post("/users", status_code=201)
    async def store(data: Validated[StoreUserRequest], users: Inject[UserService]) -> ...:
        return await users.create(data.email, data.password)

mypy sees ``Validated[StoreUserRequest]`` as ``StoreUserRequest``; FastAPI sees
``Annotated[StoreUserRequest, Depends(validator_for(StoreUserRequest))]``. The dependency reads
the JSON body itself (so strictness applies to the JSON as sent) and runs the steps listed on
:class:`~foundry.http.requests.form_request.FormRequest`.
"""

from __future__ import annotations

import inspect
from collections.abc import AsyncIterator, Callable, Iterator, Mapping
from email.message import Message
from typing import TYPE_CHECKING, Annotated, Any, TypeVar, cast

import pydantic
import pydantic_core
from fastapi import Body, Depends
from sqlalchemy.ext.asyncio import AsyncSession
from starlette.requests import Request

from foundry.http.dependencies import container_for
from foundry.http.requests.errors import format_pydantic_errors, with_present_errors
from foundry.http.requests.form_request import FormRequest
from foundry.http.requests.multipart import (
    accepts_files,
    close_uploads,
    is_multipart,
    read_form,
    upload_limits,
)
from foundry.http.requests.openapi import body_schema
from foundry.kernel.errors import AuthorizationError, BadRequestError, HttpError, ValidationError
from foundry.validation import DatabaseRule, ErrorBag, Messages, RuleSet, Validator

__all__ = ["UnsupportedMediaTypeError", "Validated", "validate_request", "validator_for"]

F = TypeVar("F", bound=FormRequest)


class UnsupportedMediaTypeError(HttpError):
    """415: the body was sent as something other than JSON."""

    status_code = 415
    error = "unsupported_media_type"
    default_message = "The request body must be sent as JSON (Content-Type: application/json)."


def _is_json(content_type: str) -> bool:
    parsed = Message()
    parsed["content-type"] = content_type
    subtype = parsed.get_content_subtype()
    return parsed.get_content_maintype() == "application" and (
        subtype == "json" or subtype.endswith("+json")
    )


async def _read_body(request: Request) -> bytes:
    body = await request.body()
    if not body.strip():
        return b"{}"  # no input at all: every required field is reported missing
    content_type = request.headers.get("content-type")
    if content_type and not _is_json(content_type):
        raise UnsupportedMediaTypeError()
    return body


def _without_database_rules(rules: RuleSet) -> RuleSet:
    return {
        field: [rule for rule in field_rules if not isinstance(rule, DatabaseRule)]
        for field, field_rules in rules.items()
    }


async def _rule_errors(
    request: Request, data: Mapping[str, object], rules: RuleSet, messages: Messages
) -> dict[str, list[str]]:
    """The rules' errors; only rules that ask the database open (or join) the session."""
    validator = Validator(data, rules, messages)
    session = container_for(request).make(AsyncSession) if validator.needs_database else None
    return await validator.errors(session)


async def _run_after(instance: FormRequest, bag: ErrorBag, *, partial: bool) -> None:
    """The request's ``after`` hooks; on ``partial`` input, those needing a bad field are skipped."""
    try:
        hooks = instance.after()
    except AttributeError:
        if not partial:
            raise
        return
    for hook in hooks:
        try:
            outcome = hook(bag)
            if inspect.isawaitable(outcome):
                await outcome
        except AttributeError:
            # On partial input, the hook read a field pydantic refused: that one is reported.
            if not partial:
                raise


async def _invalid_shape(
    model: type[F],
    request: Request,
    body: bytes | Mapping[str, object],
    error: pydantic.ValidationError,
) -> ValidationError:
    """Every error at once: pydantic's, the rules' on the fields it accepted, the hooks'."""
    errors = with_present_errors(error.errors(include_url=False), model)
    for item in errors:
        if item["type"] == "json_invalid":
            reason = (item.get("ctx") or {}).get("error", "invalid JSON")
            raise BadRequestError(
                f"The request body is not valid JSON: {reason}.", error="invalid_json"
            )
    # A top-level field with any error anywhere inside it is left out entirely.
    rejected = {str(item["loc"][0]) for item in errors if item["loc"]}
    raw = pydantic_core.from_json(body) if isinstance(body, bytes) else body
    accepted = (
        {k: v for k, v in raw.items() if isinstance(k, str) and k not in rejected}
        if isinstance(raw, dict)
        else {}
    )
    nul_paths = list(_nul_paths(accepted, ""))
    rejected |= {path.split(".", 1)[0] for path in nul_paths}
    accepted = {k: v for k, v in accepted.items() if k not in rejected}
    # The hooks need an instance; this one holds only the values pydantic accepted.
    partial = model.model_construct(**accepted)
    partial.bind_request(request)
    try:
        messages = Messages(partial.messages(), partial.attributes())
        rules = partial.rules()
    except AttributeError:
        # A hook read a field the input got wrong: report pydantic's errors on their own.
        messages, rules = Messages(), {}
    bag = ErrorBag(format_pydantic_errors(errors, messages))
    for path in nul_paths:
        bag.add(path, _NUL_MESSAGE)
    try:
        allowed: bool | None = await partial.authorize(request)
    except AttributeError:
        allowed = None  # it needs a field the input got wrong: ask no database rule
    if allowed is False:
        raise AuthorizationError()
    if not allowed:
        rules = _without_database_rules(rules)
    rules = {field: r for field, r in rules.items() if field.split(".", 1)[0] not in rejected}
    bag.merge(await _rule_errors(request, accepted, rules, messages))
    if allowed:
        await _run_after(partial, bag, partial=True)
    return ValidationError(bag.to_dict())


_NUL_MESSAGE = "The field must not contain a NUL byte."


def _nul_paths(value: object, path: str) -> Iterator[str]:
    if isinstance(value, str):
        if "\x00" in value:
            yield path
    elif isinstance(value, Mapping):
        for key, item in value.items():
            yield from _nul_paths(item, f"{path}.{key}" if path else str(key))
    elif isinstance(value, (list, tuple)):
        for index, item in enumerate(value):
            yield from _nul_paths(item, f"{path}.{index}")


def _refuse_nul_bytes(data: Mapping[str, object]) -> None:
    """422 for any string holding a NUL byte: no text column can store one."""
    found = list(_nul_paths(data, ""))
    if found:
        raise ValidationError({path: [_NUL_MESSAGE] for path in found})


async def validate_request(model: type[F], request: Request) -> F:
    """Parse, authorize and validate ``request`` as ``model``; raise the HTTP error if not.

    The body is JSON, or a multipart form whose files arrive as ``UploadedFile`` fields (a form
    sends every value as text, so its fields are read in pydantic's lax mode: ``"3"`` is an
    ``int``). Uploads are closed here when the request fails, else once it is answered.
    """
    if is_multipart(request.headers.get("content-type")):
        form = await read_form(request, _upload_limits(model, request))
        try:
            return await _validate(model, request, form)
        except BaseException:
            close_uploads(form)
            raise
    return await _validate(model, request, await _read_body(request))


def _upload_limits(model: type[F], request: Request) -> dict[str, int]:
    """The ``max`` of each file field, read from :meth:`FormRequest.rules` before any input."""
    probe = model.model_construct()
    probe.bind_request(request)
    try:
        return upload_limits(probe.rules())
    except AttributeError:
        return {}  # the rules read a field: no early limit, the rules still run after parsing


async def _validate(model: type[F], request: Request, body: bytes | dict[str, Any]) -> F:
    try:
        if isinstance(body, bytes):
            instance = model.model_validate_json(body)
        else:
            instance = model.model_validate(body, strict=False)
    except pydantic.ValidationError as error:
        raise await _invalid_shape(model, request, body, error) from None
    data = instance.model_dump(by_alias=True)
    _refuse_nul_bytes(data)
    instance.bind_request(request)
    if not await instance.authorize(request):
        raise AuthorizationError()
    messages = Messages(instance.messages(), instance.attributes())
    bag = ErrorBag(await _rule_errors(request, data, instance.rules(), messages))
    await _run_after(instance, bag, partial=False)
    if bag.any():
        raise ValidationError(bag.to_dict())
    return instance


Resolver = Callable[[Request], AsyncIterator[F]]
# One dependency per form request class, so FastAPI's per-request cache validates it once.
_validators: dict[type[FormRequest], Callable[[Request], AsyncIterator[Any]]] = {}


def validator_for(model: type[F]) -> Resolver[F]:
    """The FastAPI dependency that gives a validated ``model`` (and closes its uploads after)."""
    found = _validators.get(model)
    if found is None:

        async def validated(request: Request, body: Any = None) -> AsyncIterator[F]:
            instance = await validate_request(model, request)
            try:
                yield instance
            finally:
                close_uploads(instance)

        # ``body`` is never read: it only puts the model's schema into OpenAPI (FastAPI parses
        # it, which also answers malformed JSON with the kernel's 400). The signature is built
        # by hand because the schema is only known here, per model. A request taking files has
        # no such parameter: FastAPI would read the whole upload into memory before we could
        # enforce its size limits while it streams.
        keyword = inspect.Parameter.POSITIONAL_OR_KEYWORD
        parameters = [inspect.Parameter("request", keyword, annotation=Request)]
        if not accepts_files(model):
            documented = Annotated[Any, Body(json_schema_extra=body_schema(model))]
            parameters.append(
                inspect.Parameter("body", keyword, default=None, annotation=documented)
            )
        signature = inspect.Signature(parameters, return_annotation=model)
        setattr(validated, "__signature__", signature)
        validated.__name__ = f"validate_{model.__name__}"
        found = _validators[model] = validated
    return cast(Resolver[F], found)


if TYPE_CHECKING:
    # To mypy, ``Validated[X]`` is ``X``, and ``X`` must be a FormRequest.
    Validated = Annotated[F, "validated"]
else:

    class Validated:
        """``Validated[Request]`` -> ``Annotated[Request, Depends(validator_for(Request))]``."""

        __slots__ = ()

        def __class_getitem__(cls, model: Any) -> Any:
            return Annotated[model, Depends(validator_for(model))]
