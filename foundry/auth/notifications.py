"""The notifications the auth flows send: ``VerifyEmail`` and ``ResetPassword`` (Laravel's).

Both go out on ``mail`` by default. To send them on other channels too, subclass one and name
the subclass in ``config/notifications.py`` (``verify_email_notification``,
``reset_password_notification``)::

    @dataclass
    class ResetPassword(foundry.auth.notifications.ResetPassword):
        def via(self, notifiable: Any) -> list[str]:
            return ["mail", "sms"]

        def to_sms(self, notifiable: Any) -> str:
            return f"Reset your password: {self.url}"

They are sent in the flow's own process (``send_now``): the reset link is already made on a
queue worker, and its single-use token must never sit in a queue payload. Do not store the
link with the ``database`` channel either: it is a credential.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, TypeVar

from foundry.auth.services.auth_mail import ResetPasswordMail, VerifyEmailMail
from foundry.auth.user import AuthUser
from foundry.jobs.serialization import import_class
from foundry.mail import Mailable
from foundry.notifications import AnonymousNotifiable, Notification, Routable

__all__ = ["ResetPassword", "VerifyEmail", "notification_class", "notifiable_user"]

N = TypeVar("N", bound=Notification)


def notification_class(path: str, base: type[N]) -> type[N]:
    """The class configured at ``path``, which must be ``base`` or a subclass of it.

    Raises:
        TypeError: ``path`` names another class (a configuration mistake, so it fails loudly).
    """
    cls = import_class(path)
    if not issubclass(cls, base):
        raise TypeError(f"{path} must be {base.__qualname__} or a subclass of it")
    return cls


def notifiable_user(user: AuthUser) -> Routable:
    """``user`` when its model uses ``Notifiable``; else on-demand mail to its address."""
    if isinstance(user, Routable):
        return user
    return AnonymousNotifiable().route("mail", (user.email, user.name))


def _addressed(
    mail: Mailable, notifiable: Any, notification: Notification, user_name: str
) -> Mailable:
    """Address ``mail`` to the notifiable's mail route, with the user's name as before."""
    route = notifiable.route_notification_for("mail", notification)
    if isinstance(route, str):
        mail.to(route, user_name)
    return mail


@dataclass
class VerifyEmail(Notification):
    """A signed, expiring link that confirms the address."""

    user_name: str
    url: str
    minutes: int
    #: Sent at once, not held for a commit (the flow has nothing to commit first).
    after_commit = False

    def via(self, notifiable: Any) -> list[str]:
        """Mail only, by default."""
        return ["mail"]

    def to_mail(self, notifiable: Any) -> Mailable:
        """The framework's verification mail (``emails/verify_email``)."""
        mail = VerifyEmailMail(user_name=self.user_name, url=self.url, minutes=self.minutes)
        return _addressed(mail, notifiable, self, self.user_name)


@dataclass
class ResetPassword(Notification):
    """A link to reset the password; ``url`` carries the single-use token."""

    user_name: str
    url: str
    minutes: int

    def via(self, notifiable: Any) -> list[str]:
        """Mail only, by default."""
        return ["mail"]

    def to_mail(self, notifiable: Any) -> Mailable:
        """The framework's reset mail (``emails/reset_password``)."""
        mail = ResetPasswordMail(user_name=self.user_name, url=self.url, minutes=self.minutes)
        return _addressed(mail, notifiable, self, self.user_name)
