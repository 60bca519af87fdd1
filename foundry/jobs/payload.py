"""Payloads: a job as the JSON document a queue back end stores, and back.

The document holds the job's class path and encoded fields plus its options, so a worker needs
nothing but the text. Every document is signed with the application key
(:mod:`foundry.jobs.signing`) and checked before anything in it is imported or decoded; a
:class:`~foundry.jobs.secure.SecureJob`'s sensitive fields are encrypted as well. ``exceptions``
is the only part that changes between attempts and is left out of the signature.
"""

from __future__ import annotations

import json
import time
from collections.abc import Mapping, Sequence
from typing import Any

from foundry.jobs.errors import PayloadError, UnsafeClassError
from foundry.jobs.job import Job
from foundry.jobs.secure import SecureJob
from foundry.jobs.serialization import (
    SessionSource,
    class_path,
    decode_value,
    encode_value,
    import_class,
)
from foundry.jobs.signing import PayloadSigner, unsigned_view
from foundry.kernel.encryption import DecryptError, Encrypter

__all__ = [
    "build_payload",
    "dumps",
    "job_class",
    "loads",
    "restore_job",
    "unsigned_view",
    "verify_payload",
]

_NO_KEY = "queued jobs are signed with the application key: set APP_KEY (artisan key:generate)"


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
    signer: PayloadSigner | None,
    extra: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    """The signed payload of ``job``; ``extra`` sets top-level keys the queue's batteries read
    (``batch_id``), signed with the rest.

    Raises:
        TypeError: a field cannot be stored.
        PayloadError: there is no application key to sign with.
    """
    if signer is None:
        raise PayloadError(_NO_KEY)
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
    if extra:
        payload.update(extra)
    if isinstance(job, SecureJob):
        encrypter = signer.current
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
    signer.sign(payload)
    return payload


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
        raise UnsafeClassError(f"{payload['job']} is not a Job class: refused, not instantiated")
    return cls


def verify_payload(payload: dict[str, Any], signer: PayloadSigner | None) -> Encrypter:
    """Check ``payload``'s signature; returns the encrypter of the key that made it.

    Raises:
        PayloadSignatureError: unsigned, or signed with no key this app knows.
        PayloadError: there is no application key to check with.
    """
    if signer is None:
        raise PayloadError(f"job payload cannot be checked: {_NO_KEY}")
    return signer.verify(payload)


async def restore_job(
    payload: dict[str, Any], session: SessionSource, signer: PayloadSigner | None
) -> Job:
    """Check the signature, then rebuild the job (without calling ``__init__``), fetching its
    models with ``session`` (a session, or a :class:`LazySession` opened when the first model
    is decoded).

    Nothing in the payload is imported or decoded before its signature is checked.

    Raises:
        PayloadSignatureError: unsigned or tampered payload.
        PayloadError: unknown or disallowed class, undecodable secure payload, bad values.
        ModelNotFoundError: a stored model is gone (unless ``delete_when_missing_models``).
    """
    encrypter = verify_payload(payload, signer)
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
    payload: dict[str, Any], data: dict[str, Any], encrypter: Encrypter
) -> dict[str, Any]:
    # The signature was checked already (by the key handed in here), so the field list is ours.
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
