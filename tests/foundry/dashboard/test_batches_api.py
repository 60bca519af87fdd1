"""The Batches endpoints the pages poll, and retry/cancel: JSON shapes, pagination, the gate,
CSRF, bad ids and hostile input (SQLite and PostgreSQL)."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest

from foundry.http.app import create_app
from foundry.kernel.application import Application
from foundry.queue import Batch, BatchableJob, batch
from foundry.queue.drivers.base import PollingDriver
from foundry.queue.manager import QueueManager
from foundry.testing.database import migrate_database
from tests.conftest import MakeApplication
from tests.foundry.dashboard.support import make_user, sign_in


class ImportRows(BatchableJob):
    """Succeeds, unless ``fail_marker`` names a file that exists; fails on its only try."""

    tries = 1

    def __init__(self, number: int, fail_marker: str = "") -> None:
        self.number = number
        self.fail_marker = fail_marker

    async def handle(self) -> None:
        if self.fail_marker and Path(self.fail_marker).exists():
            raise RuntimeError(f"row {self.number}: the import file is locked")


async def dispatch(
    jobs: list[ImportRows], name: str = "Imports", allow_failures: bool = False
) -> str:
    """Dispatch a batch on the database connection's ``imports`` queue; its id."""
    pending = batch(jobs).name(name).on_connection("database").on_queue("imports")
    return await pending.allow_failures(allow_failures).dispatch()


async def work(application: Application, count: int) -> list[str]:
    """Run ``count`` jobs of the ``imports`` queue as a worker would; their outcomes."""
    manager = application.container.make(QueueManager)
    driver = manager.connection("database")
    assert isinstance(driver, PollingDriver)
    outcomes: list[str] = []
    for _ in range(count):
        reserved = await driver.pop("imports")
        assert reserved is not None
        outcomes.append(str(await manager.runner().process(driver, reserved)))
    return outcomes


async def stored(batch_id: str) -> Batch:
    found = await Batch.find(batch_id)
    assert found is not None
    return found


async def csrf_of(http: httpx.AsyncClient, path: str) -> str:
    page = await http.get(path)
    assert page.status_code == 200, page.text
    found = re.search(r'<meta name="csrf-token" content="([^"]+)">', page.text)
    assert found is not None
    return found.group(1)


@pytest.fixture
async def operator(dashboard_app: Application, browser: httpx.AsyncClient) -> str:
    """Sign ``ops@example.com`` (``queue.dashboard``) in; the page's CSRF token."""
    await make_user(dashboard_app, "ops@example.com", permissions=["queue.dashboard"])
    await sign_in(browser, "ops@example.com", "/queue/batches")
    return await csrf_of(browser, "/queue/batches")


async def test_no_batches_yet_the_page_and_an_empty_list(
    browser: httpx.AsyncClient, operator: str
) -> None:
    page = await browser.get("/queue/batches")
    assert 'href="/queue/batches" class="nav-link is-active"' in page.text
    assert "/queue/assets/batches.js?v=" in page.text
    assert "unsafe-inline" not in page.headers["content-security-policy"]
    listed = await browser.get("/queue/api/batches")
    assert listed.status_code == 200 and listed.headers["cache-control"] == "no-store"
    assert listed.json() == {
        "data": [],
        "meta": {"total": 0, "page": 1, "per_page": 100, "pages": 1},
    }
    script = await browser.get("/queue/assets/batches.js")
    assert script.status_code == 200 and "No batches yet." in script.text


async def test_a_batch_in_the_list_and_on_its_page_as_its_jobs_run(
    dashboard_app: Application, browser: httpx.AsyncClient, operator: str, tmp_path: Path
) -> None:
    marker = tmp_path / "locked"
    marker.touch()
    batch_id = await dispatch(
        [ImportRows(1, str(marker)), ImportRows(2), ImportRows(3)], allow_failures=True
    )
    assert await work(dashboard_app, 1) == ["failed"]

    [row] = (await browser.get("/queue/api/batches")).json()["data"]
    assert row["id"] == batch_id and row["name"] == "Imports"
    assert (row["total_jobs"], row["pending_jobs"], row["failed_jobs"]) == (3, 3, 1)
    assert (row["progress"], row["status"], row["finished_at"]) == (0, "failing", None)
    assert row["options"] == {
        "connection": "database",
        "queue": "imports",
        "allowed_failures": None,
        "callbacks": {"then": [], "catch": [], "finally": []},
    }

    detail = (await browser.get(f"/queue/api/batches/{batch_id}")).json()["data"]
    assert detail["connection"] == "database" and detail["pending_note"] == ""
    [failed] = detail["failed"]
    assert failed["exception"] == "RuntimeError: row 1: the import file is locked"
    assert failed["uuid"] == detail["failed_job_ids"][0]
    # Its link is the failed job's own page.
    shown = await browser.get(f"/queue/api/jobs/failed/{failed['id']}")
    assert shown.json()["data"]["uuid"] == failed["uuid"]
    assert [job["name"].rsplit(".", 1)[-1] for job in detail["pending"]] == ["ImportRows"] * 2
    assert {job["status"] for job in detail["pending"]} == {"pending"}

    await work(dashboard_app, 2)
    after = (await browser.get(f"/queue/api/batches/{batch_id}")).json()["data"]
    assert (after["processed_jobs"], after["progress"], after["pending"]) == (2, 67, [])


async def test_retry_puts_the_failed_jobs_back_and_the_batch_finishes(
    dashboard_app: Application,
    browser: httpx.AsyncClient,
    operator: str,
    tmp_path: Path,
    caplog: pytest.LogCaptureFixture,
) -> None:
    marker = tmp_path / "locked"
    marker.touch()
    batch_id = await dispatch([ImportRows(1, str(marker)), ImportRows(2)], allow_failures=True)
    await work(dashboard_app, 2)
    [failed_uuid] = (await stored(batch_id)).failed_job_ids

    for headers in ({}, {"X-CSRF-Token": "forged"}):
        refused = await browser.post(f"/queue/api/batches/{batch_id}/retry", headers=headers)
        assert refused.status_code == 403 and refused.json()["error"] == "csrf_mismatch"
    assert (await stored(batch_id)).failed_job_ids == [failed_uuid]

    marker.unlink()
    csrf = {"X-CSRF-Token": operator}
    answer = await browser.post(f"/queue/api/batches/{batch_id}/retry", headers=csrf)
    assert answer.status_code == 200
    assert answer.json()["data"] == {"retried": [failed_uuid], "problems": []}
    detail = (await browser.get(f"/queue/api/batches/{batch_id}")).json()["data"]
    assert [job["uuid"] for job in detail["pending"]] == [failed_uuid]  # back on its queue
    assert detail["failed"] == [] and detail["failed_missing"] == []
    assert detail["failed_retrying"] == [failed_uuid]  # failed until its retry succeeds

    assert await work(dashboard_app, 1) == ["processed"]
    done = (await browser.get(f"/queue/api/batches/{batch_id}")).json()["data"]
    assert (done["status"], done["progress"], done["failed_job_ids"]) == ("finished", 100, [])
    nothing = await browser.post(f"/queue/api/batches/{batch_id}/retry", headers=csrf)
    assert nothing.status_code == 409
    assert nothing.json()["message"] == "The given batch does not contain any failed jobs."
    assert any(f"retried batch {batch_id}" in r.getMessage() for r in caplog.records)


async def test_a_forgotten_failed_job_is_named_not_hidden(
    dashboard_app: Application, browser: httpx.AsyncClient, operator: str, tmp_path: Path
) -> None:
    marker = tmp_path / "locked"
    marker.touch()
    batch_id = await dispatch([ImportRows(1, str(marker))])
    await work(dashboard_app, 1)
    [uuid] = (await stored(batch_id)).failed_job_ids
    await dashboard_app.container.make(QueueManager).failed_store().forget(uuid)
    detail = (await browser.get(f"/queue/api/batches/{batch_id}")).json()["data"]
    assert detail["failed"] == [] and detail["failed_missing"] == [uuid]
    answer = await browser.post(
        f"/queue/api/batches/{batch_id}/retry", headers={"X-CSRF-Token": operator}
    )
    assert answer.json()["data"] == {
        "retried": [],
        "problems": [f"No failed job matches the given ID [{uuid}]."],
    }


async def test_cancel_marks_the_batch_cancelled_once(
    dashboard_app: Application,
    browser: httpx.AsyncClient,
    operator: str,
    caplog: pytest.LogCaptureFixture,
) -> None:
    batch_id = await dispatch([ImportRows(1), ImportRows(2)])
    path = f"/queue/api/batches/{batch_id}/cancel"
    assert (await browser.post(path)).status_code == 403
    assert not (await stored(batch_id)).cancelled()

    answer = await browser.post(path, headers={"X-CSRF-Token": operator})
    assert answer.status_code == 200
    body = answer.json()["data"]
    assert body["status"] == "cancelled" and body["cancelled_at"] is not None
    first = body["cancelled_at"]
    again = await browser.post(path, headers={"X-CSRF-Token": operator})
    assert again.json()["data"]["cancelled_at"] == first
    assert any(f"cancelled batch {batch_id}" in r.getMessage() for r in caplog.records)

    finished = await dispatch([ImportRows(3)], name="Done")
    await work(dashboard_app, 3)  # the two cancelled ones run too (they do not check)
    refused = await browser.post(
        f"/queue/api/batches/{finished}/cancel", headers={"X-CSRF-Token": operator}
    )
    assert refused.status_code == 409
    assert not (await stored(finished)).cancelled()


async def test_unknown_ids_and_hostile_input_are_4xx_json(
    browser: httpx.AsyncClient, operator: str
) -> None:
    csrf = {"X-CSRF-Token": operator}
    nul = await browser.get("/queue/api/batches/%00")
    assert nul.status_code == 400 and "message" in nul.json()
    for key in ("nope", "0190b9c4-0000-7000-8000-000000000000", "x" * 300, "'%20OR%201=1", "%25"):
        shown = await browser.get(f"/queue/api/batches/{key}")
        assert shown.status_code == 404, (key, shown.text)
        assert shown.json()["message"].startswith("No batch matches the given ID [")
        for action in ("retry", "cancel"):
            acted = await browser.post(f"/queue/api/batches/{key}/{action}", headers=csrf)
            assert acted.status_code == 404, (key, action, acted.text)
    for page in ("0", "-1", "x", "1.5", str(10**7), "9" * 40):
        answer = await browser.get("/queue/api/batches", params={"page": page})
        assert answer.status_code == 422, (page, answer.text)
        assert "message" in answer.json()
    # A page past the end is an empty page, not an error.
    assert (await browser.get("/queue/api/batches?page=999")).json()["data"] == []


async def test_guests_and_users_without_the_permission_are_refused(
    dashboard_app: Application, browser: httpx.AsyncClient
) -> None:
    batch_id = await dispatch([ImportRows(1)])
    guest = await browser.get("/queue/api/batches")
    assert guest.status_code == 401 and "message" in guest.json()
    page = await browser.get(f"/queue/batches/{batch_id}")
    assert page.status_code == 302 and page.headers["location"].startswith("/oauth/login")
    assert (await browser.post(f"/queue/api/batches/{batch_id}/cancel")).status_code == 401

    await make_user(dashboard_app, "intern@example.com")
    await sign_in(browser, "intern@example.com", "/queue/batches")
    assert (await browser.get("/queue/batches")).status_code == 403
    assert (await browser.get("/queue/api/batches")).status_code == 403
    assert (await browser.get(f"/queue/api/batches/{batch_id}")).status_code == 403
    assert (await browser.post(f"/queue/api/batches/{batch_id}/cancel")).status_code == 403
    assert not (await stored(batch_id)).cancelled()


@pytest.fixture
async def small_pages(
    make_application: MakeApplication, database_url: str
) -> AsyncIterator[tuple[Application, httpx.AsyncClient]]:
    """The testbench app with two batches a page, and a signed-in operator's client."""
    await migrate_database(database_url)
    app = make_application(DATABASE_URL=database_url, QUEUE_DASHBOARD_PAGE_SIZE="2")
    await make_user(app, "ops@example.com", permissions=["queue.dashboard"])
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=create_app(app)), base_url="http://testserver"
    ) as http:
        await sign_in(http, "ops@example.com", "/queue/batches")
        yield app, http


async def test_the_list_is_newest_first_a_page_at_a_time(
    small_pages: tuple[Application, httpx.AsyncClient],
) -> None:
    _, http = small_pages
    ids = [await dispatch([ImportRows(n)], name=f"Import {n}") for n in range(3)]
    first = (await http.get("/queue/api/batches")).json()
    assert [row["id"] for row in first["data"]] == [ids[2], ids[1]]
    assert first["meta"] == {"total": 3, "page": 1, "per_page": 2, "pages": 2}
    second = (await http.get("/queue/api/batches", params={"page": 2})).json()
    assert [row["name"] for row in second["data"]] == ["Import 0"]
    assert second["meta"]["page"] == 2
    # A batch's page lists at most a page of its jobs too.
    big = await dispatch([ImportRows(n) for n in range(5)], name="Big")
    detail = (await http.get(f"/queue/api/batches/{big}")).json()
    assert len(detail["data"]["pending"]) == 2 and detail["meta"] == {"limit": 2}
