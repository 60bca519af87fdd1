"""What can go wrong between dispatching a job and running it."""

from __future__ import annotations

__all__ = [
    "JobAuthorizationError",
    "JobConfigurationError",
    "JobTimeoutError",
    "MaxAttemptsExceededError",
    "ModelNotFoundError",
    "PayloadError",
    "PayloadSignatureError",
    "UnsafeClassError",
]


class PayloadError(ValueError):
    """A payload that cannot become a job: corrupt JSON, an unknown or non-Job class, a value
    that does not decode, or a secure payload that was tampered with. Recorded as failed."""


class PayloadSignatureError(PayloadError):
    """A payload that is unsigned, or whose signature no application key produced: it was
    written to the back end by someone other than this app (or before payloads were signed)."""


class UnsafeClassError(PayloadError):
    """A payload names a class that is not a Job, an Enum, a dataclass or a model, so it is never
    instantiated (``subprocess.Popen``, ``os.system``...)."""


class ModelNotFoundError(LookupError):
    """A model stored in a job by primary key no longer exists."""


class JobConfigurationError(ValueError):
    """A job or worker setting that cannot work (a timeout not shorter than retry_after)."""


class JobTimeoutError(TimeoutError):
    """The job ran longer than its timeout."""


class MaxAttemptsExceededError(RuntimeError):
    """The job was attempted too many times (or its worker died too often)."""


class JobAuthorizationError(PermissionError):
    """The dispatching user lacks a permission a secure job requires (or none can be checked)."""
