"""Helpers of the dashboard tests: users, failed jobs, and signing in through the OAuth2 pages."""

from __future__ import annotations

import html
import re
from collections.abc import Sequence

import httpx
from sqlalchemy.ext.asyncio import AsyncSession

from foundry.auth.passwords import PasswordHasher
from foundry.database import utcnow
from foundry.jobs.job import Job
from foundry.jobs.pending import DispatchOptions
from foundry.kernel.application import Application
from foundry.permissions import Permission, Role
from foundry.queue.drivers.base import PollingDriver
from foundry.queue.manager import QueueManager
from tests.foundry.testbench.models import User

__all__ = ["PASSWORD", "fail", "make_user", "queue", "sign_in"]

PASSWORD = "correct horse battery staple"
_HIDDEN = re.compile(r'<input type="hidden" name="([^"]+)" value="([^"]*)">')


async def make_user(
    application: Application,
    email: str,
    *,
    permissions: Sequence[str] = (),
    roles: Sequence[str] = (),
) -> User:
    """A verified user with :data:`PASSWORD`, these permissions and roles (committed)."""
    async with application.container.scope() as scope:
        session = scope.make(AsyncSession)
        user = User(
            name=email.split("@")[0].title(),
            email=email,
            password=await application.container.make(PasswordHasher).hash(PASSWORD),
            email_verified_at=utcnow(),
        )
        session.add(user)
        await session.flush()
        for name in permissions:
            await Permission.find_or_create(session, name)
        if permissions:
            await user.give_permission_to(*permissions, session=session)
        for name in roles:
            await Role.find_or_create(session, name)
        if roles:
            await user.assign_role(*roles, session=session)
        await session.commit()
        return user


async def queue(application: Application, job: Job, on: str = "default") -> str:
    """Push ``job`` onto the database connection's ``on`` queue; its uuid."""
    options = DispatchOptions(connection="database", queue=on)
    uuid = await application.container.make(QueueManager).push(job, options)
    assert uuid is not None
    return uuid


async def fail(application: Application, job: Job, on: str = "default") -> str:
    """Queue ``job`` and run it once as a worker would: it fails into ``failed_jobs``."""
    manager = application.container.make(QueueManager)
    uuid = await queue(application, job, on)
    driver = manager.connection("database")
    assert isinstance(driver, PollingDriver)
    reserved = await driver.pop(on)
    assert reserved is not None
    assert await manager.runner().process(driver, reserved) == "failed"
    return uuid


async def sign_in(http: httpx.AsyncClient, email: str, next_url: str) -> httpx.Response:
    """Sign in on the OAuth2 login page, coming back to ``next_url``; the 303 answer."""
    page = await http.get("/oauth/login", params={"next": next_url})
    fields = {html.unescape(k): html.unescape(v) for k, v in _HIDDEN.findall(page.text)}
    assert fields["next"] == next_url
    return await http.post("/oauth/login", data={**fields, "email": email, "password": PASSWORD})
