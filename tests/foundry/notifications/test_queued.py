"""``ShouldQueue`` notifications: one job per notifiable and channel on the ``notifications``
queue, worked by a real worker (database driver here, rq on Redis below)."""

from __future__ import annotations

import secrets
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from foundry.kernel.application import Application
from foundry.kernel.container import Container
from foundry.mail import ArrayMailer, MailManager, SentMessage
from foundry.notifications import DatabaseNotification, Notification, Notifications
from foundry.notifications.queued import SendQueuedNotification
from foundry.queue import QueueManager
from foundry.queue.worker import Worker, WorkerOptions
from foundry.testing.database import migrate_database
from tests.conftest import MakeApplication
from tests.foundry.notifications.samples import Outbox, OutboxChannel, QueuedWelcome, Stale
from tests.foundry.queue.processes import start_worker
from tests.foundry.testbench.factories import UserFactory
from tests.foundry.testbench.models import User
from tests.support.services import delete_rq_keys


@pytest.fixture
async def app(make_application: MakeApplication, database_url: str) -> Application:
    """An app on a migrated database whose commits are real (the worker reads them)."""
    await migrate_database(database_url)
    return make_application(DATABASE_URL=database_url, MAIL_MAILER="array")


@pytest.fixture
async def scope(app: Application) -> AsyncIterator[Container]:
    async with app.container.scope() as scope:
        yield scope


async def _users(session: AsyncSession, *names: str) -> list[User]:
    users = [
        await UserFactory.new().create(session, name=name, email=f"{name.lower()}@example.com")
        for name in names
    ]
    await session.commit()
    return users


async def _work(app: Application) -> None:
    options = WorkerOptions(
        memory=0,
        queues=["notifications"],
        stop_when_empty=True,
        timeout=5,
        tries=3,
        heartbeat=False,
    )
    await Worker(app.container.make(QueueManager), None, options).run()


def _mails(app: Application) -> list[SentMessage]:
    mailer = app.container.make(MailManager).mailer("array")
    assert isinstance(mailer, ArrayMailer)
    return mailer.messages


async def _stored(app: Application) -> int:
    async with app.container.scope() as scope:
        session = scope.make(AsyncSession)
        return int(
            await session.scalar(select(func.count()).select_from(DatabaseNotification)) or 0
        )


async def test_one_job_per_notifiable_and_channel_then_delivered(
    app: Application, scope: Container
) -> None:
    ann, bob = await _users(scope.make(AsyncSession), "Ann", "Bob")
    manager = app.container.make(QueueManager)

    await Notification.send([ann, bob], QueuedWelcome("team"))

    assert await manager.size("notifications") == 4  # 2 users x (database, mail)
    assert await _stored(app) == 0
    await _work(app)
    assert await manager.size("notifications") == 0
    assert await _stored(app) == 2
    assert sorted(to for sent in _mails(app) for to in sent.envelope.recipients) == [
        "ann@example.com",
        "bob@example.com",
    ]


class UrgentWelcome(QueuedWelcome):
    queue = "urgent"


async def test_the_notification_names_its_own_queue(app: Application, scope: Container) -> None:
    [ann] = await _users(scope.make(AsyncSession), "Ann")
    manager = app.container.make(QueueManager)

    await ann.notify(UrgentWelcome("Ann"))

    assert await manager.size("urgent") == 2
    assert await manager.size("notifications") == 0


async def test_a_failing_channel_is_retried_alone(app: Application, scope: Container) -> None:
    Notifications.extend(OutboxChannel)
    Outbox.failures_left[0] = 2
    [ann] = await _users(scope.make(AsyncSession), "Ann")

    await Notification.route("outbox", "box-1").notify(QueuedWelcome("Ann", channels=("outbox",)))
    await ann.notify(QueuedWelcome("Ann", channels=("database",)))
    await _work(app)

    # Two failures, then delivered once; the database row was written once, never redone.
    assert Outbox.delivered == [("box-1", "welcome Ann")]
    assert await _stored(app) == 1
    assert await app.container.make(QueueManager).failed_store().all() == []


async def test_queued_after_commit_and_dropped_on_rollback(
    app: Application, scope: Container
) -> None:
    session = scope.make(AsyncSession)
    [ann] = await _users(session, "Ann")
    manager = app.container.make(QueueManager)
    ann_id = ann.id

    ann.name = "Ann B."
    await ann.notify(QueuedWelcome("Ann"))
    assert await manager.size("notifications") == 0  # held until the unit of work commits
    await session.rollback()
    assert await manager.size("notifications") == 0

    ann = await session.get_one(User, ann_id)
    ann.name = "Ann C."
    await ann.notify(QueuedWelcome("Ann"))
    await session.commit()
    assert await manager.size("notifications") == 2


async def test_should_send_is_asked_when_the_job_runs(app: Application, scope: Container) -> None:
    session = scope.make(AsyncSession)
    [ann] = await _users(session, "Ann")
    await ann.notify(Stale("Ann"))
    ann.name = "Gone"
    await session.commit()

    await _work(app)

    assert await _stored(app) == 0
    assert _mails(app) == []


async def test_a_payload_naming_no_notification_fails_without_running(
    app: Application, scope: Container
) -> None:
    [ann] = await _users(scope.make(AsyncSession), "Ann")
    job = SendQueuedNotification(ann, QueuedWelcome("Ann"), "database")
    job.notification_class = "subprocess.Popen"
    await job.on_queue("notifications").dispatch()

    await _work(app)

    assert await _stored(app) == 0
    [failed] = await app.container.make(QueueManager).failed_store().all()
    assert "subprocess.Popen is not a Notification" in failed.exception


async def test_unserializable_fields_fail_at_dispatch(app: Application, scope: Container) -> None:
    [ann] = await _users(scope.make(AsyncSession), "Ann")
    welcome = QueuedWelcome("Ann")
    welcome.user_name = object()  # type: ignore[assignment]  # what the check is for
    with pytest.raises(TypeError, match="cannot be stored as JSON"):
        await ann.notify(welcome)


@pytest.fixture
async def rq_prefix(redis_url: str) -> AsyncIterator[str]:
    """A prefix for rq's queue names; every rq key naming it is deleted afterwards."""
    prefix = f"foundry-test-{secrets.token_hex(6)}:"
    yield prefix
    await delete_rq_keys(redis_url, prefix)


async def test_redis_queue_worker_delivers(
    make_application: MakeApplication, redis_url: str, rq_prefix: str, tmp_path: Path
) -> None:
    database_url = f"sqlite+aiosqlite:///{tmp_path / 'app.sqlite'}"
    await migrate_database(database_url)
    env = {
        "DATABASE_URL": database_url,
        "REDIS_URL": redis_url,
        "REDIS_PREFIX": rq_prefix,
        "QUEUE_CONNECTION": "redis",
        "QUEUE_RETRY_AFTER": "5",
        "CACHE_STORE": "file",
        "CACHE_PATH": str(tmp_path / "cache"),
        "MAIL_MAILER": "array",
    }
    app = make_application(**env)
    async with app.container.scope() as scope:
        [ann] = await _users(scope.make(AsyncSession), "Ann")
        await ann.notify(QueuedWelcome("Ann", channels=("database",)))
    assert await app.container.make(QueueManager).size("notifications") == 1

    log = tmp_path / "worker.log"
    worker = start_worker(
        env, log, "--queue", "notifications", "--stop-when-empty", "--timeout", "3"
    )
    assert worker.wait(60) == 0, log.read_text()

    assert await _stored(app) == 1
