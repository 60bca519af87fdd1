"""sum, avg, median, mode, min, max, reduce."""

from __future__ import annotations

from decimal import Decimal

from foundry.collections import collect

ORDERS = collect([{"total": 10}, {"total": 30}, {"total": 20}])


def test_sum() -> None:
    assert collect([1, 2, 3]).sum() == 6
    assert collect([Decimal("0.10"), Decimal("0.20")]).sum() == Decimal("0.30")
    assert ORDERS.sum(lambda o: o["total"]) == 60
    assert collect([]).sum() == 0


def test_avg() -> None:
    assert collect([1, 2, 3, 4]).avg() == 2.5
    assert ORDERS.avg(lambda o: o["total"]) == 20.0
    assert collect([]).avg() is None


def test_median() -> None:
    assert collect([3, 1, 2]).median() == 2.0
    assert collect([4, 1, 3, 2]).median() == 2.5
    assert ORDERS.median(lambda o: o["total"]) == 20.0
    assert collect([]).median() is None


def test_mode() -> None:
    assert collect([1, 2, 2, 3]).mode() == [2]
    assert collect([3, 1, 1, 3, 2]).mode() == [3, 1]
    assert collect([{"a": 1}, {"a": 1}]).mode() == [{"a": 1}]
    assert collect([]).mode() == []


def test_min_and_max() -> None:
    assert collect([3, 1, 2]).min() == 1
    assert collect([3, 1, 2]).max() == 3
    assert collect(["b", "c", "a"]).max() == "c"
    assert ORDERS.max(lambda o: o["total"]) == 30
    assert ORDERS.min(lambda o: o["total"]) == 10
    assert collect([None, 4, None, 2]).min() == 2
    assert collect([]).min() is None and collect([]).max() is None


def test_reduce() -> None:
    assert collect([1, 2, 3]).reduce(lambda carry, n: carry + n, 10) == 16
    assert collect(["a", "b"]).reduce(lambda carry, s: s + carry, "") == "ba"
    assert collect([]).reduce(lambda carry, n: carry, "start") == "start"
