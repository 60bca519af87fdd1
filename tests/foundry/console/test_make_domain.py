"""``make:event``, ``make:listener``, ``make:mail``, ``make:rule``, ``make:exception``,
``make:enum``, ``make:scope`` and ``make:cast``: where each lands, and that what it writes works
with the framework's API (loaded from the generated file, not from a copy in the test).
"""

from __future__ import annotations

import dataclasses
import importlib.util
import sys
from collections.abc import Iterator, Mapping
from enum import IntEnum, StrEnum
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from sqlalchemy import create_engine, select
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column

from foundry.jobs.contracts import ShouldQueue
from foundry.kernel.errors import HttpError, ValidationError
from foundry.mail import Mailable, MailViews
from foundry.validation import Rule, Validator
from tests.foundry.console.helpers import artisan


def make(base: Path, *args: str) -> tuple[int, str, str]:
    result = artisan(*args, "--path", str(base))
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture
def loaded() -> Iterator[list[str]]:
    names: list[str] = []
    yield names
    for name in names:
        sys.modules.pop(name, None)


def load(path: Path, loaded: list[str]) -> ModuleType:
    """Import a generated module that needs only the framework (it is not on ``sys.path``)."""
    name = f"generated_{path.stem}_{len(loaded)}"
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module  # dataclasses look their module up
    loaded.append(name)
    spec.loader.exec_module(module)
    return module


def test_each_kind_lands_in_its_laravel_folder(tmp_path: Path) -> None:
    cases = [
        (("make:event", "OrderShipped"), "app/events/order_shipped.py"),
        (("make:listener", "NotifyWarehouse"), "app/listeners/notify_warehouse.py"),
        (("make:mail", "WelcomeMail"), "app/mail/welcome_mail.py"),
        (("make:rule", "Uppercase"), "app/rules/uppercase.py"),
        (("make:exception", "PaymentFailed"), "app/exceptions/payment_failed.py"),
        (("make:enum", "PostStatus"), "app/enums/post_status.py"),
        (("make:scope", "PublishedScope"), "app/models/scopes/published_scope.py"),
        (("make:cast", "Money"), "app/casts/money.py"),
        (("make:provider", "BillingProvider"), "app/providers/billing_provider.py"),
    ]
    for args, relative in cases:
        code, out, err = make(tmp_path, *args)
        assert code == 0, (args, err)
        assert f"File [{relative}] created successfully." in out
        assert (tmp_path / relative).is_file()
        assert (tmp_path / relative).parent.joinpath("__init__.py").is_file()


def test_event_is_a_frozen_dataclass(tmp_path: Path, loaded: list[str]) -> None:
    assert make(tmp_path, "make:event", "OrderShipped")[0] == 0

    event_class = load(tmp_path / "app/events/order_shipped.py", loaded).OrderShipped
    assert dataclasses.is_dataclass(event_class)
    event = load(tmp_path / "app/events/order_shipped.py", loaded).OrderShipped()
    with pytest.raises(dataclasses.FrozenInstanceError):
        event.extra = 1


def test_queued_listener_is_typed_for_its_event_and_should_queue(tmp_path: Path) -> None:
    assert make(tmp_path, "make:event", "OrderShipped")[0] == 0
    code, out, err = make(
        tmp_path, "make:listener", "NotifyWarehouse", "--event", "OrderShipped", "--queued"
    )

    assert code == 0, err
    source = (tmp_path / "app/listeners/notify_warehouse.py").read_text()
    assert "from app.events.order_shipped import OrderShipped" in source
    assert "class NotifyWarehouse(ShouldQueue):" in source
    assert "async def handle(self, event: OrderShipped) -> None:" in source
    assert "listen = {OrderShipped: [NotifyWarehouse]}" in out


def test_plain_listener_runs_inline(tmp_path: Path, loaded: list[str]) -> None:
    assert make(tmp_path, "make:listener", "AuditEverything")[0] == 0

    listener = load(tmp_path / "app/listeners/audit_everything.py", loaded).AuditEverything
    assert not issubclass(listener, ShouldQueue)
    assert (
        "async def handle(self, event: object) -> None:"
        in (tmp_path / "app/listeners/audit_everything.py").read_text()
    )


def test_listener_for_a_missing_event_is_refused(tmp_path: Path) -> None:
    code, _, err = make(tmp_path, "make:listener", "NotifyWarehouse", "--event", "OrderShipped")

    assert code == 1
    assert "Event [app/events/order_shipped.py] does not exist" in err
    assert "make:event OrderShipped" in err
    assert not (tmp_path / "app/listeners").exists()


def test_mailable_renders_its_generated_views(tmp_path: Path, loaded: list[str]) -> None:
    assert make(tmp_path, "make:mail", "OrderShippedMail")[0] == 0

    mail_class = load(tmp_path / "app/mail/order_shipped_mail.py", loaded).OrderShippedMail
    mail = mail_class()
    assert isinstance(mail, Mailable)
    assert mail.build_subject() == "Order shipped"
    views = MailViews(tmp_path / "resources/views", {"app_name": "Shop", "app_url": "https://x"})
    context = {**mail.context(), "subject": mail.build_subject()}
    assert mail.html_template and mail.text_template
    html = views.render(mail.html_template, context)
    text = views.render(mail.text_template, context)
    assert "<p>Order shipped</p>" in html and "Thanks, Shop" in html
    assert "Order shipped" in text and "Thanks, Shop" in text


async def test_rule_is_run_by_the_validator(tmp_path: Path, loaded: list[str]) -> None:
    assert make(tmp_path, "make:rule", "Uppercase")[0] == 0
    rule_class = load(tmp_path / "app/rules/uppercase.py", loaded).Uppercase
    assert issubclass(rule_class, Rule) and rule_class.key == "uppercase"

    await Validator({"name": "ada"}, {"name": [rule_class()]}).validate()  # passes as written

    class Refusing(rule_class):  # type: ignore[misc, valid-type]  # loaded at run time
        def passes(self, attribute: str, value: object, data: Mapping[str, object]) -> bool:
            return False

    with pytest.raises(ValidationError) as raised:
        await Validator({"name": "ada"}, {"name": [Refusing()]}).validate()
    assert raised.value.errors == {"name": ["The name field is invalid."]}


def test_exception_carries_its_status_error_code_and_message(
    tmp_path: Path, loaded: list[str]
) -> None:
    code, _, err = make(tmp_path, "make:exception", "PaymentFailedException", "--status", "402")
    assert code == 0, err

    module = load(tmp_path / "app/exceptions/payment_failed_exception.py", loaded)
    error = module.PaymentFailedException()
    assert isinstance(error, HttpError)
    assert (error.status_code, error.error, error.message) == (
        402,
        "payment_failed",
        "Payment Required.",
    )
    assert module.PaymentFailedException("Card declined.").message == "Card declined."


@pytest.mark.parametrize("status", ["200", "302", "600", "499"])
def test_exception_refuses_a_status_that_is_no_error(tmp_path: Path, status: str) -> None:
    code, _, err = make(tmp_path, "make:exception", "Oops", "--status", status)

    assert code == 1
    assert f"Invalid status {status}" in err
    assert not (tmp_path / "app").exists()


def test_enums_are_str_or_int(tmp_path: Path, loaded: list[str]) -> None:
    assert make(tmp_path, "make:enum", "PostStatus")[0] == 0
    assert make(tmp_path, "make:enum", "Priority", "--int")[0] == 0

    assert issubclass(load(tmp_path / "app/enums/post_status.py", loaded).PostStatus, StrEnum)
    assert issubclass(load(tmp_path / "app/enums/priority.py", loaded).Priority, IntEnum)


class _Base(DeclarativeBase):
    pass


def test_scope_works_as_a_global_scope(tmp_path: Path, loaded: list[str]) -> None:
    assert make(tmp_path, "make:scope", "PublishedScope")[0] == 0
    scope = load(tmp_path / "app/models/scopes/published_scope.py", loaded).PublishedScope
    assert (
        'global_scopes = {"published": PublishedScope.apply}'
        in (tmp_path / "app/models/scopes/published_scope.py").read_text()
    )

    class Published(scope):  # type: ignore[misc, valid-type]  # loaded at run time
        @staticmethod
        def apply(model: Any) -> Any:
            return model.published.is_(True)

    class Article(_Base):
        __tablename__ = "scoped_articles"
        global_scopes = {"published": Published.apply}
        id: Mapped[int] = mapped_column(primary_key=True)
        published: Mapped[bool]

    class Page(_Base):
        __tablename__ = "scoped_pages"
        global_scopes = {"published": scope.apply}  # as generated: every row
        id: Mapped[int] = mapped_column(primary_key=True)

    engine = create_engine("sqlite://")
    _Base.metadata.create_all(engine)
    with Session(engine) as session:
        session.add_all([Article(published=True), Article(published=False), Page(), Page()])
        session.commit()
        assert [a.published for a in session.scalars(select(Article))] == [True]
        assert len(session.scalars(select(Page)).all()) == 2


def test_cast_round_trips_through_a_column(tmp_path: Path, loaded: list[str]) -> None:
    assert make(tmp_path, "make:cast", "Money")[0] == 0
    money = load(tmp_path / "app/casts/money.py", loaded).Money

    class Price(_Base):
        __tablename__ = "cast_prices"
        id: Mapped[int] = mapped_column(primary_key=True)
        amount: Mapped[str | None] = mapped_column(money())

    engine = create_engine("sqlite://")
    _Base.metadata.create_all(engine, tables=[Price.__table__])  # type: ignore[list-item]
    with Session(engine) as session:
        session.add_all([Price(amount="9.99"), Price(amount=None)])
        session.commit()
        session.expunge_all()
        assert [p.amount for p in session.scalars(select(Price).order_by(Price.id))] == [
            "9.99",
            None,
        ]
