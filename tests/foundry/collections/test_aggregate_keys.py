"""Aggregates take a key (a dotted key or attribute name) as well as a callable."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any, assert_type

from foundry.collections import Collection, collect


@dataclass
class Order:
    total: int
    status: str
    customer: dict[str, Any]


ORDERS = collect(
    [
        Order(10, "paid", {"country": "FR"}),
        Order(30, "open", {"country": "DE"}),
        Order(20, "paid", {"country": "FR"}),
    ]
)
ROWS = collect([{"total": 10, "tags": {"n": 1}}, {"total": 30, "tags": {"n": 3}}, {"total": 20}])
EMPTY: Collection[Order] = collect([])


def test_sum_by_key_attribute_and_dotted_key() -> None:
    assert ORDERS.sum("total") == 60
    assert ROWS.sum("total") == 60
    assert collect([{"price": Decimal("0.10")}, {"price": Decimal("0.20")}]).sum("price") == (
        Decimal("0.30")
    )
    assert ORDERS.sum("total") == ORDERS.sum(lambda o: o.total)
    assert EMPTY.sum("total") == 0
    assert_type(ORDERS.sum("total"), Any)
    assert_type(ORDERS.sum(lambda o: o.total), int)


def test_avg_and_average_by_key() -> None:
    assert ORDERS.avg("total") == 20.0
    assert ORDERS.average("total") == 20.0
    assert collect([1, 2, 3, 4]).average() == 2.5
    assert ORDERS.average(lambda o: o.total) == 20.0
    assert EMPTY.avg("total") is None and EMPTY.average("total") is None
    assert_type(ORDERS.avg("total"), float | None)


def test_median_by_key() -> None:
    assert ORDERS.median("total") == 20.0
    assert ROWS.take(2).median("total") == 20.0
    assert EMPTY.median("total") is None


def test_min_and_max_by_key_skip_missing_values() -> None:
    assert ORDERS.min("total") == 10 and ORDERS.max("total") == 30
    assert ORDERS.min("customer.country") == "DE"
    assert ROWS.max("tags.n") == 3  # the row without tags is None, and skipped
    assert ROWS.min("tags.n") == 1
    assert EMPTY.min("total") is None and EMPTY.max("total") is None
    assert_type(ORDERS.max(lambda o: o.total), int | None)


def test_count_by_key() -> None:
    assert ORDERS.count_by("status") == {"paid": 2, "open": 1}
    assert ORDERS.count_by("customer.country") == {"FR": 2, "DE": 1}
    assert ORDERS.count_by(lambda o: o.total > 15) == {False: 1, True: 2}
    assert collect(["a", "b", "a"]).count_by() == {"a": 2, "b": 1}
    assert EMPTY.count_by("status") == {}
    assert_type(ORDERS.count_by(lambda o: o.status), dict[str, int])


def test_mode_by_key() -> None:
    assert ORDERS.mode("status") == ["paid"]
    assert ORDERS.mode(lambda o: o.customer["country"]) == ["FR"]
    assert collect([1, 2, 2, 1]).mode() == [1, 2]
    assert EMPTY.mode("status") == []
    assert_type(ORDERS.mode(lambda o: o.status), list[str])


def test_missing_values_are_left_out_as_laravel_leaves_out_nulls() -> None:
    rows = collect([{"score": 4}, {"score": None}, {}, {"score": 8}])
    assert rows.sum("score") == 12
    assert rows.avg("score") == 6.0  # (4 + 8) / 2, not / 4
    assert rows.median("score") == 6.0
    assert rows.min("score") == 4 and rows.max("score") == 8
    nothing = collect([{"score": None}])
    assert nothing.sum("score") == 0
    assert nothing.avg("score") is None and nothing.median("score") is None
