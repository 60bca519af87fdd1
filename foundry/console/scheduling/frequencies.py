"""Laravel's frequency builders: each sets fields of the event's cron expression.

The expression starts as ``* * * * *`` and every method replaces some of its five fields
(minute, hour, day of month, month, day of week), so methods combine as in Laravel:
``.weekdays().daily_at("08:30")`` is ``30 8 * * 1-5``.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Self

from foundry.console.scheduling.cron import validate

__all__ = ["Frequencies", "parse_time"]

SUNDAY, MONDAY, TUESDAY, WEDNESDAY, THURSDAY, FRIDAY, SATURDAY = range(7)


def parse_time(time: str) -> tuple[int, int]:
    """``(hour, minute)`` of ``"HH:MM"`` (``"3:05"`` too).

    Raises:
        ValueError: not a time of day.
    """
    hour_text, colon, minute_text = time.strip().partition(":")
    try:
        hour, minute = int(hour_text), int(minute_text) if colon else 0
    except ValueError:
        raise ValueError(f"invalid time {time!r}: expected 'HH:MM'") from None
    if not (0 <= hour <= 23 and 0 <= minute <= 59):
        raise ValueError(f"invalid time {time!r}: expected 'HH:MM' between 00:00 and 23:59")
    return hour, minute


def _list(values: int | Iterable[int]) -> str:
    return str(values) if isinstance(values, int) else ",".join(str(v) for v in values)


class Frequencies:
    """The builder methods; the event using it holds the expression in ``expression``."""

    expression: str = "* * * * *"

    def cron(self, expression: str) -> Self:
        """Run on a raw cron expression (five fields: ``"*/10 9-17 * * 1-5"``)."""
        self.expression = validate(" ".join(expression.split()))
        return self

    def _splice(self, **fields: int | str) -> Self:
        parts = self.expression.split()
        for name, value in fields.items():
            parts[("minute", "hour", "day", "month", "weekday").index(name)] = str(value)
        return self.cron(" ".join(parts))

    # -- minutes ---------------------------------------------------------------------------------

    def every_minute(self) -> Self:
        """Every minute."""
        return self._splice(minute="*")

    def _every_minutes(self, step: int) -> Self:
        return self._splice(minute=f"*/{step}")

    def every_two_minutes(self) -> Self:
        """Every two minutes."""
        return self._every_minutes(2)

    def every_three_minutes(self) -> Self:
        """Every three minutes."""
        return self._every_minutes(3)

    def every_four_minutes(self) -> Self:
        """Every four minutes."""
        return self._every_minutes(4)

    def every_five_minutes(self) -> Self:
        """Every five minutes."""
        return self._every_minutes(5)

    def every_ten_minutes(self) -> Self:
        """Every ten minutes."""
        return self._every_minutes(10)

    def every_fifteen_minutes(self) -> Self:
        """Every fifteen minutes."""
        return self._every_minutes(15)

    def every_thirty_minutes(self) -> Self:
        """At minutes 0 and 30."""
        return self._splice(minute="0,30")

    # -- hours -----------------------------------------------------------------------------------

    def hourly(self) -> Self:
        """At the start of every hour."""
        return self._splice(minute=0)

    def hourly_at(self, minutes: int | Iterable[int]) -> Self:
        """Every hour at ``minutes`` past (one minute, or several: ``[15, 45]``)."""
        return self._splice(minute=_list(minutes))

    def _every_hours(self, hours: str, minutes: int | Iterable[int]) -> Self:
        return self._splice(minute=_list(minutes), hour=hours)

    def every_odd_hour(self, minutes: int | Iterable[int] = 0) -> Self:
        """At 1:00, 3:00, ... 23:00 (``minutes`` past)."""
        return self._every_hours("1-23/2", minutes)

    def every_two_hours(self, minutes: int | Iterable[int] = 0) -> Self:
        """Every two hours from midnight."""
        return self._every_hours("*/2", minutes)

    def every_three_hours(self, minutes: int | Iterable[int] = 0) -> Self:
        """Every three hours from midnight."""
        return self._every_hours("*/3", minutes)

    def every_four_hours(self, minutes: int | Iterable[int] = 0) -> Self:
        """Every four hours from midnight."""
        return self._every_hours("*/4", minutes)

    def every_six_hours(self, minutes: int | Iterable[int] = 0) -> Self:
        """Every six hours from midnight."""
        return self._every_hours("*/6", minutes)

    # -- days ------------------------------------------------------------------------------------

    def daily(self) -> Self:
        """At midnight."""
        return self._splice(minute=0, hour=0)

    def daily_at(self, time: str) -> Self:
        """Every day at ``time`` (``"13:00"``)."""
        hour, minute = parse_time(time)
        return self._splice(minute=minute, hour=hour)

    def at(self, time: str) -> Self:
        """Alias of :meth:`daily_at`."""
        return self.daily_at(time)

    def twice_daily(self, first: int = 1, second: int = 13) -> Self:
        """At ``first`` and ``second`` o'clock."""
        return self.twice_daily_at(first, second, 0)

    def twice_daily_at(self, first: int = 1, second: int = 13, minute: int = 0) -> Self:
        """At ``first`` and ``second`` o'clock, ``minute`` past."""
        return self._splice(minute=minute, hour=f"{first},{second}")

    def days(self, days: int | Iterable[int]) -> Self:
        """On these days of the week (0 Sunday to 6 Saturday)."""
        return self._splice(weekday=_list(days))

    def weekdays(self) -> Self:
        """Monday to Friday."""
        return self._splice(weekday=f"{MONDAY}-{FRIDAY}")

    def weekends(self) -> Self:
        """Saturday and Sunday."""
        return self._splice(weekday=f"{SATURDAY},{SUNDAY}")

    def mondays(self) -> Self:
        """On Mondays."""
        return self.days(MONDAY)

    def tuesdays(self) -> Self:
        """On Tuesdays."""
        return self.days(TUESDAY)

    def wednesdays(self) -> Self:
        """On Wednesdays."""
        return self.days(WEDNESDAY)

    def thursdays(self) -> Self:
        """On Thursdays."""
        return self.days(THURSDAY)

    def fridays(self) -> Self:
        """On Fridays."""
        return self.days(FRIDAY)

    def saturdays(self) -> Self:
        """On Saturdays."""
        return self.days(SATURDAY)

    def sundays(self) -> Self:
        """On Sundays."""
        return self.days(SUNDAY)

    # -- weeks, months, years --------------------------------------------------------------------

    def weekly(self) -> Self:
        """Sundays at midnight."""
        return self._splice(minute=0, hour=0, weekday=SUNDAY)

    def weekly_on(self, day: int | Iterable[int], time: str = "0:00") -> Self:
        """On ``day`` of the week (0 Sunday to 6 Saturday) at ``time``."""
        return self.days(day).daily_at(time)

    def monthly(self) -> Self:
        """On the first of the month at midnight."""
        return self._splice(minute=0, hour=0, day=1)

    def monthly_on(self, day: int = 1, time: str = "0:00") -> Self:
        """On ``day`` of the month at ``time``."""
        return self.daily_at(time)._splice(day=day)

    def twice_monthly(self, first: int = 1, second: int = 16, time: str = "0:00") -> Self:
        """On days ``first`` and ``second`` of the month at ``time``."""
        return self.daily_at(time)._splice(day=f"{first},{second}")

    def last_day_of_month(self, time: str = "0:00") -> Self:
        """On the last day of each month at ``time``."""
        return self.daily_at(time)._splice(day="L")

    def quarterly(self) -> Self:
        """On the first day of January, April, July and October at midnight."""
        return self._splice(minute=0, hour=0, day=1, month="1-12/3")

    def quarterly_on(self, day: int = 1, time: str = "0:00") -> Self:
        """On ``day`` of each quarter's first month at ``time``."""
        return self.daily_at(time)._splice(day=day, month="1-12/3")

    def yearly(self) -> Self:
        """On the first of January at midnight."""
        return self._splice(minute=0, hour=0, day=1, month=1)

    def yearly_on(self, month: int = 1, day: int | str = 1, time: str = "0:00") -> Self:
        """On ``day`` of ``month`` at ``time``."""
        return self.daily_at(time)._splice(day=day, month=month)
