"""``Inject[X]``: ``X`` to mypy, ``Annotated[X, Depends(...)]`` to FastAPI."""

from __future__ import annotations

from typing import Annotated, assert_type, get_args, get_origin

from fastapi import params

from foundry.http.dependencies import Inject, resolver


class Mailer:
    def send(self, to: str) -> bool:
        return bool(to)


def _typed_for_mypy(mailer: Inject[Mailer]) -> bool:
    assert_type(mailer, Mailer)
    return mailer.send("ada@example.com")


def test_inject_is_an_annotated_dependency() -> None:
    alias = Inject[Mailer]
    assert get_origin(alias) is Annotated
    service, marker = get_args(alias)
    assert service is Mailer
    assert isinstance(marker, params.Depends)
    assert marker.dependency is resolver(Mailer)


def test_one_resolver_per_service_type() -> None:
    assert resolver(Mailer) is resolver(Mailer)
    other: object = resolver(int)
    assert resolver(Mailer) is not other
    assert _typed_for_mypy(Mailer())
