"""Each family of frequency methods is due at the minutes it names and at no other."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

import pytest

from foundry.console.scheduling import CronExpressionError, Event, Schedule


def at(text: str) -> datetime:
    """``"2026-12-07 08:30"`` as a UTC moment (2026-12-07 is a Monday)."""
    return datetime.strptime(text, "%Y-%m-%d %H:%M").replace(tzinfo=UTC)


def event(build: Callable[[Event], Event]) -> Event:
    return build(Schedule().call(lambda: None))


CASES: list[tuple[str, Callable[[Event], Event], str, list[str], list[str]]] = [
    ("every minute", lambda e: e.every_minute(), "* * * * *", ["2026-12-07 08:31"], []),
    (
        "every five minutes",
        lambda e: e.every_five_minutes(),
        "*/5 * * * *",
        ["2026-12-07 08:35", "2026-12-07 00:00"],
        ["2026-12-07 08:36"],
    ),
    (
        "every thirty minutes",
        lambda e: e.every_thirty_minutes(),
        "0,30 * * * *",
        ["2026-12-07 08:30"],
        ["2026-12-07 08:15"],
    ),
    ("hourly", lambda e: e.hourly(), "0 * * * *", ["2026-12-07 13:00"], ["2026-12-07 13:01"]),
    (
        "hourly at 15 and 45",
        lambda e: e.hourly_at([15, 45]),
        "15,45 * * * *",
        ["2026-12-07 13:45"],
        ["2026-12-07 13:30"],
    ),
    (
        "every two hours",
        lambda e: e.every_two_hours(),
        "0 */2 * * *",
        ["2026-12-07 14:00"],
        ["2026-12-07 15:00"],
    ),
    (
        "every odd hour",
        lambda e: e.every_odd_hour(5),
        "5 1-23/2 * * *",
        ["2026-12-07 15:05"],
        ["2026-12-07 14:05"],
    ),
    ("daily", lambda e: e.daily(), "0 0 * * *", ["2026-12-08 00:00"], ["2026-12-08 01:00"]),
    (
        "daily at 03:00",
        lambda e: e.daily_at("03:00"),
        "0 3 * * *",
        ["2026-12-09 03:00"],
        ["2026-12-09 03:01", "2026-12-09 15:00"],
    ),
    (
        "twice daily",
        lambda e: e.twice_daily(1, 13),
        "0 1,13 * * *",
        ["2026-12-07 01:00", "2026-12-07 13:00"],
        ["2026-12-07 12:00"],
    ),
    (
        "weekdays at 08:30",
        lambda e: e.weekdays().daily_at("8:30"),
        "30 8 * * 1-5",
        ["2026-12-07 08:30", "2026-12-11 08:30"],
        ["2026-12-12 08:30", "2026-12-13 08:30"],
    ),
    (
        "weekends",
        lambda e: e.weekends().hourly(),
        "0 * * * 6,0",
        ["2026-12-12 10:00", "2026-12-13 10:00"],
        ["2026-12-11 10:00"],
    ),
    (
        "tuesdays",
        lambda e: e.tuesdays().daily(),
        "0 0 * * 2",
        ["2026-12-08 00:00"],
        ["2026-12-07 00:00"],
    ),
    ("weekly", lambda e: e.weekly(), "0 0 * * 0", ["2026-12-13 00:00"], ["2026-12-07 00:00"]),
    (
        "weekly on friday 17:45",
        lambda e: e.weekly_on(5, "17:45"),
        "45 17 * * 5",
        ["2026-12-11 17:45"],
        ["2026-12-10 17:45"],
    ),
    ("monthly", lambda e: e.monthly(), "0 0 1 * *", ["2027-01-01 00:00"], ["2026-12-07 00:00"]),
    (
        "monthly on the 15th",
        lambda e: e.monthly_on(15, "12:00"),
        "0 12 15 * *",
        ["2026-12-15 12:00"],
        ["2026-12-16 12:00"],
    ),
    (
        "last day of month",
        lambda e: e.last_day_of_month("23:00"),
        "0 23 L * *",
        ["2027-02-28 23:00", "2026-12-31 23:00"],
        ["2026-12-30 23:00"],
    ),
    (
        "quarterly",
        lambda e: e.quarterly(),
        "0 0 1 1-12/3 *",
        ["2027-04-01 00:00", "2026-10-01 00:00"],
        ["2026-12-01 00:00"],
    ),
    ("yearly", lambda e: e.yearly(), "0 0 1 1 *", ["2027-01-01 00:00"], ["2026-12-01 00:00"]),
    (
        "yearly on",
        lambda e: e.yearly_on(6, 21, "06:00"),
        "0 6 21 6 *",
        ["2027-06-21 06:00"],
        ["2027-06-22 06:00"],
    ),
    (
        "cron expression",
        lambda e: e.cron("*/10  9-17 * * 1-5"),
        "*/10 9-17 * * 1-5",
        ["2026-12-07 09:50"],
        ["2026-12-07 18:00", "2026-12-12 10:00"],
    ),
]


@pytest.mark.parametrize(
    ("build", "expression", "due", "not_due"),
    [pytest.param(*case[1:], id=case[0]) for case in CASES],
)
def test_a_frequency_is_due_exactly_at_its_minutes(
    build: Callable[[Event], Event], expression: str, due: list[str], not_due: list[str]
) -> None:
    scheduled = event(build)

    assert scheduled.expression == expression
    assert all(scheduled.is_due(at(moment)) for moment in due)
    assert not any(scheduled.is_due(at(moment)) for moment in not_due)


def test_seconds_within_the_minute_do_not_matter() -> None:
    scheduled = event(lambda e: e.daily_at("03:00"))

    assert scheduled.is_due(datetime(2026, 12, 7, 3, 0, 59, 999, tzinfo=UTC))
    assert not scheduled.is_due(datetime(2026, 12, 7, 3, 1, 0, tzinfo=UTC))


def test_between_and_unless_between_limit_a_frequency_to_a_window() -> None:
    office = event(lambda e: e.hourly().between("09:00", "17:00"))
    quiet = event(lambda e: e.hourly().unless_between("23:00", "06:00"))  # wraps past midnight

    assert office.is_due(at("2026-12-07 09:00")) and office.is_due(at("2026-12-07 17:00"))
    assert not office.is_due(at("2026-12-07 18:00"))
    assert quiet.is_due(at("2026-12-07 22:00")) and quiet.is_due(at("2026-12-07 07:00"))
    assert not quiet.is_due(at("2026-12-07 23:00")) and not quiet.is_due(at("2026-12-07 03:00"))


@pytest.mark.parametrize(
    "build",
    [
        pytest.param(lambda e: e.cron("61 * * * *"), id="minute out of range"),
        pytest.param(lambda e: e.cron("* * *"), id="three fields"),
        pytest.param(lambda e: e.daily_at("25:00"), id="hour out of range"),
        pytest.param(lambda e: e.daily_at("noon"), id="not a time"),
        pytest.param(lambda e: e.timezone("Mars/Olympus"), id="unknown timezone"),
    ],
)
def test_a_bad_frequency_is_refused_when_declared(build: Callable[[Event], Event]) -> None:
    with pytest.raises((CronExpressionError, ValueError)):
        event(build)
