"""Fixtures for HTTP feature tests: apps built by ``create_app`` and a clean logging state."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator

import pytest
from fastapi import FastAPI

from foundry.http.app import create_app
from foundry.kernel.application import Application

MakeHttpApp = Callable[..., FastAPI]

_TOUCHED_LOGGERS = ("", "uvicorn", "uvicorn.error", "uvicorn.access")


@pytest.fixture(autouse=True)
def restore_logging() -> Iterator[None]:
    """``create_app`` configures logging for the process; undo it after each test."""
    saved = [
        (logger, list(logger.handlers), logger.level, logger.propagate, logger.disabled)
        for logger in (logging.getLogger(name) for name in _TOUCHED_LOGGERS)
    ]
    yield
    for logger, handlers, level, propagate, disabled in saved:
        logger.handlers[:] = handlers
        logger.setLevel(level)
        logger.propagate = propagate
        logger.disabled = disabled


@pytest.fixture
def make_http_app(make_application: Callable[..., Application]) -> MakeHttpApp:
    """``make_http_app(MAX_BODY_SIZE="1024")``: the full HTTP app over a fresh application."""

    def factory(**env: str) -> FastAPI:
        return create_app(make_application(**env))

    return factory
