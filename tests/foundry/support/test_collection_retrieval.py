"""first, last, get, sole, search, contains, every, has, keys, values, nth, random, count."""

from __future__ import annotations

import pytest

from foundry.collections import ItemNotFoundError, MultipleItemsFoundError, collect

USERS = collect(
    [
        {"name": "ann", "age": 31, "role": "admin"},
        {"name": "bob", "age": 17, "role": "user"},
        {"name": "cy", "age": 45, "role": "user"},
    ]
)


def test_all_count_and_emptiness() -> None:
    assert collect([1, 2]).all() == [1, 2]
    assert collect([1, 2]).count() == 2
    assert collect([]).count() == 0
    assert collect([]).is_empty() and not collect([]).is_not_empty()
    assert collect([None]).is_not_empty()


def test_first_with_predicate_and_default() -> None:
    assert collect([1, 2, 3]).first() == 1
    assert collect([1, 2, 3]).first(lambda n: n > 1) == 2
    assert collect([1, 2, 3]).first(lambda n: n > 5) is None
    assert collect([1, 2, 3]).first(lambda n: n > 5, 0) == 0
    assert collect([]).first() is None


def test_first_or_fail() -> None:
    assert collect([1, 2]).first_or_fail(lambda n: n == 2) == 2
    with pytest.raises(ItemNotFoundError, match="empty"):
        collect([]).first_or_fail()
    with pytest.raises(ItemNotFoundError, match="no item matched"):
        collect([1]).first_or_fail(lambda n: n > 1)


def test_first_where() -> None:
    assert USERS.first_where("role", "user") == USERS[1]
    assert USERS.first_where("age", ">", 40) == USERS[2]
    assert USERS.first_where("role", "guest") is None


def test_last() -> None:
    assert collect([1, 2, 3]).last() == 3
    assert collect([1, 2, 3]).last(lambda n: n < 3) == 2
    assert collect([1]).last(lambda n: n > 1, "none") == "none"
    assert collect([]).last() is None


def test_get() -> None:
    assert collect(["a", "b"]).get(1) == "b"
    assert collect(["a", "b"]).get(-1) == "b"
    assert collect(["a"]).get(5) is None
    assert collect(["a"]).get(5, "z") == "z"


def test_sole() -> None:
    assert collect([7]).sole() == 7
    assert collect([1, 2, 3]).sole(lambda n: n == 2) == 2
    with pytest.raises(ItemNotFoundError):
        collect([]).sole()
    with pytest.raises(ItemNotFoundError):
        collect([1, 2]).sole(lambda n: n > 5)
    with pytest.raises(MultipleItemsFoundError, match="2 items") as caught:
        collect([1, 2]).sole()
    assert caught.value.count == 2


def test_search() -> None:
    assert collect(["a", "b", "b"]).search("b") == 1
    assert collect([1, 5, 9]).search(lambda n: n > 4) == 1
    assert collect([1]).search(2) is None
    assert collect([]).search(1) is None


def test_contains_value_predicate_and_key() -> None:
    assert collect([1, 2]).contains(2)
    assert not collect([1, 2]).contains(3)
    assert collect([1, 2]).contains(lambda n: n > 1)
    assert USERS.contains("role", "admin")
    assert USERS.contains("age", ">=", 45)
    assert not USERS.contains("age", ">", 45)
    assert not collect([]).contains(1)
    assert collect([1]).doesnt_contain(2) and not collect([1]).doesnt_contain(1)


def test_every() -> None:
    assert collect([2, 4]).every(lambda n: n % 2 == 0)
    assert not collect([2, 3]).every(lambda n: n % 2 == 0)
    assert collect([]).every(lambda n: False)


def test_has_keys_values() -> None:
    assert collect(["a", "b"]).has(0, 1, -2)
    assert not collect(["a", "b"]).has(0, 2)
    assert collect(["a", "b"]).keys().all() == [0, 1]
    assert collect([]).keys().all() == []
    assert collect(["a", "b"]).values().all() == ["a", "b"]


def test_nth() -> None:
    assert collect("abcdef").nth(2).all() == ["a", "c", "e"]
    assert collect("abcdef").nth(2, 1).all() == ["b", "d", "f"]
    with pytest.raises(ValueError, match="step"):
        collect([1]).nth(0)


def test_random_is_seedable_and_checks_size() -> None:
    items = collect(range(20))
    assert items.random(seed=3) == items.random(seed=3)
    assert items.random(seed=3) in items
    picked = items.random(5, seed=1)
    assert picked == items.random(5, seed=1)
    assert picked.count() == 5 and picked.unique().count() == 5
    assert all(n in items for n in picked)
    with pytest.raises(ValueError, match="asked for 1 items but the collection holds 0"):
        collect([]).random()
    with pytest.raises(ValueError):
        collect([1]).random(2)
