"""schemathesis over every operation of an app's OpenAPI document, in-process and signed in.

Cases are generated first, deterministically (``derandomize``, a few examples an operation, no
deadline, no example database), then sent through the suite's async
:class:`~foundry.testing.TestClient`: requests run on the test's event loop and inside its
database transaction. Each answer goes through the four checks the issue names.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.core.failures import FailureGroup
from schemathesis.core.result import Ok
from schemathesis.generation.case import Case as SchemathesisCase
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)
from sqlalchemy.ext.asyncio import AsyncSession

from foundry.auth.user import AuthUser
from foundry.permissions import Permission
from foundry.testing import TestClient

Case = SchemathesisCase[Any]

__all__ = [
    "ADMIN_PERMISSIONS",
    "CHECKS",
    "ConformanceReport",
    "assert_every_operation_conforms",
    "generate_cases",
    "run_conformance",
]

#: No 5xx, and the status, content type and body of every answer as documented.
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]


def generate_cases(document: dict[str, Any], *, max_examples: int = 3) -> list[Case]:
    """``max_examples`` cases for every operation of ``document``, the same ones every run."""
    schema = schemathesis.openapi.from_dict(document)
    cases: list[Case] = []
    for result in schema.get_all_operations():
        # An operation schemathesis cannot read is a broken document: fail loudly.
        assert isinstance(result, Ok), f"schemathesis cannot read an operation: {result!r}"
        operation = result.ok()

        @settings(
            max_examples=max_examples,
            derandomize=True,
            deadline=None,
            database=None,
            # Generation only: the requests are sent afterwards, so nothing here is slow.
            suppress_health_check=list(HealthCheck),
        )
        @given(case=operation.as_strategy())
        def collect(case: Case) -> None:
            cases.append(case)

        collect()
    return cases


@dataclass
class ConformanceReport:
    """What a run sent (``statuses``: status -> count) and found (one line per failing case)."""

    sent: int = 0
    statuses: dict[int, int] = field(default_factory=dict)
    failures: list[str] = field(default_factory=list)


def _request_arguments(case: Case) -> dict[str, Any]:
    """The case as ``httpx`` request arguments (schemathesis serializes for ``requests``)."""
    kwargs = case.as_transport_kwargs(base_url="http://testserver")
    # The signed-in token is the client's: a generated one would only test the guard's 401.
    headers = {
        name: value
        for name, value in (kwargs.get("headers") or {}).items()
        if name.lower() != "authorization"
    }
    cookies = kwargs.get("cookies") or {}
    if cookies:
        headers["Cookie"] = "; ".join(f"{name}={value}" for name, value in cookies.items())
    arguments: dict[str, Any] = {
        "method": kwargs["method"],
        "url": kwargs["url"],
        "headers": headers,
        "params": kwargs.get("params") or None,
    }
    if "json" in kwargs:
        arguments["json"] = kwargs["json"]
    data = kwargs.get("data")
    if isinstance(data, (bytes, str)):
        arguments["content"] = data
    elif data is not None:
        arguments["data"] = data
    if kwargs.get("files"):
        arguments["files"] = kwargs["files"]
    return arguments


async def run_conformance(
    client: TestClient, cases: Iterable[Case], sign_in: Callable[[TestClient], object]
) -> ConformanceReport:
    """Send every case through ``client`` and check the answer with :data:`CHECKS`.

    ``sign_in(client)`` runs before each case (``client.acting_as(user)``): a fresh login token
    each time, so a case that logs out or changes the password leaves the next one signed in.
    """
    report = ConformanceReport()
    for case in cases:
        sign_in(client)
        arguments = _request_arguments(case)
        response = await client.http.request(**arguments)
        report.sent += 1
        status = response.status_code
        report.statuses[status] = report.statuses.get(status, 0) + 1
        try:
            case.validate_response(response, checks=CHECKS, headers=arguments["headers"])
        except FailureGroup as group:
            titles = "; ".join(sorted({failure.title for failure in group.exceptions}))
            sent = arguments.get("json", arguments.get("content", arguments.get("data")))
            report.failures.append(
                f"{case.method} {case.formatted_path} -> {status}: {titles}\n"
                f"    sent: params={arguments['params']!r} body={sent!r:.300}\n"
                f"    got: {response.text[:300]}"
            )
    return report


#: Enough to reach the success answers of the admin routes, not only their 403s.
ADMIN_PERMISSIONS = ("users.view", "users.manage-access", "roles.manage", "permissions.manage")


async def assert_every_operation_conforms(
    client: TestClient, session: AsyncSession, admin: AuthUser
) -> None:
    """Give ``admin`` the admin permissions, then run every operation of the app's own
    ``/openapi.json`` signed in as them, and fail with each non-conformance found."""
    for name in ADMIN_PERMISSIONS:
        await Permission.create(session, name=name)
        await admin.give_permission_to(name, session=session)
    await session.commit()
    document = (await client.get("/openapi.json")).assert_ok().json()
    cases = generate_cases(document)

    report = await run_conformance(client, cases, lambda c: c.acting_as(admin))

    assert report.failures == [], "\n".join(report.failures)
    # Every operation was exercised, and signed in: successes, not only refusals.
    operations = sum(len(item) for item in document["paths"].values())
    assert report.sent >= operations
    assert sum(n for status, n in report.statuses.items() if status < 300) > operations // 2
