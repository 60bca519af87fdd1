"""The application's schedule in ``routes/console.py`` loads, and lists what it runs."""

from __future__ import annotations

from foundry.console.scheduling import load_schedule
from foundry.kernel.config import ConfigRepository
from tests.support.artisan import artisan


def test_the_app_prunes_revocations_models_and_webhook_deliveries_daily_on_one_server() -> None:
    schedule = load_schedule(ConfigRepository())

    assert [(event.display_name, event.expression) for event in schedule] == [
        ("artisan auth:prune-revocations", "0 0 * * *"),
        ("artisan model:prune", "0 0 * * *"),
        ("artisan notifications:prune-webhook-deliveries", "0 0 * * *"),
    ]
    assert all(event.one_server for event in schedule)


def test_schedule_list_shows_the_apps_tasks() -> None:
    result = artisan("schedule:list")

    assert result.exit_code == 0, result.output
    assert "artisan auth:prune-revocations" in result.stdout
    assert "artisan model:prune" in result.stdout
    assert "artisan notifications:prune-webhook-deliveries" in result.stdout
