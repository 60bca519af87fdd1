"""The Jobs endpoints the pages poll, and retry/forget: JSON shapes, redaction, search, CSRF."""

from __future__ import annotations

import re

import httpx
import pytest

from foundry.kernel.application import Application
from foundry.queue.manager import QueueManager
from tests.foundry.dashboard.sample_jobs import ChargeCard, SendInvoice
from tests.foundry.dashboard.support import fail, make_user, queue, sign_in

SECRET = "tok_live_4242424242"


@pytest.fixture
async def operator(dashboard_app: Application, browser: httpx.AsyncClient) -> str:
    """Sign ``ops@example.com`` (``queue.dashboard``) in; the page's CSRF token."""
    await make_user(dashboard_app, "ops@example.com", permissions=["queue.dashboard"])
    await sign_in(browser, "ops@example.com", "/queue/jobs/failed")
    page = await browser.get("/queue/jobs/failed")
    found = re.search(r'<meta name="csrf-token" content="([^"]+)">', page.text)
    assert found is not None
    return found.group(1)


async def test_failed_jobs_list_and_detail_with_secure_fields_redacted(
    dashboard_app: Application, browser: httpx.AsyncClient, operator: str
) -> None:
    invoice = await fail(dashboard_app, SendInvoice(7), on="mail")
    card = await fail(dashboard_app, ChargeCard("ada", SECRET), on="billing")
    listed = await browser.get("/queue/api/jobs/failed")
    assert listed.status_code == 200
    assert listed.headers["cache-control"] == "no-store"
    body = listed.json()
    assert body["meta"]["total"] == 2
    assert [row["uuid"] for row in body["data"]] == [card, invoice]  # newest first
    first = body["data"][0]
    assert first["status"] == "failed" and first["queue"] == "billing"
    assert first["job"] == "tests.foundry.dashboard.sample_jobs.ChargeCard"
    assert first["exception"] == "ValueError: card declined"
    assert SECRET not in listed.text

    detail = (await browser.get(f"/queue/api/jobs/failed/{first['id']}")).json()["data"]
    assert detail["payload"]["data"]["card_token"] == "redacted"
    assert detail["payload"]["data"]["customer"] == "ada"
    assert "signature" not in detail["payload"]
    assert "Traceback" in detail["trace"] and "card declined" in detail["trace"]
    # Also by uuid, as queue:retry takes it.
    again = await browser.get(f"/queue/api/jobs/failed/{card}")
    assert again.json()["data"]["id"] == first["id"]
    assert SECRET not in again.text and '"enc"' not in again.text

    missing = await browser.get("/queue/api/jobs/failed/999999")
    assert missing.status_code == 404
    assert missing.json()["message"] == "No failed job matches the given ID [999999]."


async def test_search_by_class_queue_uuid_and_id(
    dashboard_app: Application, browser: httpx.AsyncClient, operator: str
) -> None:
    invoice = await fail(dashboard_app, SendInvoice(7), on="mail")
    await fail(dashboard_app, ChargeCard("ada", SECRET), on="billing")

    async def uuids(**params: str) -> list[str]:
        answer = await browser.get("/queue/api/jobs/failed", params=params)
        assert answer.status_code == 200, answer.text
        return [row["uuid"] for row in answer.json()["data"]]

    assert await uuids(q="sendinvoice") == [invoice]
    assert await uuids(queue="mail") == [invoice]
    assert await uuids(q=invoice[:-4]) == [invoice]  # a uuid prefix
    rows = (await browser.get("/queue/api/jobs/failed")).json()["data"]
    invoice_id = next(row["id"] for row in rows if row["uuid"] == invoice)
    assert await uuids(q=invoice_id) == [invoice]
    assert await uuids(q="ChargeCard", queue="mail") == []
    assert await uuids(q="100%_") == []  # LIKE wildcards are plain characters
    too_long = await browser.get("/queue/api/jobs/failed", params={"q": "x" * 201})
    assert too_long.status_code == 422


async def test_pending_jobs_of_the_database_connection(
    dashboard_app: Application, browser: httpx.AsyncClient, operator: str
) -> None:
    waiting = await queue(dashboard_app, ChargeCard("bob", SECRET), on="billing")
    await queue(dashboard_app, SendInvoice(8), on="mail")
    listed = (await browser.get("/queue/api/jobs/pending")).json()
    assert listed["meta"]["connections"] == ["database"]
    assert listed["meta"]["unavailable"] == {}
    rows = {row["uuid"]: row for row in listed["data"]}
    assert rows[waiting]["status"] == "pending" and rows[waiting]["queue"] == "billing"
    assert rows[waiting]["attempts"] == 0
    searched = (await browser.get("/queue/api/jobs/pending", params={"queue": "mail"})).json()
    assert [row["job"].rsplit(".", 1)[1] for row in searched["data"]] == ["SendInvoice"]
    detail = await browser.get(f"/queue/api/jobs/pending/{waiting}")
    assert detail.json()["data"]["payload"]["data"]["card_token"] == "redacted"
    assert SECRET not in detail.text
    assert (await browser.get("/queue/api/jobs/pending/nope")).status_code == 404


async def test_retry_and_forget_need_the_pages_csrf_token(
    dashboard_app: Application, browser: httpx.AsyncClient, operator: str
) -> None:
    await fail(dashboard_app, SendInvoice(7))
    [row] = (await browser.get("/queue/api/jobs/failed")).json()["data"]
    for headers in ({}, {"X-CSRF-Token": "forged"}):
        refused = await browser.post(
            "/queue/api/jobs/failed/forget", json={"ids": [row["id"]]}, headers=headers
        )
        assert refused.status_code == 403
        assert refused.json()["error"] == "csrf_mismatch"
    assert (await browser.get("/queue/api/jobs/failed")).json()["meta"]["total"] == 1


async def test_retry_puts_jobs_back_and_forget_deletes_them_one_or_many(
    dashboard_app: Application,
    browser: httpx.AsyncClient,
    operator: str,
    caplog: pytest.LogCaptureFixture,
) -> None:
    retried = await fail(dashboard_app, ChargeCard("ada", SECRET))
    others = [await fail(dashboard_app, SendInvoice(n)) for n in (1, 2)]
    rows = {
        row["uuid"]: row["id"]
        for row in (await browser.get("/queue/api/jobs/failed")).json()["data"]
    }
    csrf = {"X-CSRF-Token": operator}

    answer = await browser.post(
        "/queue/api/jobs/failed/retry", json={"ids": [rows[retried], "424242"]}, headers=csrf
    )
    assert answer.status_code == 200
    assert answer.json()["data"] == {"done": [rows[retried]], "missing": ["424242"], "refused": {}}
    pending = (await browser.get("/queue/api/jobs/pending")).json()["data"]
    assert [row["uuid"] for row in pending] == [retried]  # same uuid, back on its queue
    manager = dashboard_app.container.make(QueueManager)
    assert await manager.failed_store().find(retried) is None

    bulk = await browser.post(
        "/queue/api/jobs/failed/forget", json={"ids": [rows[u] for u in others]}, headers=csrf
    )
    assert bulk.json()["data"]["done"] == [rows[u] for u in others]
    assert (await browser.get("/queue/api/jobs/failed")).json() == {
        "data": [],
        "meta": {"total": 0, "limit": 100},
    }
    assert any("retried failed jobs" in r.getMessage() for r in caplog.records)
    assert any("forgot failed jobs" in r.getMessage() for r in caplog.records)


async def test_bad_action_bodies_are_422(browser: httpx.AsyncClient, operator: str) -> None:
    bodies: list[object] = [
        {},
        {"ids": []},
        {"ids": "1"},
        {"ids": [1]},
        {"ids": ["x" * 65]},
        {"ids": ["1"] * 1001},
        {"ids": ["1"], "all": True},
        ["1"],
    ]
    for body in bodies:
        answer = await browser.post(
            "/queue/api/jobs/failed/retry", json=body, headers={"X-CSRF-Token": operator}
        )
        assert answer.status_code == 422, (body, answer.text)
        assert "message" in answer.json()


async def test_assets_are_served_with_cache_headers(browser: httpx.AsyncClient) -> None:
    page_free = await browser.get("/queue/assets/app.js")
    assert page_free.status_code == 200
    assert page_free.headers["content-type"].startswith("text/javascript")
    version = page_free.headers["etag"].strip('"')
    cached = await browser.get(f"/queue/assets/app.css?v={version}")
    assert cached.headers["content-type"].startswith("text/css")
    hashed = await browser.get(f"/queue/assets/app.js?v={version}")
    assert hashed.headers["cache-control"] == "public, max-age=31536000, immutable"
    revalidated = await browser.get(
        "/queue/assets/app.js", headers={"If-None-Match": f'"{version}"'}
    )
    assert revalidated.status_code == 304
    for name in ("nope.js", "..%2Fapi.py", "%2e%2e%2f__init__.py"):
        assert (await browser.get(f"/queue/assets/{name}")).status_code == 404
