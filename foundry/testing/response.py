"""``TestResponse``: an HTTP response with Laravel's test assertions, each returning ``self``."""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping, Sequence
from typing import Any, Self

import httpx

__all__ = ["TestResponse"]

_MISSING = object()


def _walk(data: Any, path: str) -> Any:
    """Follow a dot path (``data.0.name``) through dicts and lists; ``_MISSING`` if absent."""
    current = data
    for part in path.split(".") if path else ():
        if isinstance(current, Mapping) and part in current:
            current = current[part]
        elif (
            isinstance(current, list)
            and part.lstrip("-").isdigit()
            and -len(current) <= int(part) < len(current)
        ):
            current = current[int(part)]
        else:
            return _MISSING
    return current


def _is_subset(expected: Any, actual: Any) -> bool:
    if isinstance(expected, Mapping):
        return isinstance(actual, Mapping) and all(
            key in actual and _is_subset(value, actual[key]) for key, value in expected.items()
        )
    if isinstance(expected, list):
        return isinstance(actual, list) and all(
            any(_is_subset(item, candidate) for candidate in actual) for item in expected
        )
    return bool(expected == actual)


class TestResponse:
    """Wraps an ``httpx.Response``; ``.response`` is the original."""

    __test__ = False  # not a pytest test class

    def __init__(self, response: httpx.Response) -> None:
        self.response = response

    # -- reading ------------------------------------------------------------------------------

    @property
    def status_code(self) -> int:
        """The HTTP status."""
        return self.response.status_code

    @property
    def headers(self) -> httpx.Headers:
        """The response headers (case-insensitive)."""
        return self.response.headers

    @property
    def text(self) -> str:
        """The body as text."""
        return self.response.text

    def json(self) -> Any:
        """The body parsed as JSON."""
        return self.response.json()

    def _describe(self) -> str:
        body = self.text
        return f"{self.status_code} {body[:2000]}{'...' if len(body) > 2000 else ''}"

    def _json_or_fail(self) -> Any:
        try:
            return self.json()
        except json.JSONDecodeError:
            raise AssertionError(f"response is not JSON: {self._describe()}") from None

    # -- status -------------------------------------------------------------------------------

    def assert_status(self, status: int) -> Self:
        """Assert the status code."""
        assert self.status_code == status, f"expected status {status}, got {self._describe()}"
        return self

    def assert_ok(self) -> Self:
        """Assert 200."""
        return self.assert_status(200)

    def assert_created(self) -> Self:
        """Assert 201."""
        return self.assert_status(201)

    def assert_no_content(self) -> Self:
        """Assert 204 with an empty body."""
        self.assert_status(204)
        assert not self.response.content, f"expected no body, got {self.text[:200]!r}"
        return self

    def assert_successful(self) -> Self:
        """Assert a 2xx status."""
        assert 200 <= self.status_code < 300, f"expected 2xx, got {self._describe()}"
        return self

    def assert_unauthorized(self) -> Self:
        """Assert 401."""
        return self.assert_status(401)

    def assert_forbidden(self) -> Self:
        """Assert 403."""
        return self.assert_status(403)

    def assert_not_found(self) -> Self:
        """Assert 404."""
        return self.assert_status(404)

    def assert_unprocessable(self) -> Self:
        """Assert 422."""
        return self.assert_status(422)

    def assert_too_many_requests(self) -> Self:
        """Assert 429."""
        return self.assert_status(429)

    # -- JSON ---------------------------------------------------------------------------------

    def assert_json(self, expected: Mapping[str, Any] | list[Any]) -> Self:
        """Assert the JSON body contains ``expected`` (a subset match, like Laravel's)."""
        actual = self._json_or_fail()
        assert _is_subset(expected, actual), f"JSON does not contain {expected!r}: {actual!r}"
        return self

    def assert_exact_json(self, expected: Any) -> Self:
        """Assert the JSON body equals ``expected``."""
        actual = self._json_or_fail()
        assert actual == expected, f"expected JSON {expected!r}, got {actual!r}"
        return self

    def assert_json_path(self, path: str, expected: Any | Callable[[Any], bool]) -> Self:
        """Assert the value at a dot path (``data.0.email``); a callable is used as a predicate."""
        value = _walk(self._json_or_fail(), path)
        assert value is not _MISSING, f"JSON has no path {path!r}: {self.text[:500]}"
        if callable(expected):
            assert expected(value), f"JSON path {path!r} = {value!r} fails the predicate"
        else:
            assert value == expected, f"JSON path {path!r}: expected {expected!r}, got {value!r}"
        return self

    def assert_json_missing_path(self, path: str) -> Self:
        """Assert nothing is at the dot path."""
        value = _walk(self._json_or_fail(), path)
        assert value is _MISSING, f"JSON path {path!r} exists: {value!r}"
        return self

    def assert_json_count(self, count: int, path: str = "") -> Self:
        """Assert the list at ``path`` (the root by default) has ``count`` items."""
        value = _walk(self._json_or_fail(), path)
        assert isinstance(value, list), f"JSON path {path!r} is not a list: {value!r}"
        assert len(value) == count, f"expected {count} items at {path!r}, got {len(value)}"
        return self

    def assert_json_structure(self, structure: Sequence[Any] | Mapping[str, Any]) -> Self:
        """Assert keys exist: ``["message", {"data": ["id", "name"]}]``-style nesting."""
        _assert_structure(structure, self._json_or_fail(), "")
        return self

    def assert_json_validation_errors(
        self, fields: str | Sequence[str] | Mapping[str, str]
    ) -> Self:
        """Assert a 422 in Laravel's shape with errors for ``fields``.

        With a mapping, each field's messages must contain the given text.
        """
        self.assert_status(422)
        errors = self._json_or_fail().get("errors")
        assert isinstance(errors, dict), f"no 'errors' object: {self.text[:500]}"
        wanted: Mapping[str, str | None] = (
            {fields: None}
            if isinstance(fields, str)
            else dict(fields) if isinstance(fields, Mapping) else dict.fromkeys(fields)
        )
        for field, text in wanted.items():
            assert field in errors, f"no validation error for {field!r}; errors: {errors!r}"
            if text is not None:
                assert any(
                    text in message for message in errors[field]
                ), f"errors for {field!r} do not mention {text!r}: {errors[field]!r}"
        return self

    def assert_json_missing_validation_errors(self, fields: str | Sequence[str]) -> Self:
        """Assert none of ``fields`` has a validation error."""
        body = self._json_or_fail()
        errors = body.get("errors", {}) if isinstance(body, dict) else {}
        for field in [fields] if isinstance(fields, str) else fields:
            assert field not in errors, f"unexpected validation error for {field!r}: {errors!r}"
        return self

    # -- headers ------------------------------------------------------------------------------

    def assert_header(self, name: str, value: str | None = None) -> Self:
        """Assert a header is present (and equals ``value`` when given)."""
        assert name in self.headers, f"header {name!r} missing; headers: {dict(self.headers)!r}"
        if value is not None:
            actual = self.headers[name]
            assert actual == value, f"header {name!r}: expected {value!r}, got {actual!r}"
        return self

    def assert_header_missing(self, name: str) -> Self:
        """Assert a header is absent."""
        assert name not in self.headers, f"header {name!r} present: {self.headers[name]!r}"
        return self


def _assert_structure(structure: Any, data: Any, where: str) -> None:
    if isinstance(structure, Mapping):
        for key, inner in structure.items():
            if key == "*":
                assert isinstance(data, list), f"{where or 'root'} is not a list"
                for index, item in enumerate(data):
                    _assert_structure(inner, item, f"{where}.{index}".lstrip("."))
                continue
            assert isinstance(data, Mapping) and key in data, f"missing key {where}.{key}"
            _assert_structure(inner, data[key], f"{where}.{key}".lstrip("."))
        return
    for item in structure:
        if isinstance(item, Mapping):
            _assert_structure(item, data, where)
        else:
            assert isinstance(data, Mapping) and item in data, f"missing key {where}.{item}"
