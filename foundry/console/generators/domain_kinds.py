"""Where events, listeners, mail, rules, exceptions, enums, scopes and casts go.

Each lands in the application folder a Laravel developer looks in (``app/events``,
``app/listeners``, ``app/mail`` with its views in ``resources/views/emails``, ``app/rules``,
``app/exceptions``, ``app/enums``, ``app/models/scopes``, ``app/casts``) and is built on the
framework's own API for it, so it works once it is written.
"""

from __future__ import annotations

from http import HTTPStatus
from pathlib import Path

from foundry.console.context import CommandError
from foundry.console.generators.names import Name
from foundry.console.generators.writer import Generator

__all__ = [
    "EVENTS",
    "plan_cast",
    "plan_enum",
    "plan_event",
    "plan_exception",
    "plan_listener",
    "plan_mail",
    "plan_notification",
    "plan_rule",
    "plan_scope",
]

EVENTS = Path("app/events")


def plan_event(generator: Generator, name: Name) -> None:
    """``app/events/<snake>.py``: a frozen dataclass."""
    generator.add(EVENTS / f"{name.snake}.py", "event", export=name.studly, name=name)


def plan_listener(
    generator: Generator, name: Name, event: Name | None = None, *, queued: bool = False
) -> None:
    """``app/listeners/<snake>.py``; typed for ``event``, which must exist when given.

    Raises:
        CommandError: ``event`` names an event that is neither in ``app/events`` nor planned.
    """
    if event is not None and not generator.exists(EVENTS / f"{event.snake}.py"):
        raise CommandError(
            f"Event [{EVENTS / (event.snake + '.py')}] does not exist. "
            f"Create it first: artisan make:event {event.studly}"
        )
    generator.add(
        f"app/listeners/{name.snake}.py",
        "listener",
        export=name.studly,
        name=name,
        event=event,
        event_type=event.studly if event else "object",
        subject=f"{event.studly} events" if event else "an event",
        queued=queued,
    )


def plan_mail(generator: Generator, name: Name) -> None:
    """``app/mail/<snake>.py`` and its HTML and text views in ``resources/views/emails``."""
    view = f"emails/{name.snake}"
    subject = name.without_suffix("Mail").words.capitalize()
    generator.add(
        f"app/mail/{name.snake}.py",
        "mail",
        export=name.studly,
        name=name,
        view=view,
        subject=subject,
    )
    generator.add_text(f"resources/views/{view}.html.j2", "mail_html.j2")
    generator.add_text(f"resources/views/{view}.txt.j2", "mail_text.j2")


def plan_notification(generator: Generator, name: Name, *, queued: bool = False) -> None:
    """``app/notifications/<snake>.py``: ``via``, ``to_mail`` and ``to_database``; with
    ``queued``, ``ShouldQueue`` too."""
    generator.add(
        f"app/notifications/{name.snake}.py",
        "notification",
        export=name.studly,
        name=name,
        subject=name.without_suffix("Notification").words.capitalize(),
        queued=queued,
    )


def plan_rule(generator: Generator, name: Name) -> None:
    """``app/rules/<snake>.py``: a ``Rule`` whose message key is the snake-case name."""
    generator.add(f"app/rules/{name.snake}.py", "rule", export=name.studly, name=name)


def plan_exception(generator: Generator, name: Name, status: int = 400) -> None:
    """``app/exceptions/<snake>.py``: an ``HttpError`` answering ``status``.

    Its ``error`` code is the name in snake case without ``Exception``/``Error``
    (``PaymentFailedException`` -> ``payment_failed``), its message the status's phrase.

    Raises:
        CommandError: ``status`` is not a 4xx or 5xx status code.
    """
    try:
        phrase = HTTPStatus(status).phrase
    except ValueError:
        phrase = ""
    if not phrase or not 400 <= status <= 599:
        raise CommandError(f"Invalid status {status}: use an HTTP error status, 400 to 599.")
    error = name.without_suffix("Exception").without_suffix("Error").snake
    generator.add(
        f"app/exceptions/{name.snake}.py",
        "exception",
        export=name.studly,
        name=name,
        status=status,
        error=error,
        message=f"{phrase}.",
    )


def plan_enum(generator: Generator, name: Name, *, integer: bool = False) -> None:
    """``app/enums/<snake>.py``: a ``StrEnum`` (an ``IntEnum`` with ``integer``)."""
    base = "IntEnum" if integer else "StrEnum"
    generator.add(
        f"app/enums/{name.snake}.py",
        "enum",
        export=name.studly,
        name=name,
        base=base,
        integer=integer,
    )


def plan_scope(generator: Generator, name: Name) -> None:
    """``app/models/scopes/<snake>.py``: a global scope, named without ``Scope`` in a model."""
    generator.add(
        f"app/models/scopes/{name.snake}.py",
        "scope",
        export=name.studly,
        name=name,
        scope_name=name.without_suffix("Scope").snake,
    )


def plan_cast(generator: Generator, name: Name) -> None:
    """``app/casts/<snake>.py``: a SQLAlchemy ``TypeDecorator`` (Laravel's custom cast)."""
    generator.add(f"app/casts/{name.snake}.py", "cast", export=name.studly, name=name)
