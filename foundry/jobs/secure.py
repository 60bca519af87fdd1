"""Secure jobs: encrypted sensitive fields, an authenticated payload, required permissions.

```python
class ExportPayrollJob(SecureJob):
    def __init__(self, account: str, api_token: str) -> None:
        super().__init__()
        self.account = account
        self.api_token = api_token
        self.set_sensitive_fields(["api_token"])
        self.set_required_permissions(["export payroll"])

await ExportPayrollJob("acme", token).by_user(user.id).dispatch()
```

Sensitive fields are encrypted with the app key (AES-GCM, bound to the job's uuid), so neither
the queue back end nor ``failed_jobs`` ever holds them in clear. The whole payload carries a MAC:
a payload altered in the back end is recorded as failed with the reason and never run.
Permissions are checked through the container's :class:`JobAuthorizer` against the dispatching
user at dispatch and again before ``handle``; with no authorizer bound, such a job is refused.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Sequence

from foundry.jobs.job import Job

__all__ = ["JobAuthorizer", "SecureJob"]


class JobAuthorizer(ABC):
    """Answers whether a user holds permissions; the app binds one (roles and permissions)."""

    @abstractmethod
    async def allows(self, user_id: str, permissions: Sequence[str]) -> bool:
        """Whether ``user_id`` holds every permission in ``permissions``."""


class SecureJob(Job):
    """A job whose payload is authenticated and whose sensitive fields are encrypted."""

    def __init__(self) -> None:
        self._sensitive_fields: list[str] = []
        self._required_permissions: list[str] = []

    def set_sensitive_fields(self, names: Sequence[str]) -> None:
        """Encrypt these fields in the payload."""
        self._sensitive_fields = list(names)

    def set_required_permissions(self, permissions: Sequence[str]) -> None:
        """The dispatching user must hold all of these, at dispatch and when the job runs."""
        self._required_permissions = list(permissions)

    @property
    def sensitive_fields(self) -> list[str]:
        """The encrypted field names."""
        return list(self.__dict__.get("_sensitive_fields", []))

    @property
    def required_permissions(self) -> list[str]:
        """The permissions checked before dispatch and before ``handle``."""
        return list(self.__dict__.get("_required_permissions", []))
