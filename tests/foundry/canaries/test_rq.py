"""Canaries: the rq ``Worker`` internals ``foundry.queue.rq_worker.FoundryRqWorker`` relies on.

The worker overrides rq methods (their signatures must stay the ones rq calls, and rq must still
call them) and writes rq's data model itself (a Lua pop over rq's keys; rq's job hash, intermediate
list and registries). rq is pinned exactly; an upgrade that moves any of these fails here by name
instead of losing or stranding jobs.
"""

from __future__ import annotations

import inspect
import secrets
from collections.abc import Iterator

import pytest
import redis
from rq import SimpleWorker, worker_registration
from rq.executions import Execution
from rq.intermediate_queue import IntermediateQueue
from rq.job import Job
from rq.queue import Queue
from rq.registry import clean_registries
from rq.results import Result

from foundry.queue.drivers.redis import ENTRY_POINT
from foundry.queue.rq_worker import FoundryRqWorker
from tests.foundry.canaries.signatures import called_in, parameters

#: Worker methods FoundryRqWorker overrides, with the parameters rq passes them.
OVERRIDDEN = {
    "get_heartbeat_ttl": ["job", "working_time"],
    "clean_registries": [],
    "heartbeat": ["timeout", "pipeline"],
    "check_for_suspension": ["burst"],
    "set_state": ["state", "pipeline"],
    "dequeue_job_and_maintain_ttl": ["timeout", "max_idle_time"],
    "prepare_execution": ["job"],
    "prepare_job_execution": ["job", "remove_from_intermediate_queue"],
    "handle_execution_ended": ["job", "queue", "heartbeat_ttl"],
    "handle_job_success": ["job", "queue", "started_job_registry", "execution"],
}
#: Worker methods it calls, with the parameters it passes.
CALLED = {
    "get_redis_server_version": [],
    "increment_successful_job_count": ["pipeline"],
    "increment_total_working_time": ["job_execution_time", "pipeline"],
    "cleanup_execution": ["job", "pipeline", "execution"],
}
#: Attributes rq's Worker.__init__ sets that it reads or writes.
WORKER_ATTRIBUTES = (
    "_exc_handlers",
    "_state",
    "last_cleaned_at",
    "executions",
    "job_class",
    "queue_class",
    "serializer",
    "connection",
    "queues",
    "log",
    "name",
)


@pytest.mark.parametrize(("method", "expected"), sorted(OVERRIDDEN.items()))
def test_rq_worker_overridden_method_keeps_its_signature_and_is_called(
    method: str, expected: list[str]
) -> None:
    assert parameters(getattr(SimpleWorker, method)) == expected
    assert parameters(getattr(FoundryRqWorker, method)) == expected
    assert called_in(SimpleWorker, method), f"rq no longer calls Worker.{method}"


def test_rq_worker_dequeue_timeout_is_a_property_rq_reads() -> None:
    assert isinstance(inspect.getattr_static(SimpleWorker, "dequeue_timeout"), property)
    module = inspect.getmodule(SimpleWorker.work)
    assert module is not None
    assert "self.dequeue_timeout" in inspect.getsource(module)


@pytest.mark.parametrize(("method", "expected"), sorted(CALLED.items()))
def test_rq_worker_called_method_keeps_its_signature(method: str, expected: list[str]) -> None:
    assert parameters(getattr(SimpleWorker, method)) == expected


def test_rq_worker_init_takes_the_arguments_we_pass() -> None:
    taken = set(parameters(SimpleWorker.__init__))
    assert {"queues", "name", "connection", "serializer", "maintenance_interval"} <= taken
    work = set(parameters(SimpleWorker.work))
    assert {"burst", "max_jobs", "with_scheduler", "logging_level"} <= work


def test_rq_worker_private_attributes_exist() -> None:
    connection = redis.Redis()  # never contacted: building a worker sends no command
    worker = SimpleWorker(["canary"], connection=connection, maintenance_interval=5)
    for name in WORKER_ATTRIBUTES:
        assert hasattr(worker, name), f"rq Worker lost attribute {name!r}"


def test_rq_helpers_keep_their_signatures() -> None:
    assert parameters(clean_registries) == ["queue", "exception_handlers"]
    assert parameters(worker_registration.clean_worker_registry) == ["queue"]
    assert parameters(Execution.create) == ["job", "ttl", "pipeline", "worker_name"]
    assert parameters(Job.restore) == ["raw_data"]
    assert parameters(Job.prepare_for_execution) == ["worker_name", "pipeline"]
    assert parameters(Job.set_status) == ["status", "pipeline"]
    assert parameters(Job.get_status) == ["refresh"]
    assert parameters(Result.get_key) == ["job_id"]
    assert parameters(Queue.fetch_job) == ["job_id"]
    assert parameters(Queue.push_job_id) == ["job_id", "pipeline", "at_front"]
    for method in ("remove", "set_first_seen", "get_first_seen", "get_first_seen_key"):
        assert parameters(getattr(IntermediateQueue, method)) == ["job_id"]
    assert parameters(IntermediateQueue.get_job_ids) == []


def test_rq_job_and_queue_properties_exist() -> None:
    for name in ("dependents_key", "dependencies_key", "execution_registry", "key"):
        assert isinstance(inspect.getattr_static(Job, name), property), name
    for name in (
        "registry_cleaning_key",
        "intermediate_queue_key",
        "intermediate_queue",
        "started_job_registry",
        "key",
    ):
        assert isinstance(inspect.getattr_static(Queue, name), property), name
    job = Job.create(ENTRY_POINT, connection=redis.Redis())
    for name in ("func_name", "result_ttl", "repeats_left", "group_id", "has_rate_limit"):
        assert hasattr(job, name), f"rq Job lost {name!r}"


@pytest.fixture
def rq_connection(redis_url: str) -> Iterator[tuple[redis.Redis, str]]:
    connection = redis.Redis.from_url(redis_url)
    name = f"foundry-canary-{secrets.token_hex(4)}"
    yield connection, name
    for key in connection.scan_iter(f"rq:*{name}*"):
        connection.delete(key)
    connection.srem(Queue.redis_queues_keys, f"{Queue.redis_queue_namespace_prefix}{name}")
    connection.close()


def test_rq_data_model_is_what_the_pop_script_reads(
    rq_connection: tuple[redis.Redis, str],
) -> None:
    """The Lua pop reads a list of ids at ``queue.key``, and a hash at prefix + id."""
    connection, name = rq_connection
    queue = Queue(name, connection=connection)
    job = queue.enqueue_call(ENTRY_POINT, args=({},), result_ttl=0)
    try:
        assert connection.lrange(queue.key, 0, -1) == [job.id.encode()]
        raw = connection.hgetall(Job.redis_job_namespace_prefix + job.id)
        assert raw, "rq no longer keeps a job as a hash at redis_job_namespace_prefix + id"
        restored = Job(job.id, connection=connection)
        restored.restore(raw)
        assert restored.func_name == ENTRY_POINT
        assert queue.intermediate_queue_key == queue.intermediate_queue.key
    finally:
        connection.delete(Job.redis_job_namespace_prefix + job.id)
