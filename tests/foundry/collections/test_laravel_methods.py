"""Laravel's collection methods that were missing: each with its edge cases (empty first)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, assert_type

import pytest

from foundry.collections import Collection, collect

EMPTY: Collection[int] = collect([])


@dataclass(frozen=True)
class Money:
    cents: int


def test_after_and_before() -> None:
    numbers = collect([1, 2, 3, 4, 5])
    assert numbers.after(3) == 4 and numbers.before(3) == 2
    assert numbers.after(lambda n: n > 2) == 4
    assert numbers.before(lambda n: n > 2) == 2
    assert numbers.after(5) is None and numbers.before(1) is None  # no neighbour
    assert numbers.after(9) is None and numbers.before(9) is None  # not there
    assert numbers.after(5, 0) == 0 and numbers.before(1, "none") == "none"
    assert collect([1, 2, 1, 3]).after(1) == 2  # the first match
    assert EMPTY.after(1) is None and EMPTY.before(1) is None
    assert_type(numbers.after(3), int | None)
    assert_type(numbers.before(3, "x"), int | str)


def test_concat() -> None:
    assert collect([1, 2]).concat(["a", 2]).all() == [1, 2, "a", 2]
    assert collect([1]).concat(collect([2])).all() == [1, 2]
    assert EMPTY.concat([]).all() == [] and EMPTY.concat([1]).all() == [1]
    assert_type(collect([1]).concat(["a"]), Collection[int | str])


def test_union_adds_only_items_not_present() -> None:
    assert collect([1, 2, 2]).union([2, 3, 3, 4]).all() == [1, 2, 2, 3, 4]
    rows = collect([{"id": 1}])
    assert rows.union([{"id": 1}, {"id": 2}]).all() == [{"id": 1}, {"id": 2}]  # unhashable
    assert EMPTY.union([1, 1]).all() == [1]
    assert collect([1]).union([]).all() == [1]


def test_duplicates() -> None:
    assert collect(["a", "b", "a", "c", "b", "a"]).duplicates().all() == ["a", "b", "a"]
    people = collect([{"email": "a@x"}, {"email": "b@x"}, {"email": "a@x"}])
    assert people.duplicates("email").all() == [{"email": "a@x"}]
    assert people.duplicates(lambda p: p["email"][0]).all() == [{"email": "a@x"}]
    assert collect([[1], [2], [1]]).duplicates().all() == [[1]]  # unhashable items
    assert collect([1, 2, 3]).duplicates().all() == []
    assert EMPTY.duplicates().all() == []


def test_flip() -> None:
    assert collect(["a", "b"]).flip() == {"a": 0, "b": 1}
    assert collect(["a", "b", "a"]).flip() == {"a": 2, "b": 1}  # the last position
    assert EMPTY.flip() == {}
    assert_type(collect(["a"]).flip(), dict[str, int])


def test_join() -> None:
    letters = collect(["a", "b", "c"])
    assert letters.join(", ") == "a, b, c"
    assert letters.join(", ", " and ") == "a, b and c"
    assert collect(["a", "b"]).join(", ", " and ") == "a and b"
    assert collect(["a"]).join(", ", " and ") == "a"
    assert collect([1, 2]).join("-") == "1-2"
    assert EMPTY.join(", ", " and ") == ""


def test_map_into() -> None:
    prices = collect([100, 250]).map_into(Money)
    assert prices.all() == [Money(100), Money(250)]
    assert_type(prices, Collection[Money])
    assert EMPTY.map_into(Money).all() == []


def test_map_spread_and_each_spread() -> None:
    pairs = collect([(1, 2), (3, 4)])
    assert pairs.map_spread(lambda a, b: a + b).all() == [3, 7]
    assert collect(range(6)).chunk(2).map_spread(lambda a, b: a * b).all() == [0, 6, 20]
    seen: list[int] = []
    assert pairs.each_spread(lambda a, b: seen.append(a * b)) is pairs
    assert seen == [2, 12]
    stopped: list[int] = []

    def record(a: int, b: int) -> bool:
        stopped.append(a)
        return False

    pairs.each_spread(record)
    assert stopped == [1]
    assert collect([]).map_spread(lambda *args: args).all() == []


def test_map_to_groups() -> None:
    people = collect([("sales", "ann"), ("dev", "bob"), ("sales", "cy")])
    groups = people.map_to_groups(lambda p: (p[0], p[1].upper()))
    assert {team: names.all() for team, names in groups.items()} == {
        "sales": ["ANN", "CY"],
        "dev": ["BOB"],
    }
    assert_type(groups, dict[str, Collection[str]])
    assert EMPTY.map_to_groups(lambda n: (n, n)) == {}


def test_percentage() -> None:
    numbers = collect([1, 1, 2, 2, 2, 3])
    assert numbers.percentage(lambda n: n == 1) == 33.33
    assert numbers.percentage(lambda n: n == 1, precision=0) == 33
    assert numbers.percentage(lambda n: n > 0) == 100.0
    assert numbers.percentage(lambda n: n > 5) == 0.0
    assert EMPTY.percentage(lambda n: True) is None


def test_range() -> None:
    assert Collection.range(3, 6).all() == [3, 4, 5, 6]
    assert Collection.range(1, 10, 3).all() == [1, 4, 7, 10]
    assert Collection.range(3, 1).all() == [3, 2, 1]
    assert Collection.range(5, 5).all() == [5]
    assert_type(Collection.range(1, 2), Collection[int])
    with pytest.raises(ValueError, match="step of at least 1"):
        Collection.range(1, 5, 0)


def test_sort_keys() -> None:
    pairs = collect({"b": 2, "c": 3, "a": 1}.items())
    assert pairs.sort_keys().to_dict() == {"a": 1, "b": 2, "c": 3}
    assert list(pairs.sort_keys().to_dict()) == ["a", "b", "c"]
    assert pairs.sort_keys_desc().all() == [("c", 3), ("b", 2), ("a", 1)]
    assert pairs.sort_keys(descending=True) == pairs.sort_keys_desc()
    assert collect([(2, "x"), (1, "y"), (2, "w")]).sort_keys().all() == [
        (1, "y"),
        (2, "x"),
        (2, "w"),
    ]  # stable
    assert collect(list[tuple[str, int]]()).sort_keys().all() == []
    assert_type(pairs.sort_keys(), Collection[tuple[str, int]])


def test_value() -> None:
    users = collect([{"name": "ann"}, {"name": "bob", "email": "b@x"}, {"email": "c@x"}])
    assert users.value("email") == "b@x"  # the first item that has it
    assert users.value("name") == "ann"
    assert users.value("phone") is None and users.value("phone", "-") == "-"
    assert collect([{"a": {"b": None}}]).value("a.b", "x") is None  # present, even if None
    assert collect([Money(5)]).value("cents") == 5
    assert EMPTY.value("anything", 0) == 0


def test_cross_join_and_multiply() -> None:
    assert collect([1, 2]).cross_join(["a", "b"]).all() == [
        (1, "a"),
        (1, "b"),
        (2, "a"),
        (2, "b"),
    ]
    assert collect([1]).cross_join(["a"], [True]).all() == [(1, "a", True)]
    assert collect([1, 2]).cross_join([]).all() == []
    assert_type(collect([1]).cross_join(["a"]), Collection[tuple[int, str]])
    assert collect([1, 2]).multiply(3).all() == [1, 2, 1, 2, 1, 2]
    assert collect([1]).multiply(0).all() == [] and collect([1]).multiply(-1).all() == []
    assert EMPTY.multiply(3).all() == []


def test_some_contains_one_item_and_has_any() -> None:
    numbers = collect([1, 2, 3])
    assert numbers.some(2) and not numbers.some(9) and numbers.some(lambda n: n > 2)
    assert collect([{"role": "admin"}]).some("role", "admin")
    assert collect([1]).contains_one_item() and not numbers.contains_one_item()
    assert numbers.contains_one_item(lambda n: n > 2)
    assert not EMPTY.contains_one_item() and not EMPTY.some(1)
    assert numbers.has_any(7, 2) and not numbers.has_any(7, 8)
    assert not EMPTY.has_any(0) and not numbers.has_any()


def test_ensure() -> None:
    mixed: Collection[object] = collect([1, "a"])
    numbers = Collection[object]([1, 2]).ensure(int)
    assert numbers.all() == [1, 2]
    assert_type(numbers, Collection[int])
    assert mixed.ensure(int, str).all() == [1, "a"]
    with pytest.raises(TypeError, match="collection item 1 is a str, not int"):
        mixed.ensure(int)
    assert EMPTY.ensure(str).all() == []


def test_pipe_through_and_unless_empty() -> None:
    numbers = collect([1, 2, 3])
    result: Any = numbers.pipe_through([lambda c: c.map(lambda n: n * 2), lambda c: c.sum()])
    assert result == 12
    assert numbers.pipe_through([]) is numbers
    assert numbers.unless_empty(lambda c: c.take(1)).all() == [1]
    assert EMPTY.unless_empty(lambda c: c.push(9)).all() == []
    assert EMPTY.unless_not_empty(lambda c: c.push(9)).all() == [9]
    assert numbers.unless_not_empty(lambda c: c.take(0)).all() == [1, 2, 3]
