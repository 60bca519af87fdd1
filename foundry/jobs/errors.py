"""What can go wrong between dispatching a job and running it."""

from __future__ import annotations

__all__ = [
    "JobAuthorizationError",
    "JobConfigurationError",
    "JobTimeoutError",
    "MaxAttemptsExceededError",
    "ModelNotFoundError",
    "PayloadError",
]


class PayloadError(ValueError):
    """A payload that cannot become a job: corrupt JSON, an unknown or non-Job class, a value
    that does not decode, or a secure payload that was tampered with. Recorded as failed."""


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
