"""Log lines: JSON with the request id, credentials masked, one handler however often configured.

(``app/support/logging.py`` is tested here, next to the HTTP kernel that feeds it request ids.)
"""

from __future__ import annotations

import io
import json
import logging
import re
import sys
from collections.abc import Iterator

import pytest
from starlette.datastructures import Headers

from foundry.config.logging import LoggingSettings
from foundry.http.middleware.access_log import AccessLogMiddleware
from foundry.kernel.logging import (
    REDACTED,
    JsonFormatter,
    RequestIdFilter,
    TextFormatter,
    configure_logging,
    json_line_handler,
    redact,
    reset_request_id,
    set_request_id,
)


@pytest.fixture
def root_logging() -> Iterator[None]:
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    yield
    root.handlers[:] = handlers
    root.setLevel(level)


def _record(msg: str = "hello", **extra: object) -> logging.LogRecord:
    record = logging.LogRecord("app.test", logging.WARNING, __file__, 1, msg, (), None)
    record.__dict__.update(extra)
    return record


def test_json_lines_carry_the_current_request_id_and_extras() -> None:
    token = set_request_id("req-7")
    try:
        record = _record(user_id=42)
        RequestIdFilter().filter(record)
    finally:
        reset_request_id(token)
    line = json.loads(JsonFormatter().format(record))
    assert line["request_id"] == "req-7"
    assert line["level"] == "WARNING" and line["logger"] == "app.test"
    assert line["message"] == "hello" and line["user_id"] == 42
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z", line["timestamp"])


def test_credentials_in_extras_are_masked_at_any_depth() -> None:
    record = _record(
        headers={"Authorization": "Bearer abc", "Accept": "application/json"},
        password="hunter2",
        refresh_token="rt-1",
        payload=[{"client_secret": "s3"}],
    )
    line = JsonFormatter().format(record)
    for secret in ("Bearer abc", "hunter2", "rt-1", "s3"):
        assert secret not in line
    data = json.loads(line)
    assert data["headers"] == {"Authorization": REDACTED, "Accept": "application/json"}
    assert data["password"] == REDACTED


def test_redact_leaves_harmless_values_alone() -> None:
    assert redact({"email": "a@b.c", "items": [1, 2]}) == {"email": "a@b.c", "items": [1, 2]}


def test_text_format_is_readable() -> None:
    line = TextFormatter().format(_record("paid", amount=5))
    assert "WARNING [-] app.test: paid amount=5" in line


def test_exceptions_are_included() -> None:
    try:
        raise ValueError("bad")
    except ValueError:
        record = logging.LogRecord("x", logging.ERROR, __file__, 1, "m", (), sys.exc_info())
    assert "ValueError: bad" in json.loads(JsonFormatter().format(record))["exception"]


@pytest.mark.usefixtures("root_logging")
def test_configuring_twice_keeps_one_handler_and_honours_the_level() -> None:
    stream = io.StringIO()
    configure_logging(LoggingSettings.model_validate({"LOG_LEVEL": "warning"}), stream=stream)
    configure_logging(LoggingSettings.model_validate({"LOG_LEVEL": "warning"}), stream=stream)
    logging.getLogger("app.twice").info("dropped")
    logging.getLogger("app.twice").warning("kept")
    lines = stream.getvalue().splitlines()
    assert [json.loads(line)["message"] for line in lines] == ["kept"]


def test_unknown_levels_are_rejected() -> None:
    with pytest.raises(ValueError, match="LOG_LEVEL"):
        LoggingSettings.model_validate({"LOG_LEVEL": "chatty"})


def test_a_headers_object_logged_as_extra_is_masked() -> None:
    headers = Headers({"Authorization": "Bearer live-token", "Accept": "*/*"})
    data = json.loads(JsonFormatter().format(_record(headers=headers)))
    assert data["headers"] == {"authorization": REDACTED, "accept": "*/*"}


def test_json_lines_keep_unicode_and_write_what_orjson_cannot() -> None:
    line = JsonFormatter().format(_record("café ✓", big=2**70, keys={1: "one"}, when={1.5}))
    assert "café ✓" in line  # not \\u-escaped
    data = json.loads(line)
    assert data["big"] == 2**70
    assert data["keys"] == {"1": "one"}
    assert data["when"] == "{1.5}"  # what json cannot write is written as str()


def _access_line(middleware: AccessLogMiddleware, stream: io.StringIO) -> dict[str, object]:
    scope = {"method": "GET", "path": "/p", "client": ("10.0.0.1", 1), "state": {}}
    token = set_request_id("req-9")
    try:
        middleware.record(scope, 201, 1.234)
    finally:
        reset_request_id(token)
    data: dict[str, object] = json.loads(stream.getvalue().splitlines()[-1])
    assert isinstance(data.pop("timestamp"), str)
    return data


@pytest.mark.usefixtures("root_logging")
def test_the_access_line_written_directly_is_the_formatters_line() -> None:
    stream = io.StringIO()
    settings = LoggingSettings.model_validate({"LOG_LEVEL": "info", "LOG_FORMAT": "json"})
    handler = configure_logging(settings, stream=stream)
    logging.getLogger().handlers[:] = [handler]  # pytest's capture handlers out of the way
    middleware = AccessLogMiddleware(None)  # type: ignore[arg-type]
    assert json_line_handler(middleware.logger) == (handler, handler.formatter)
    direct = _access_line(middleware, stream)

    extra = logging.NullHandler()  # another handler: the record goes through logging
    logging.getLogger().addHandler(extra)
    try:
        assert json_line_handler(middleware.logger) is None
        through_logging = _access_line(middleware, stream)
    finally:
        logging.getLogger().removeHandler(extra)

    assert list(direct) == list(through_logging)  # same keys, same order
    assert (
        direct
        == through_logging
        == {
            "level": "INFO",
            "logger": "foundry.http.access",
            "message": "GET /p 201",
            "request_id": "req-9",
            "method": "GET",
            "path": "/p",
            "status": 201,
            "duration_ms": 1.23,
            "client": "10.0.0.1",
        }
    )


@pytest.mark.usefixtures("root_logging")
@pytest.mark.parametrize("change", ["text format", "logger filter", "quiet handler", "factory"])
def test_lines_go_through_logging_when_anything_else_could_see_them(change: str) -> None:
    text = change == "text format"
    settings = LoggingSettings.model_validate(
        {"LOG_LEVEL": "info", "LOG_FORMAT": "text" if text else "json"}
    )
    handler = configure_logging(settings, stream=io.StringIO())
    logging.getLogger().handlers[:] = [handler]  # pytest's capture handlers out of the way
    logger = logging.getLogger("foundry.http.access")
    previous_factory = logging.getLogRecordFactory()
    refuse_all = logging.Filter("nothing")
    if change == "logger filter":
        logger.addFilter(refuse_all)
    elif change == "quiet handler":
        handler.setLevel(logging.WARNING)
    elif change == "factory":
        logging.setLogRecordFactory(lambda *a, **k: previous_factory(*a, **k))
    try:
        assert json_line_handler(logger) is None
    finally:
        logger.removeFilter(refuse_all)
        logging.setLogRecordFactory(previous_factory)
