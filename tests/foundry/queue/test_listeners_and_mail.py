"""ShouldQueue listeners and mailables go through the queue."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from foundry.events import Event
from foundry.events.listeners import CallQueuedListener
from foundry.jobs.contracts import ShouldQueue
from foundry.mail import Mail, Mailable
from foundry.mail.queued import SendQueuedMailable
from foundry.queue import Queue, QueueManager
from foundry.queue.worker import Worker, WorkerOptions
from tests.foundry.queue.sample_jobs import Journal


@dataclass
class OrderShipped:
    order_id: int


class NotifyWarehouse(ShouldQueue):
    queue = "listeners"

    async def handle(self, event: OrderShipped) -> None:
        Journal.add("warehouse", event.order_id)


class Receipt(Mailable, ShouldQueue):
    subject = "Your receipt"
    html_template = "emails/welcome.html.j2"
    text_template = "emails/welcome.txt.j2"

    def __init__(self, total: int) -> None:
        self.total = total
        self.user_name = "Ada"


async def test_should_queue_listener_is_queued_then_run_by_a_worker(manager: QueueManager) -> None:
    Event.listen(OrderShipped, NotifyWarehouse)
    await Event.dispatch(OrderShipped(42))
    assert Journal.of("warehouse") == []
    assert await manager.size("listeners") == 1
    await Worker(
        manager,
        None,
        WorkerOptions(memory=0, queues=["listeners"], stop_when_empty=True, timeout=2),
    ).run()
    assert Journal.of("warehouse") == [42]


async def test_mail_queue_and_should_queue_mailables(manager: QueueManager) -> None:
    fake = Queue.fake()
    await Mail.to("ada@example.com").queue(Receipt(10))
    await Mail.to("bob@example.com").send(Receipt(20))  # ShouldQueue: queued, not sent now
    fake.assert_pushed_times(SendQueuedMailable, 2)
    fake.assert_pushed(
        SendQueuedMailable, lambda job: job.state["total"] == 20 and job.mailer == "log"
    )
    fake.assert_not_pushed(CallQueuedListener)


async def test_queued_mail_is_sent_by_the_worker(manager: QueueManager) -> None:
    mail = Mail.fake()
    await Mail.to("ada@example.com").queue(Receipt(30))
    mail.assert_nothing_sent()
    await Worker(manager, None, WorkerOptions(memory=0, stop_when_empty=True, timeout=2)).run()
    mail.assert_sent(
        Receipt, lambda receipt: receipt.total == 30 and receipt.has_to("ada@example.com")
    )


class LooksLikeAListener:
    """Has handle(event), but is no ShouldQueue listener: never queued by the dispatcher."""

    async def handle(self, event: OrderShipped) -> None:
        Journal.add("impostor", event.order_id)


class LooksLikeAMailable:
    """Carries a mailable's attributes, but is no Mailable."""

    subject = "Not a mail"


def _retries(caplog: pytest.LogCaptureFixture) -> list[str]:
    """The worker's "job ... raised" lines: each one is an attempt that may be retried."""
    return [r.getMessage() for r in caplog.records if " raised " in r.getMessage()]


async def _work_everything(manager: QueueManager) -> None:
    # Three tries allowed: a refused name must fail at once, not be retried.
    options = WorkerOptions(memory=0, stop_when_empty=True, timeout=2, tries=3, backoff=[0.0])
    await Worker(manager, None, options).run()


async def test_a_queued_listener_naming_a_class_that_is_no_queued_listener_fails(
    manager: QueueManager, caplog: pytest.LogCaptureFixture
) -> None:
    for name in (
        f"{__name__}.LooksLikeAListener",
        "tests.foundry.queue.sample_jobs.RecordJob",  # a Job, with its own handle()
        "subprocess.Popen",
    ):
        await manager.push(CallQueuedListener(name, OrderShipped(7)))

    await _work_everything(manager)

    assert Journal.of("impostor") == [] and Journal.of("ran") == []
    assert await manager.size() == 0
    failed = await manager.failed_store().all()
    assert len(failed) == 3
    for row in failed:
        assert "is not a queued listener class" in row.exception
    assert _retries(caplog) == []


async def test_a_queued_mail_naming_a_class_that_is_no_mailable_fails(
    manager: QueueManager, caplog: pytest.LogCaptureFixture
) -> None:
    mail = Mail.fake()
    job = SendQueuedMailable(None, Receipt(40))
    job.mailable_class = f"{__name__}.LooksLikeAMailable"
    await manager.push(job)

    await _work_everything(manager)

    mail.assert_nothing_sent()
    assert await manager.size() == 0
    [failed] = await manager.failed_store().all()
    assert f"{__name__}.LooksLikeAMailable is not a Mailable" in failed.exception
    assert _retries(caplog) == []
