"""Payloads: a job as the JSON document a queue back end stores, and back.

The document holds the job's class path and encoded fields plus its options, so a worker needs
nothing but the text. A :class:`~foundry.jobs.secure.SecureJob`'s sensitive fields are encrypted and
its document signed; ``exceptions`` is the only part that changes between attempts and is left
out of the signature.
"""

from __future__ import annotations

import json
import time
from collections.abc import Sequence
from typing import Any

from foundry.jobs.errors import PayloadError
from foundry.jobs.job import Job
from foundry.jobs.secure import SecureJob
from foundry.jobs.serialization import (
    SessionSource,
    class_path,
    decode_value,
    encode_value,
    import_class,
)
from foundry.kernel.encryption import DecryptError, Encrypter

__all__ = [
    "build_payload",
    "dumps",
    "loads",
    "restore_job",
    "unsigned_view",
]

_MUTABLE = ("signature", "exceptions")


def _backoff(value: object) -> list[float] | None:
    if value is None:
        return None
    if isinstance(value, (int, float)):
        return [float(value)]
    if isinstance(value, Sequence) and not isinstance(value, str):
        return [float(item) for item in value]
    raise TypeError(f"backoff must be seconds or a list of seconds, not {value!r}")


def build_payload(
    job: Job,
    *,
    uuid: str,
    connection: str,
    queue: str,
    priority: int,
    user_id: str | None,
    encrypter: Encrypter | None,
) -> dict[str, Any]:
    """The payload of ``job``; raises ``TypeError`` for a field that cannot be stored."""
    data = {name: encode_value(value) for name, value in job.fields().items()}
    deadline = job.retry_until()
    payload: dict[str, Any] = {
        "uuid": uuid,
        "display_name": job.display_name(),
        "job": class_path(type(job)),
        "data": data,
        "connection": connection,
        "queue": queue,
        "priority": priority,
        "tries": job.tries,
        "backoff": _backoff(job.backoff),
        "timeout": job.timeout,
        "max_exceptions": job.max_exceptions,
        "retry_until": deadline.timestamp() if deadline else None,
        "delete_when_missing_models": job.delete_when_missing_models,
        "pushed_at": time.time(),
        "batch_id": None,
        "user_id": user_id,
        "secure": None,
        "exceptions": 0,
    }
    if isinstance(job, SecureJob):
        if encrypter is None:
            raise PayloadError("secure jobs need the application key (APP_KEY)")
        for name in job.sensitive_fields:
            if name not in data:
                raise PayloadError(f"sensitive field {name!r} is not a field of the job")
            data[name] = {
                "$t": "enc",
                "v": encrypter.encrypt_string(json.dumps(data[name]), context=uuid),
            }
        payload["secure"] = {
            "fields": job.sensitive_fields,
            "permissions": job.required_permissions,
        }
        payload["signature"] = encrypter.mac(unsigned_view(payload))
    return payload


def unsigned_view(payload: dict[str, Any]) -> bytes:
    """The canonical bytes a signature covers: everything but the mutable keys."""
    stable = {key: value for key, value in payload.items() if key not in _MUTABLE}
    return json.dumps(stable, sort_keys=True, separators=(",", ":")).encode("utf-8")


def dumps(payload: dict[str, Any]) -> str:
    """The payload as compact JSON text."""
    return json.dumps(payload, separators=(",", ":"))


def loads(text: str | bytes) -> dict[str, Any]:
    """Parse a stored payload; raises :class:`PayloadError` for corrupt JSON or a wrong shape."""
    try:
        payload = json.loads(text)
    except (ValueError, UnicodeDecodeError) as exc:
        raise PayloadError(f"corrupt job payload (not JSON): {exc}") from exc
    if not isinstance(payload, dict):
        raise PayloadError("corrupt job payload: not a JSON object")
    for key in ("uuid", "job", "data"):
        if key not in payload:
            raise PayloadError(f"corrupt job payload: no {key!r}")
    if not isinstance(payload["data"], dict):
        raise PayloadError("corrupt job payload: 'data' is not an object")
    return payload


def job_class(payload: dict[str, Any]) -> type[Job]:
    """The Job subclass the payload names; raises :class:`PayloadError` for anything else."""
    cls = import_class(str(payload["job"]))
    if not issubclass(cls, Job):
        raise PayloadError(f"{payload['job']} is not a Job class")
    return cls


async def restore_job(
    payload: dict[str, Any], session: SessionSource, encrypter: Encrypter | None
) -> Job:
    """Rebuild the job (without calling ``__init__``), fetching its models with ``session``
    (a session, or a :class:`LazySession` opened when the first model is decoded).

    Raises:
        PayloadError: unknown class, tampered or undecodable secure payload, bad values.
        ModelNotFoundError: a stored model is gone (unless ``delete_when_missing_models``).
    """
    cls = job_class(payload)
    data = dict(payload["data"])
    secure = payload.get("secure")
    if issubclass(cls, SecureJob) != bool(secure):
        raise PayloadError("job payload was tampered with: secure marker does not match class")
    if secure:
        data = _open_secure(payload, data, encrypter)
    job = cls.__new__(cls)
    values = {name: await decode_value(v, session, missing_ok=False) for name, v in data.items()}
    job.__dict__.update(values)
    if isinstance(job, SecureJob) and isinstance(secure, dict):
        job.set_sensitive_fields(list(secure["fields"]))
        job.set_required_permissions(list(secure["permissions"]))
    return job


def _open_secure(
    payload: dict[str, Any], data: dict[str, Any], encrypter: Encrypter | None
) -> dict[str, Any]:
    if encrypter is None:
        raise PayloadError("secure job payload cannot be checked: no application key")
    signature = payload.get("signature")
    if not isinstance(signature, str) or not encrypter.verify_mac(
        unsigned_view(payload), signature
    ):
        raise PayloadError("job payload was tampered with: signature mismatch")
    for name in payload["secure"]["fields"]:
        sealed = data.get(name)
        if not isinstance(sealed, dict) or sealed.get("$t") != "enc":
            raise PayloadError(f"job payload was tampered with: field {name!r} is not encrypted")
        try:
            data[name] = json.loads(
                encrypter.decrypt_string(str(sealed["v"]), context=str(payload["uuid"]))
            )
        except DecryptError as exc:
            raise PayloadError(f"job payload was tampered with: {exc}") from exc
    return data
