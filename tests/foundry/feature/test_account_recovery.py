"""Forgotten passwords and email verification through the API, with the mail faked."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest

from foundry.auth.services.auth_mail import ResetPasswordMail, VerifyEmailMail
from foundry.auth.services.send_password_reset_link import SendPasswordResetLink
from foundry.kernel.application import Application
from foundry.mail import MailFake, MailManager
from foundry.queue import QueueManager
from foundry.testing import TestClient, work_queue
from tests.foundry.feature.test_auth_api import API, bearer, login, register

NEW = "an entirely new passphrase"


@pytest.fixture
def mail(application: Application) -> MailFake:
    return application.container.make(MailManager).fake()


def reset_token(mail: MailFake) -> str:
    (sent,) = mail.sent(ResetPasswordMail)
    return parse_qs(urlsplit(sent.url).query)["token"][0]


async def test_forgot_password_answers_the_same_for_unknown_emails(
    client: TestClient, mail: MailFake, application: Application
) -> None:
    tokens = (await register(client)).json()
    known = await client.post(f"{API}/forgot-password", json={"email": "ADA@example.com"})
    unknown = await client.post(f"{API}/forgot-password", json={"email": "who@example.com"})
    assert known.assert_ok().json() == unknown.assert_ok().json()
    mail.assert_nothing_sent()  # the request only queued the work, the same for both
    await work_queue(application)
    mail.assert_sent_times(ResetPasswordMail, 1)
    token = reset_token(mail)

    (
        await client.post(
            f"{API}/reset-password",
            json={
                "email": "ada@example.com",
                "token": token,
                "password": NEW,
                "password_confirmation": NEW,
            },
        )
    ).assert_ok()
    (await client.get(f"{API}/me", headers=bearer(tokens))).assert_unauthorized()
    (await login(client)).assert_unauthorized()
    (await login(client, NEW)).assert_ok()
    reused = await client.post(
        f"{API}/reset-password",
        json={
            "email": "ada@example.com",
            "token": token,
            "password": NEW,
            "password_confirmation": NEW,
        },
    )
    reused.assert_json_validation_errors({"email": "token is invalid"})


async def test_a_weak_new_password_keeps_the_token_usable(
    client: TestClient, mail: MailFake, application: Application
) -> None:
    (await register(client)).assert_created()
    (await client.post(f"{API}/forgot-password", json={"email": "ada@example.com"})).assert_ok()
    await work_queue(application)
    token = reset_token(mail)
    weak = await client.post(
        f"{API}/reset-password",
        json={
            "email": "ada@example.com",
            "token": token,
            "password": "short",
            "password_confirmation": "short",
        },
    )
    weak.assert_json_validation_errors("password")
    (
        await client.post(
            f"{API}/reset-password",
            json={
                "email": "ada@example.com",
                "token": token,
                "password": NEW,
                "password_confirmation": NEW,
            },
        )
    ).assert_ok()


async def test_email_verification_link_is_signed_and_bound_to_the_user(
    client: TestClient, mail: MailFake
) -> None:
    tokens = (await register(client)).json()
    sent = await client.post(f"{API}/email/verification-notification", headers=bearer(tokens))
    sent.assert_ok().assert_json({"message": "Verification link sent."})
    (mail_sent,) = mail.sent(VerifyEmailMail)
    parts = urlsplit(mail_sent.url)
    path = f"{parts.path}?{parts.query}"

    tampered = path.replace("/verify/1/", "/verify/2/")
    (await client.get(tampered)).assert_forbidden().assert_json({"error": "invalid_signature"})
    (await client.get(path.replace("expires=", "expires=9"))).assert_forbidden()

    (await client.get(path)).assert_ok()
    me = await client.get(f"{API}/me", headers=bearer(tokens))
    me.assert_json_path("data.email_verified_at", lambda value: value is not None)
    again = await client.post(f"{API}/email/verification-notification", headers=bearer(tokens))
    again.assert_ok().assert_json({"message": "Email already verified."})


async def test_verification_mails_are_throttled(client: TestClient, mail: MailFake) -> None:
    tokens = (await register(client)).json()
    for _ in range(6):
        await client.post(f"{API}/email/verification-notification", headers=bearer(tokens))
    throttled = await client.post(f"{API}/email/verification-notification", headers=bearer(tokens))
    throttled.assert_too_many_requests().assert_header("Retry-After")


async def test_forgot_password_queues_one_job_whether_or_not_the_email_exists(
    client: TestClient, application: Application
) -> None:
    fake = application.container.make(QueueManager).fake()
    (await register(client)).assert_created()
    for email in ("ada@example.com", "who@example.com"):
        (await client.post(f"{API}/forgot-password", json={"email": email})).assert_ok()
    fake.assert_pushed_times(SendPasswordResetLink, 2)
    # The token is made on the worker: nothing secret travels through the queue.
    assert {job.email for job in fake.pushed(SendPasswordResetLink)} == {
        "ada@example.com",
        "who@example.com",
    }
