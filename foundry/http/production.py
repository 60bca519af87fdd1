"""What a production server refuses to start with: settings that are fine on a laptop only.

``create_app()`` raises :class:`UnsafeProductionConfigError` naming every problem at once, so an
operator fixes them in one go. ``APP_KEY`` and the JWT keys are checked by the application and
its JWT provider already.
"""

from __future__ import annotations

from foundry.config.http import HttpSettings
from foundry.config.mail import MailSettings
from foundry.kernel.application import Application

__all__ = [
    "NON_DELIVERING_MAILERS",
    "UnsafeProductionConfigError",
    "check_production",
    "production_problems",
]

#: Mailers that deliver nothing: ``log`` writes messages to the log, ``array`` keeps them in
#: memory (tests).
NON_DELIVERING_MAILERS = frozenset({"log", "array"})


class UnsafeProductionConfigError(RuntimeError):
    """``APP_ENV=production`` with settings meant for development (the message lists them)."""


def production_problems(application: Application) -> list[str]:
    """Each setting that makes ``application`` unsafe to serve in production (none outside it)."""
    if not application.is_production():
        return []
    problems: list[str] = []
    if not application.config.settings(HttpSettings).trusted_hosts:
        problems.append(
            "TRUSTED_HOSTS is empty: any Host header would be answered and would flow into "
            "pagination links and redirects. Set it to the host names the app serves "
            "(TRUSTED_HOSTS=api.example.com,*.example.com)."
        )
    mailer = application.config.settings(MailSettings).mailer
    if mailer in NON_DELIVERING_MAILERS:
        problems.append(
            f"MAIL_MAILER={mailer} delivers no mail: password resets and verification links "
            "would never arrive. Set MAIL_MAILER=smtp and MAIL_HOST/MAIL_PORT (or a mailer of "
            "your own)."
        )
    if application.settings.debug:
        problems.append(
            "APP_DEBUG=true: a 500 would show the exception, its trace and SQL to any caller. "
            "Set APP_DEBUG=false."
        )
    return problems


def check_production(application: Application) -> None:
    """Raise :class:`UnsafeProductionConfigError` if :func:`production_problems` finds any."""
    problems = production_problems(application)
    if problems:
        listed = "\n".join(f"  - {problem}" for problem in problems)
        raise UnsafeProductionConfigError(f"APP_ENV=production refuses to start:\n{listed}")
