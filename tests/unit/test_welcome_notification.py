"""The application's ``WelcomeNotification``: stored in the inbox and mailed."""

from __future__ import annotations

from app.notifications import WelcomeNotification
from foundry.notifications import MailMessage


def test_welcome_goes_to_the_inbox_and_by_mail() -> None:
    welcome = WelcomeNotification("Ada")

    assert welcome.via(None) == ["database", "mail"]
    assert welcome.to_database(None) == {"message": "Welcome Ada!"}
    mail = welcome.to_mail(None)
    assert isinstance(mail, MailMessage)
    assert mail.mailable().build_subject() == "Welcome!"
    assert mail.mailable().greeting == "Welcome Ada!"
