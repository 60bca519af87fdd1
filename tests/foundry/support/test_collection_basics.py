"""Collection protocols, constructors, control flow and conversion."""

from __future__ import annotations

import dataclasses
import datetime
import json
from decimal import Decimal

import pytest

from foundry.collections import Collection, collect


@dataclasses.dataclass
class Point:
    x: int
    y: int


def test_iteration_length_indexing_and_slicing() -> None:
    items = collect(["a", "b", "c"])
    assert list(items) == ["a", "b", "c"]
    assert len(items) == 3
    assert items[0] == "a" and items[-1] == "c"
    assert items[1:] == collect(["b", "c"])
    assert "b" in items and "z" not in items
    with pytest.raises(IndexError):
        items[3]


def test_equality_hash_repr_and_truthiness() -> None:
    assert collect([1, 2]) == collect([1, 2])
    assert collect([1, 2]) != collect([2, 1])
    assert collect([1, 2]) != [1, 2]
    assert hash(collect([1, 2])) == hash(collect((1, 2)))
    assert repr(collect([1, "a"])) == "Collection([1, 'a'])"
    assert not collect([]) and collect([0])


def test_methods_never_change_the_original() -> None:
    items = collect([3, 1, 2])
    items.sort()
    items.push(4)
    items.reverse()
    items.filter(lambda n: n > 1)
    assert items.all() == [3, 1, 2]


def test_plus_concatenates() -> None:
    assert (collect([1]) + [2, 3]).all() == [1, 2, 3]


def test_make_collect_and_times() -> None:
    assert Collection.make(range(3)).all() == [0, 1, 2]
    assert collect().all() == []
    assert Collection.times(3, lambda n: n * n).all() == [1, 4, 9]
    assert Collection.times(0, lambda n: n).is_empty()


def test_wrap() -> None:
    assert Collection.wrap(None).all() == []
    assert Collection.wrap([1, 2]).all() == [1, 2]
    assert Collection.wrap(collect([1])).all() == [1]
    assert Collection.wrap("abc").all() == ["abc"]
    assert Collection.wrap({"a": 1}).all() == [{"a": 1}]


def test_each_runs_in_order_and_stops_on_false() -> None:
    seen: list[int] = []
    items = collect([1, 2, 3, 4])
    assert items.each(seen.append) is items
    assert seen == [1, 2, 3, 4]
    seen.clear()
    items.each(lambda n: False if n == 2 else seen.append(n))
    assert seen == [1]


def test_tap_and_pipe() -> None:
    seen: list[int] = []
    items = collect([1, 2])
    assert items.tap(lambda c: seen.append(c.count())) is items
    assert seen == [2]
    assert items.pipe(lambda c: c.sum() * 10) == 30


def test_when_and_unless() -> None:
    items = collect([1, 2, 3])
    assert items.when(True, lambda c: c.push(4)).all() == [1, 2, 3, 4]
    assert items.when(False, lambda c: c.push(4)).all() == [1, 2, 3]
    assert items.when(0, lambda c: c.push(4), lambda c: c.take(1)).all() == [1]
    assert items.when(lambda c: c.count() > 2, lambda c: c.take(2)).all() == [1, 2]
    assert items.unless(False, lambda c: c.take(1)).all() == [1]
    assert items.unless(True, lambda c: c.take(1)).all() == [1, 2, 3]
    assert collect([]).when_empty(lambda c: c.push("none")).all() == ["none"]
    assert items.when_empty(lambda c: c.take(1)) is items
    assert items.when_not_empty(lambda c: c.take(1)).all() == [1]


def test_to_list_is_deep_and_all_is_shallow() -> None:
    nested = collect([collect([1, 2]), Point(1, 2), {"a": collect([3])}])
    assert nested.to_list() == [[1, 2], {"x": 1, "y": 2}, {"a": [3]}]
    assert isinstance(nested.all()[0], Collection)


def test_to_dict_from_pairs() -> None:
    assert collect([("a", 1), ("b", 2)]).to_dict() == {"a": 1, "b": 2}
    assert collect([]).to_dict() == {}


def test_to_json_encodes_common_types() -> None:
    payload = collect(
        [{"when": datetime.date(2024, 1, 2), "price": Decimal("9.50")}, collect([1])]
    ).to_json()
    assert json.loads(payload) == [{"when": "2024-01-02", "price": "9.50"}, [1]]
    assert collect([]).to_json() == "[]"
    with pytest.raises(TypeError, match="object is not JSON serializable"):
        collect([object()]).to_json()
