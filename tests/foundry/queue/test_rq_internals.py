"""Canaries for the parts of rq that ``rq_worker`` and ``rq_scheduler`` override or call.

They are rq's, not public API: an rq upgrade that renames or reshapes one fails here, by name,
instead of silently bringing back a worker that quits on an outage or an orphaned scheduler.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from typing import Any

import pytest
import rq.scheduler
from rq import Queue, SimpleWorker
from rq.scheduler import RQScheduler


def parameters(function: Callable[..., Any]) -> list[str]:
    return list(inspect.signature(function).parameters)


@pytest.mark.parametrize(
    ("method", "expected"),
    [
        ("_start_scheduler", ["self", "burst", "logging_level", "date_format", "log_format"]),
        ("_pubsub_exception_handler", ["self", "exc", "pubsub", "pubsub_thread"]),
        ("stop_scheduler", ["self"]),
        ("teardown", ["self"]),
        ("run_maintenance_tasks", ["self"]),
        ("execute_job", ["self", "job", "queue"]),
        ("dequeue_job_and_maintain_ttl", ["self", "timeout", "max_idle_time"]),
        ("reorder_queues", ["self", "reference_queue"]),
        ("get_redis_server_version", ["self"]),
    ],
)
def test_worker_methods_we_override_or_call(method: str, expected: list[str]) -> None:
    assert parameters(getattr(SimpleWorker, method)) == expected


def test_the_worker_loop_still_calls_them() -> None:
    work = inspect.getsource(SimpleWorker.work)
    assert "self._start_scheduler(" in work and "self.dequeue_job_and_maintain_ttl(" in work
    assert "self.stop_scheduler()" in inspect.getsource(SimpleWorker.teardown)
    maintenance = inspect.getsource(SimpleWorker.run_maintenance_tasks)
    assert "acquire_locks(auto_start=True)" in maintenance and "_process" in maintenance
    assert "_pubsub_exception_handler" in inspect.getsource(SimpleWorker.subscribe)


def test_blocking_dequeue_takes_what_we_pass() -> None:
    assert {"queues", "timeout", "connection", "job_class", "serializer"} <= set(
        parameters(Queue.dequeue_any)
    )
    assert "death_penalty_class" in parameters(Queue.dequeue_any)


def test_scheduler_pieces_we_reuse() -> None:
    assert parameters(rq.scheduler.run) == ["scheduler"]
    assert callable(rq.scheduler.ForkProcess)
    start = inspect.getsource(RQScheduler.start)
    assert "self._process" in start and "self._connection = None" in start
    work = inspect.getsource(RQScheduler.work)
    assert "self._stop_requested" in work and "self.heartbeat()" in work
    assert RQScheduler.Status.STARTED
