"""Events run on their timezone's wall clock, across daylight-saving changes as cron does."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from foundry.console.scheduling import Event, Schedule, load_schedule
from foundry.console.scheduling.listing import list_events
from foundry.kernel.config import ConfigRepository
from tests.foundry.scheduling.sample_schedule import MODULE

NEW_YORK = "America/New_York"


def due_minutes(event: Event, day_utc: datetime) -> list[str]:
    """Every UTC minute of the 24 hours from ``day_utc`` at which ``event`` is due."""
    minutes = (day_utc + timedelta(minutes=n) for n in range(24 * 60))
    return [f"{m:%H:%M}" for m in minutes if event.is_due(m)]


def test_an_event_runs_at_its_timezones_wall_clock_time_in_winter_and_summer() -> None:
    paris = Schedule().call(lambda: None).daily_at("03:00").timezone("Europe/Paris")

    assert due_minutes(paris, datetime(2026, 12, 7, tzinfo=UTC)) == ["02:00"]  # UTC+1
    assert due_minutes(paris, datetime(2026, 7, 7, tzinfo=UTC)) == ["01:00"]  # UTC+2


def test_a_time_the_clock_skips_runs_right_after_the_jump() -> None:
    # 2026-03-08 in New York: 02:00 EST becomes 03:00 EDT (07:00 UTC); 02:30 never happens.
    event = Schedule(NEW_YORK).call(lambda: None).daily_at("02:30")

    assert due_minutes(event, datetime(2026, 3, 8, tzinfo=UTC)) == ["07:00"]
    assert due_minutes(event, datetime(2026, 3, 9, tzinfo=UTC)) == ["06:30"]  # 02:30 EDT


def test_a_time_the_clock_passes_twice_runs_once_but_wildcards_run_in_both_passes() -> None:
    # 2026-11-01 in New York: 01:00-01:59 happens as EDT (05:xx UTC), then again as EST (06:xx).
    schedule = Schedule(NEW_YORK)
    fixed = schedule.call(lambda: None).daily_at("01:30")
    half_hourly = schedule.call(lambda: None).every_thirty_minutes()
    day = datetime(2026, 11, 1, tzinfo=UTC)

    assert due_minutes(fixed, day) == ["05:30"]
    assert [m for m in due_minutes(half_hourly, day) if m[:2] in ("05", "06")] == [
        "05:00",
        "05:30",
        "06:00",
        "06:30",
    ]


def test_events_default_to_the_app_timezone_and_schedule_timezone_wins() -> None:
    app_zone = ConfigRepository.with_environment(
        {"SCHEDULE_MODULE": MODULE, "APP_TIMEZONE": "Asia/Tokyo"}
    )
    own_zone = ConfigRepository.with_environment(
        {"SCHEDULE_MODULE": MODULE, "APP_TIMEZONE": "Asia/Tokyo", "SCHEDULE_TIMEZONE": "UTC"}
    )

    zones = [event.zone.key for event in load_schedule(app_zone)]
    assert zones == ["Asia/Tokyo", "Asia/Tokyo", "Europe/Paris", "Asia/Tokyo"]
    assert [event.zone.key for event in load_schedule(own_zone)][-1] == "UTC"


def test_the_next_due_time_is_shown_in_the_events_timezone() -> None:
    schedule = Schedule()
    schedule.call(lambda: None).name("paris report").weekly_on(1, "08:30").timezone("Europe/Paris")
    schedule.call(lambda: None).name("spring").daily_at("02:30").timezone(NEW_YORK)
    now = datetime(2026, 3, 7, 12, 0, tzinfo=UTC)  # a Saturday

    rows = list_events(schedule, now)

    assert rows[0].next_due == "2026-03-09 08:30:00+01:00 (Europe/Paris, in 1d 19h 30m)"
    assert rows[1].next_due.startswith("2026-03-08 03:00:00-04:00 (America/New_York")
    in_utc = list_events(schedule, now, timezone=ZoneInfo("UTC"))
    assert in_utc[0].next_due.startswith("2026-03-09 07:30:00+00:00")
