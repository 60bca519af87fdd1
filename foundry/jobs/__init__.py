"""Jobs: the ``Job`` base, dispatching, serialization, job middleware, unique and secure jobs."""

from __future__ import annotations

from foundry.jobs.context import JobContext
from foundry.jobs.errors import (
    JobAuthorizationError,
    JobConfigurationError,
    JobTimeoutError,
    MaxAttemptsExceededError,
    ModelNotFoundError,
    PayloadError,
    PayloadSignatureError,
    UnsafeClassError,
)
from foundry.jobs.job import Job
from foundry.jobs.middleware import JobMiddleware, LoggingMiddleware, MiddlewareStack, Skip
from foundry.jobs.overlapping import ThrottlesExceptions, WithoutOverlapping
from foundry.jobs.pending import DispatchOptions, PendingDispatch
from foundry.jobs.rate_limited import RateLimit, RateLimited, RateLimitedMiddleware
from foundry.jobs.secure import JobAuthorizer, SecureJob
from foundry.jobs.unique import ShouldBeUnique

__all__ = [
    "DispatchOptions",
    "Job",
    "JobAuthorizationError",
    "JobAuthorizer",
    "JobConfigurationError",
    "JobContext",
    "JobMiddleware",
    "JobTimeoutError",
    "LoggingMiddleware",
    "MaxAttemptsExceededError",
    "MiddlewareStack",
    "ModelNotFoundError",
    "PayloadError",
    "PayloadSignatureError",
    "PendingDispatch",
    "RateLimit",
    "RateLimited",
    "RateLimitedMiddleware",
    "SecureJob",
    "ShouldBeUnique",
    "Skip",
    "ThrottlesExceptions",
    "UnsafeClassError",
    "WithoutOverlapping",
]
