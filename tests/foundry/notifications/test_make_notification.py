"""``artisan make:notification``: the file it writes is a working notification."""

from __future__ import annotations

import importlib.util
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from foundry.jobs.contracts import ShouldQueue
from foundry.notifications import MailMessage, Notification
from tests.foundry.console.helpers import artisan


@pytest.fixture
def loaded() -> Iterator[list[str]]:
    names: list[str] = []
    yield names
    for name in names:
        sys.modules.pop(name, None)


def _load(path: Path, loaded: list[str]) -> ModuleType:
    name = f"generated_{path.stem}_{len(loaded)}"
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module  # dataclasses look their module up
    loaded.append(name)
    spec.loader.exec_module(module)
    return module


def test_make_notification_writes_a_mail_and_database_notification(
    tmp_path: Path, loaded: list[str]
) -> None:
    result = artisan("make:notification", "InvoicePaid", "--path", str(tmp_path))
    assert result.exit_code == 0, result.stderr
    relative = "app/notifications/invoice_paid.py"
    assert f"File [{relative}] created successfully." in result.stdout

    cls = _load(tmp_path / relative, loaded).InvoicePaid
    notification: Any = cls()
    assert issubclass(cls, Notification) and not issubclass(cls, ShouldQueue)
    assert notification.via(None) == ["mail", "database"]
    message = notification.to_mail(None)
    assert isinstance(message, MailMessage)
    assert message.mailable().build_subject() == "Invoice paid"
    assert notification.to_database(None) == {}


def test_queued_and_no_overwrite(tmp_path: Path, loaded: list[str]) -> None:
    args = ("make:notification", "OrderShipped", "--queued", "--path", str(tmp_path))
    assert artisan(*args).exit_code == 0
    cls = _load(tmp_path / "app/notifications/order_shipped.py", loaded).OrderShipped
    assert isinstance(cls(), ShouldQueue)

    again = artisan(*args)
    assert again.exit_code != 0
    assert "already exists" in again.stdout + again.stderr
