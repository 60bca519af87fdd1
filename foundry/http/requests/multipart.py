"""Multipart form bodies for form requests: text fields and :class:`UploadedFile` parts.

A file field's size limit comes from the form request's own ``max`` rule (kilobytes, as
Laravel's ``max:2048``): the parser counts each file's bytes as they arrive and stops at the first
chunk past its field's limit, answering 422 without reading (or storing) the rest. Fields with no
``max`` rule are bounded by ``MAX_BODY_SIZE`` alone (413).
"""

from __future__ import annotations

from collections.abc import AsyncGenerator, Mapping
from email.message import Message
from typing import Any, get_args

from pydantic import BaseModel
from starlette.datastructures import Headers, UploadFile
from starlette.formparsers import MultiPartException, MultiPartParser
from starlette.requests import Request

from foundry.kernel.errors import BadRequestError, ValidationError
from foundry.storage.uploaded_file import UploadedFile
from foundry.validation import Max

__all__ = ["accepts_files", "close_uploads", "is_multipart", "read_form", "upload_limits"]

#: Text fields are small: a longer one is refused as Starlette does (1 MiB).
MAX_FIELD_SIZE = 1024 * 1024
MAX_FILES = 100
MAX_FIELDS = 1000


def is_multipart(content_type: str | None) -> bool:
    """Whether the body is ``multipart/form-data``."""
    if not content_type:
        return False
    parsed = Message()
    parsed["content-type"] = content_type
    return parsed.get_content_type() == "multipart/form-data"


def _holds_files(annotation: object) -> bool:
    if annotation is UploadedFile:
        return True
    return any(_holds_files(argument) for argument in get_args(annotation))


def accepts_files(model: type[BaseModel]) -> bool:
    """Whether any field of ``model`` is an :class:`UploadedFile` (or a list of them)."""
    return any(_holds_files(field.annotation) for field in model.model_fields.values())


def upload_limits(rules: Mapping[str, Any]) -> dict[str, int]:
    """Each field's largest allowed file in bytes, from the ``max`` rules among ``rules``.

    ``photos.*`` limits every file of the ``photos`` list.
    """
    limits: dict[str, int] = {}
    for field, field_rules in rules.items():
        name = field[:-2] if field.endswith(".*") else field
        for rule in field_rules:
            if isinstance(rule, Max):
                limit = int(rule.limit * 1024)
                limits[name] = min(limit, limits.get(name, limit))
    return limits


class UploadTooLargeError(Exception):
    """A file part passed its field's limit while streaming in."""

    def __init__(self, field: str, limit: int) -> None:
        super().__init__(field)
        self.field = field
        self.limit = limit


class _LimitedParser(MultiPartParser):
    """Starlette's parser, counting each file part against its field's limit as it arrives."""

    def __init__(
        self, headers: Headers, stream: AsyncGenerator[bytes, None], limits: Mapping[str, int]
    ) -> None:
        super().__init__(
            headers,
            stream,
            max_files=MAX_FILES,
            max_fields=MAX_FIELDS,
            max_part_size=MAX_FIELD_SIZE,
        )
        self._limits = limits
        self._received = 0

    def on_part_begin(self) -> None:
        super().on_part_begin()
        self._received = 0

    def on_part_data(self, data: bytes, start: int, end: int) -> None:
        part = self._current_part
        if part.file is not None:
            self._received += end - start
            limit = self._limits.get(part.field_name.removesuffix("[]"))
            if limit is not None and self._received > limit:
                raise UploadTooLargeError(part.field_name.removesuffix("[]"), limit)
        super().on_part_data(data, start, end)


def _uploaded(upload: UploadFile) -> UploadedFile:
    return UploadedFile(
        upload.file,
        client_name=upload.filename or "",
        client_mime_type=upload.content_type or "application/octet-stream",
        size=upload.size or 0,
    )


async def read_form(request: Request, limits: Mapping[str, int]) -> dict[str, Any]:
    """The form as a dict: ``name[]`` and repeated names become lists; files are
    :class:`UploadedFile`. A file input left empty (no name, no bytes) counts as absent.

    Raises:
        ValidationError: a file passed its field's ``max`` (422, the rest left unread).
        BadRequestError: the body is not valid multipart.
    """
    parser = _LimitedParser(request.headers, request.stream(), limits)
    try:
        form = await parser.parse()
    except UploadTooLargeError as error:
        kilobytes = error.limit // 1024
        message = f"The {error.field.replace('_', ' ')} field must not be greater than {kilobytes} kilobytes."
        raise ValidationError({error.field: [message]}) from None
    except MultiPartException as error:
        raise BadRequestError(
            f"The form is not valid multipart: {error.message}", error="invalid_multipart"
        ) from None
    data: dict[str, Any] = {}
    for name, value in form.multi_items():
        item: Any = value
        if isinstance(value, UploadFile):
            if not value.filename and not value.size:
                value.file.close()
                continue
            item = _uploaded(value)
        if name.endswith("[]"):
            data.setdefault(name[:-2], []).append(item)
        elif name in data:
            existing = data[name]
            data[name] = [*existing, item] if isinstance(existing, list) else [existing, item]
        else:
            data[name] = item
    return data


def close_uploads(value: object) -> None:
    """Close every :class:`UploadedFile` in ``value`` (a dict or list of fields, or a model)."""
    if isinstance(value, UploadedFile):
        value.close()
    elif isinstance(value, Mapping):
        for item in value.values():
            close_uploads(item)
    elif isinstance(value, list | tuple):
        for item in value:
            close_uploads(item)
    elif hasattr(value, "__dict__") and not isinstance(value, type):
        for item in vars(value).values():
            if isinstance(item, UploadedFile | list | tuple):
                close_uploads(item)
