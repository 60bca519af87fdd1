"""``event:list``: the events the providers declare, with their listeners in order."""

from __future__ import annotations

from tests.foundry.console.helpers import artisan
from tests.foundry.console.sample_providers import PROVIDERS_WITH_SAMPLES

SAMPLES = "tests.foundry.console.sample_providers"


def test_lists_each_event_and_its_listeners_marking_queued_ones() -> None:
    result = artisan("event:list", env={"APP_PROVIDERS": PROVIDERS_WITH_SAMPLES})

    assert result.exit_code == 0, result.stderr
    lines = [line.strip() for line in result.stdout.splitlines() if line.strip()]
    assert lines == [
        f"{SAMPLES}.OrderPlaced",
        f"⇂ {SAMPLES}.ReserveStock (ShouldQueue)",
        f"{SAMPLES}.UserRegistered",
        f"⇂ {SAMPLES}.record_signup",
    ]


def test_event_filter_and_an_application_without_events() -> None:
    filtered = artisan(
        "event:list", "--event", "userreg", env={"APP_PROVIDERS": PROVIDERS_WITH_SAMPLES}
    )
    assert filtered.exit_code == 0, filtered.stderr
    assert "UserRegistered" in filtered.stdout and "OrderPlaced" not in filtered.stdout

    none = artisan("event:list")  # the test application declares no events

    assert none.exit_code == 0
    assert "doesn't have any events" in none.stdout
