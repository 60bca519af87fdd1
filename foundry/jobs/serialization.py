"""JSON encoding of job fields: plain JSON values as they are, everything else tagged.

A tagged value is ``{"$t": tag, ...}``. Models (any SQLAlchemy mapped instance) are stored as
their class path and primary key and fetched again when the job runs, as Laravel's
``SerializesModels`` does, so a job always sees the row as it is then, never a stale copy.
Pickle is never used: a payload can only ever name data, not code to run. A class named in a
payload is instantiated only if it is an Enum, a dataclass or a model (a subclass of the
framework's ``Base``); anything else (``subprocess.Popen``, ``os.system``) is refused with
:class:`~foundry.jobs.errors.UnsafeClassError`, even in a correctly signed payload.
"""

from __future__ import annotations

import base64
import dataclasses
import enum
import importlib
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any
from uuid import UUID

from sqlalchemy import inspect as sa_inspect
from sqlalchemy.ext.asyncio import AsyncSession

from foundry.database.base import Base
from foundry.database.lazy_session import LazySession
from foundry.jobs.errors import ModelNotFoundError, PayloadError, UnsafeClassError

__all__ = ["SessionSource", "class_path", "decode_value", "encode_value", "import_class"]

#: Where models come from: a handle that opens the scope's session the first time a model is
#: decoded (most jobs hold none, and opening a session per job is wasted work), or nothing.
SessionSource = LazySession | None

_TAG = "$t"


def class_path(cls: type[Any]) -> str:
    """``module.QualName`` of ``cls``."""
    return f"{cls.__module__}.{cls.__qualname__}"


def import_class(path: str) -> type[Any]:
    """The class at ``module.QualName``; raises :class:`PayloadError` when there is none."""
    module_name, _, name = path.rpartition(".")
    if not module_name:
        raise PayloadError(f"{path!r} is not a dotted class path")
    try:
        target: Any = importlib.import_module(module_name)
    except ImportError:
        # A nested class: walk back until a module imports.
        outer, _, inner = module_name.rpartition(".")
        try:
            target = importlib.import_module(outer) if outer else None
        except ImportError:
            target = None
        if target is None:
            raise PayloadError(f"class {path!r} not found: no module {module_name!r}") from None
        name = f"{inner}.{name}"
    for part in name.split("."):
        target = getattr(target, part, None)
        if target is None:
            raise PayloadError(f"class {path!r} not found")
    if not isinstance(target, type):
        raise PayloadError(f"{path!r} is not a class")
    return target


def _allowed_class(path: str, tag: str) -> type[Any]:
    """The class at ``path`` if it is of the kind ``tag`` stores; :class:`UnsafeClassError` if not."""
    cls = import_class(path)
    allowed = {
        "enum": issubclass(cls, enum.Enum),
        "dataclass": dataclasses.is_dataclass(cls),
        "model": issubclass(cls, Base),
    }
    if not allowed.get(tag, False):
        kind = {"enum": "an Enum", "dataclass": "a dataclass", "model": "a model"}.get(tag, tag)
        raise UnsafeClassError(
            f"a stored {tag!r} value names {path}, which is not {kind}: refused, not instantiated"
        )
    return cls


def _model_key(value: object) -> tuple[type[Any], list[Any]] | None:
    state: Any = sa_inspect(value, raiseerr=False)
    mapper = getattr(state, "mapper", None)
    if mapper is None or not hasattr(state, "identity"):
        return None
    identity = state.identity
    if identity is None:
        identity = mapper.primary_key_from_instance(value)
    return type(value), list(identity)


def encode_value(value: Any) -> Any:
    """``value`` as JSON-ready data; raises :class:`TypeError` for what cannot be stored."""
    if isinstance(value, enum.Enum):  # before the scalars: an IntEnum is an int too
        return {_TAG: "enum", "c": class_path(type(value)), "v": encode_value(value.value)}
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    if isinstance(value, list):
        return [encode_value(item) for item in value]
    if isinstance(value, dict):
        if all(isinstance(key, str) for key in value) and _TAG not in value:
            return {key: encode_value(item) for key, item in value.items()}
        return {_TAG: "map", "v": [[encode_value(k), encode_value(v)] for k, v in value.items()]}
    if isinstance(value, tuple):
        return {_TAG: "tuple", "v": [encode_value(item) for item in value]}
    if isinstance(value, (set, frozenset)):
        return {_TAG: "set", "v": [encode_value(item) for item in value]}
    if isinstance(value, datetime):
        return {_TAG: "datetime", "v": value.isoformat()}
    if isinstance(value, date):
        return {_TAG: "date", "v": value.isoformat()}
    if isinstance(value, time):
        return {_TAG: "time", "v": value.isoformat()}
    if isinstance(value, timedelta):
        return {_TAG: "timedelta", "v": value.total_seconds()}
    if isinstance(value, UUID):
        return {_TAG: "uuid", "v": str(value)}
    if isinstance(value, Decimal):
        return {_TAG: "decimal", "v": str(value)}
    if isinstance(value, bytes):
        return {_TAG: "bytes", "v": base64.b64encode(value).decode("ascii")}
    model = _model_key(value)
    if model is not None:
        return {_TAG: "model", "c": class_path(model[0]), "k": encode_value(model[1])}
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        fields = {f.name: encode_value(getattr(value, f.name)) for f in dataclasses.fields(value)}
        return {_TAG: "dataclass", "c": class_path(type(value)), "v": fields}
    raise TypeError(
        f"a job field holds a {type(value).__qualname__}, which cannot be stored as JSON: "
        "use plain values, dates, UUIDs, enums, dataclasses or models"
    )


async def decode_value(data: Any, session: SessionSource, *, missing_ok: bool) -> Any:
    """The value :func:`encode_value` stored; models are fetched with ``session``.

    A :class:`LazySession` is opened only for a model.

    Raises:
        ModelNotFoundError: a model's row is gone and ``missing_ok`` is False.
        PayloadError: the data is not something :func:`encode_value` writes.
    """
    if isinstance(data, list):
        return [await decode_value(item, session, missing_ok=missing_ok) for item in data]
    if not isinstance(data, dict):
        return data
    tag = data.get(_TAG)
    if tag is None:
        return {k: await decode_value(v, session, missing_ok=missing_ok) for k, v in data.items()}
    try:
        return await _decode_tagged(str(tag), data, session, missing_ok)
    except (ModelNotFoundError, PayloadError):
        raise
    except (KeyError, TypeError, ValueError) as exc:
        raise PayloadError(f"cannot decode a stored {tag!r} value: {exc}") from exc


async def _decode_tagged(
    tag: str, data: dict[str, Any], session: SessionSource, missing_ok: bool
) -> Any:
    value: Any = data.get("v")
    simple: dict[str, Any] = {
        "datetime": datetime.fromisoformat,
        "date": date.fromisoformat,
        "time": time.fromisoformat,
        "timedelta": lambda v: timedelta(seconds=v),
        "uuid": UUID,
        "decimal": Decimal,
        "bytes": lambda v: base64.b64decode(v, validate=True),
    }
    if tag in simple:
        return simple[tag](value)
    if tag in ("tuple", "set"):
        items = [await decode_value(item, session, missing_ok=missing_ok) for item in value]
        return tuple(items) if tag == "tuple" else set(items)
    if tag == "map":
        pairs = [await decode_value(pair, session, missing_ok=missing_ok) for pair in value]
        return {key: item for key, item in pairs}
    if tag == "enum":
        cls = _allowed_class(str(data["c"]), tag)
        return cls(await decode_value(value, session, missing_ok=False))
    if tag == "dataclass":
        cls = _allowed_class(str(data["c"]), tag)
        fields = await decode_value(value, session, missing_ok=missing_ok)
        return cls(**fields)
    if tag == "model":
        return await _fetch_model(data, session, missing_ok)
    raise PayloadError(f"unknown value tag {tag!r}")


async def _fetch_model(data: dict[str, Any], session: SessionSource, missing_ok: bool) -> Any:
    cls = _allowed_class(str(data["c"]), "model")
    if sa_inspect(cls, raiseerr=False) is None:
        raise PayloadError(f"{data['c']} is not a mapped model")
    if session is None:
        raise PayloadError("the job holds a model but no database session is available")
    key = await decode_value(data["k"], None, missing_ok=False)
    found = await session.get().get(cls, key[0] if len(key) == 1 else tuple(key))
    if found is None and not missing_ok:
        raise ModelNotFoundError(f"{cls.__qualname__} with key {key!r} no longer exists")
    return found
