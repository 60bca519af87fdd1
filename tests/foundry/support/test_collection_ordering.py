"""sort, sort_desc, sort_by, sort_by_desc, reverse, shuffle."""

from __future__ import annotations

from typing import Any

from foundry.collections import Collection, collect

PEOPLE: Collection[dict[str, Any]] = collect(
    [
        {"name": "cy", "age": 45},
        {"name": "ann", "age": None},
        {"name": "bob", "age": 17},
        {"name": "dee", "age": 17},
    ]
)


def test_sort_and_sort_desc() -> None:
    assert collect([3, 1, 2]).sort().all() == [1, 2, 3]
    assert collect(["b", "a"]).sort().all() == ["a", "b"]
    assert collect([3, 1, 2]).sort_desc().all() == [3, 2, 1]
    assert collect([]).sort().all() == []


def test_sort_by_key_is_stable_and_puts_none_first() -> None:
    assert PEOPLE.sort_by("age").pluck("name").all() == ["ann", "bob", "dee", "cy"]
    assert PEOPLE.sort_by(lambda p: str(p["name"])).pluck("name").all() == [
        "ann",
        "bob",
        "cy",
        "dee",
    ]


def test_sort_by_desc() -> None:
    assert PEOPLE.sort_by_desc("age").pluck("name").all() == ["cy", "bob", "dee", "ann"]
    assert PEOPLE.sort_by("name", descending=True).pluck("name").first() == "dee"


def test_reverse() -> None:
    assert collect([1, 2, 3]).reverse().all() == [3, 2, 1]
    assert collect([]).reverse().all() == []


def test_shuffle_is_seedable_and_keeps_items() -> None:
    items = collect(range(30))
    shuffled = items.shuffle(seed=42)
    assert shuffled == items.shuffle(seed=42)
    assert shuffled != items
    assert shuffled.sort() == items
