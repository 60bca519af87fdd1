"""Outgoing HTTP calls never put their URL (a webhook's secret path, a signature) in the log."""

from __future__ import annotations

import io
import logging
from collections.abc import Iterator

import httpx
import pytest

from foundry.config.logging import LoggingSettings
from foundry.kernel.logging import configure_logging


@pytest.fixture
def restored_logging() -> Iterator[None]:
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    clients = {name: logging.getLogger(name).level for name in ("httpx", "httpcore")}
    yield
    root.handlers[:] = handlers
    root.setLevel(level)
    for name, client_level in clients.items():
        logging.getLogger(name).setLevel(client_level)


@pytest.mark.parametrize("level", ["INFO", "DEBUG"])
async def test_a_slack_webhook_url_is_not_logged(restored_logging: None, level: str) -> None:
    stream = io.StringIO()
    configure_logging(LoggingSettings.model_validate({"LOG_LEVEL": level}), stream=stream)
    transport = httpx.MockTransport(lambda request: httpx.Response(200, text="ok"))
    secret_url = "https://hooks.slack.com/services/T000/B000/XXXXSECRETXXXX?token=QUERYSECRET"

    async with httpx.AsyncClient(transport=transport) as client:
        answer = await client.post(secret_url, json={"text": "hi"})

    assert answer.status_code == 200
    logging.getLogger("foundry.test").warning("still logging")  # the handler is live
    written = stream.getvalue()
    assert "still logging" in written
    assert "XXXXSECRETXXXX" not in written
    assert "QUERYSECRET" not in written
