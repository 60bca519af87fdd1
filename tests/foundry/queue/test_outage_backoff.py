"""The back-off of a worker waiting out an outage: growing, capped, jittered, logged twice."""

from __future__ import annotations

import logging

import pytest
import redis.exceptions
import sqlalchemy.exc

from foundry.database.manager import DatabaseUnavailableError
from foundry.kernel.outages import outage_of
from foundry.queue.outage import Outage, is_outage


def test_waits_double_up_to_the_cap_with_jitter() -> None:
    outage = Outage("queue connection 'x'", logging.getLogger("test"), max_wait=4.0)
    waits = [outage.failed(ConnectionRefusedError()) for _ in range(12)]
    assert waits[0] <= 0.5 and waits[-1] >= 2.0  # half the cap at least, once capped
    assert all(0.25 <= wait <= 4.0 for wait in waits)
    assert len({round(wait, 6) for wait in waits[5:]}) > 1  # jittered, not in lockstep


def test_one_line_when_an_outage_starts_and_one_when_it_ends(
    caplog: pytest.LogCaptureFixture,
) -> None:
    outage = Outage("queue connection 'x'", logging.getLogger("test.outage"))
    with caplog.at_level(logging.INFO, logger="test.outage"):
        outage.recovered()  # no outage: nothing to say
        for _ in range(5):
            outage.failed(ConnectionRefusedError("refused"))
        outage.recovered()
        outage.recovered()
    messages = [record.getMessage() for record in caplog.records]
    assert len(messages) == 2, messages
    assert "is unavailable (ConnectionRefusedError: refused)" in messages[0]
    assert "is back after" in messages[1] and "5 failed attempts" in messages[1]
    assert not outage.active


@pytest.mark.parametrize(
    "exc",
    [
        ConnectionRefusedError(),
        TimeoutError(),
        DatabaseUnavailableError("down"),
        redis.exceptions.ConnectionError("gone"),
        redis.exceptions.TimeoutError("slow"),
        sqlalchemy.exc.OperationalError("SELECT 1", {}, Exception("server closed")),
        sqlalchemy.exc.InterfaceError("SELECT 1", {}, Exception("connection is closed")),
    ],
)
def test_connection_failures_are_outages(exc: BaseException) -> None:
    assert is_outage(exc)


def _wrapping(cause: BaseException) -> BaseException:
    try:
        raise RuntimeError("the job's bookkeeping failed") from cause
    except RuntimeError as exc:
        return exc


@pytest.mark.parametrize(
    "exc",
    [
        # What a request answers 503 for, the worker waits out: the same walk down the chain.
        _wrapping(redis.exceptions.ConnectionError("gone")),
        sqlalchemy.exc.TimeoutError("QueuePool limit reached"),
    ],
)
def test_what_a_request_calls_an_outage_the_worker_does_too(exc: BaseException) -> None:
    assert outage_of(exc) is not None
    assert is_outage(exc)


@pytest.mark.parametrize(
    "exc",
    [
        ValueError("bug"),
        KeyError("x"),
        RuntimeError("boom"),
        # A wrong password never gets better by waiting: the worker stops, loudly.
        redis.exceptions.AuthenticationError("invalid username-password pair"),
    ],
)
def test_bugs_are_not_outages(exc: BaseException) -> None:
    assert not is_outage(exc)
