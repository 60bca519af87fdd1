"""map, flat_map, map_with_keys, key_by, group_by, count_by, pluck, collapse, flatten, ..."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from foundry.collections import Collection, collect


@dataclass
class User:
    id: int
    name: str
    team: str


USERS = collect([User(1, "ann", "red"), User(2, "bob", "blue"), User(3, "cy", "red")])


def test_map_and_flat_map() -> None:
    assert collect([1, 2]).map(lambda n: n * 2).all() == [2, 4]
    assert collect([]).map(str).all() == []
    assert collect(["ab", "c"]).flat_map(list).all() == ["a", "b", "c"]


def test_map_with_keys() -> None:
    assert USERS.map_with_keys(lambda u: (u.name, u.id)) == {"ann": 1, "bob": 2, "cy": 3}


def test_key_by_callable_and_attribute() -> None:
    assert USERS.key_by(lambda u: u.id)[2].name == "bob"
    keyed = USERS.key_by("team")
    assert list(keyed) == ["red", "blue"]
    assert keyed["red"].name == "cy"  # a later duplicate wins, as in Laravel
    assert collect([]).key_by("id") == {}


def test_group_by() -> None:
    groups = USERS.group_by("team")
    assert list(groups) == ["red", "blue"]
    assert groups["red"].pluck("name").all() == ["ann", "cy"]
    assert isinstance(groups["blue"], Collection)
    assert collect([1, 2, 3, 4]).group_by(lambda n: n % 2 == 0) == {
        False: collect([1, 3]),
        True: collect([2, 4]),
    }


def test_count_by() -> None:
    assert collect(["a", "b", "a"]).count_by() == {"a": 2, "b": 1}
    assert USERS.count_by(lambda u: u.team) == {"red": 2, "blue": 1}
    assert collect([]).count_by() == {}


def test_pluck() -> None:
    assert USERS.pluck("name").all() == ["ann", "bob", "cy"]
    assert USERS.pluck("name", "id") == {1: "ann", 2: "bob", 3: "cy"}
    assert USERS.pluck(lambda u: u.id * 10).all() == [10, 20, 30]
    assert collect([{"a": {"b": 1}}, {}]).pluck("a.b").all() == [1, None]


def test_collapse_and_flatten() -> None:
    assert collect([[1, 2], [3], []]).collapse().all() == [1, 2, 3]
    nested = collect([1, [2, [3, [4]]], collect(["ab"]), {"k": 5}])
    assert nested.flatten().all() == [1, 2, 3, 4, "ab", 5]
    assert nested.flatten(1).all() == [1, 2, [3, [4]], "ab", 5]


def test_combine() -> None:
    assert collect(["name", "age"]).combine(["ann", 31]) == {"name": "ann", "age": 31}
    with pytest.raises(ValueError, match="2 keys, 1 values"):
        collect(["a", "b"]).combine([1])


def test_zip() -> None:
    assert collect([1, 2, 3]).zip(["a", "b"]).all() == [(1, "a"), (2, "b")]
    assert collect([1]).zip("x", [True]).all() == [(1, "x", True)]


def test_implode() -> None:
    assert collect(["a", "b"]).implode(", ") == "a, b"
    assert USERS.implode("-", "name") == "ann-bob-cy"
    assert USERS.implode("/", lambda u: u.team) == "red/blue/red"
    assert collect([]).implode(",") == ""
