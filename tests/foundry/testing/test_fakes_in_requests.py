"""Fakes swapped in a test are seen by the requests it makes, however the test is written.

The ``session`` fixture keeps a container scope of its own open for the whole test; a fake
swapped while it is current must still reach the requests of the test client, each of which runs
in a scope of its own (issue 16, item 11).
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass

import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from foundry.events import Event
from foundry.http.app import create_app
from foundry.jobs import Job
from foundry.kernel.application import Application
from foundry.mail import Mail
from foundry.queue import Queue
from foundry.testing import TestClient
from tests.foundry.mail.sample_mail import WelcomeMail


class PublishPost(Job):
    """What the README's example queues when a post is published."""

    def __init__(self, post_id: int) -> None:
        self.post_id = post_id

    async def handle(self) -> None:
        raise AssertionError("a faked queue never runs its jobs")


@dataclass(frozen=True)
class PostPublished:
    post_id: int


@pytest.fixture
async def publishing_client(
    application: Application, session: AsyncSession
) -> AsyncIterator[TestClient]:
    """A client for the app plus a route that queues a job, sends a mail and fires an event."""
    app = create_app(application)

    async def publish(post_id: int) -> dict[str, int]:
        await PublishPost.dispatch(post_id)
        await Mail.to("ada@example.com").send(WelcomeMail(user_name="Ada"))
        await Event.dispatch(PostPublished(post_id))
        return {"published": post_id}

    app.add_api_route("/testing/posts/{post_id}/publish", publish, methods=["POST"])
    async with TestClient(app) as client:
        yield client


async def test_queue_fake_sees_jobs_pushed_by_requests_while_the_session_fixture_is_active(
    publishing_client: TestClient, session: AsyncSession
) -> None:
    queue = Queue.fake()

    (await publishing_client.post("/testing/posts/7/publish")).assert_ok()

    queue.assert_pushed(PublishPost, lambda job: job.post_id == 7)
    queue.assert_pushed_times(PublishPost, 1)


async def test_mail_and_event_fakes_see_requests_while_the_session_fixture_is_active(
    publishing_client: TestClient, session: AsyncSession
) -> None:
    Queue.fake()
    mail = Mail.fake()
    events = Event.fake(PostPublished)

    (await publishing_client.post("/testing/posts/3/publish")).assert_ok()

    mail.assert_sent(WelcomeMail, lambda sent: sent.has_to("ada@example.com"))
    events.assert_dispatched(PostPublished, lambda event: event.post_id == 3)


async def test_the_fake_is_also_what_the_tests_own_scope_resolves(
    publishing_client: TestClient, session: AsyncSession
) -> None:
    queue = Queue.fake()

    await PublishPost.dispatch(1)
    (await publishing_client.post("/testing/posts/2/publish")).assert_ok()

    assert [job.post_id for job in queue.pushed(PublishPost)] == [1, 2]
