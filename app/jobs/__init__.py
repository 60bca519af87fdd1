"""Jobs: the ``Job`` base, dispatching, serialization, job middleware, unique and secure jobs."""

from __future__ import annotations

from app.jobs.context import JobContext
from app.jobs.errors import (
    JobAuthorizationError,
    JobConfigurationError,
    JobTimeoutError,
    MaxAttemptsExceededError,
    ModelNotFoundError,
    PayloadError,
)
from app.jobs.job import Job
from app.jobs.middleware import JobMiddleware, LoggingMiddleware, MiddlewareStack, Skip
from app.jobs.overlapping import ThrottlesExceptions, WithoutOverlapping
from app.jobs.pending import DispatchOptions, PendingDispatch
from app.jobs.rate_limited import RateLimit, RateLimited, RateLimitedMiddleware
from app.jobs.secure import JobAuthorizer, SecureJob
from app.jobs.unique import ShouldBeUnique

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
    "PendingDispatch",
    "RateLimit",
    "RateLimited",
    "RateLimitedMiddleware",
    "SecureJob",
    "ShouldBeUnique",
    "Skip",
    "ThrottlesExceptions",
    "WithoutOverlapping",
]
