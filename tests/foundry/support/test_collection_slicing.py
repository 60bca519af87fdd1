"""take, skip and their while/until forms, slice, for_page, chunk, sliding, split, pad, ..."""

from __future__ import annotations

import pytest

from foundry.collections import ItemNotFoundError, collect

NUMBERS = collect([1, 2, 3, 4, 5])


def test_take() -> None:
    assert NUMBERS.take(2).all() == [1, 2]
    assert NUMBERS.take(-2).all() == [4, 5]
    assert NUMBERS.take(10).all() == [1, 2, 3, 4, 5]
    assert collect([]).take(3).all() == []


def test_take_while_and_until() -> None:
    assert NUMBERS.take_while(lambda n: n < 3).all() == [1, 2]
    assert NUMBERS.take_until(lambda n: n == 4).all() == [1, 2, 3]
    assert NUMBERS.take_while(lambda n: n < 99).all() == [1, 2, 3, 4, 5]
    assert NUMBERS.take_until(lambda n: n == 1).all() == []


def test_skip_and_its_while_until_forms() -> None:
    assert NUMBERS.skip(3).all() == [4, 5]
    assert NUMBERS.skip(-1).all() == [1, 2, 3, 4, 5]
    assert NUMBERS.skip_while(lambda n: n < 3).all() == [3, 4, 5]
    assert NUMBERS.skip_until(lambda n: n == 4).all() == [4, 5]
    assert NUMBERS.skip_until(lambda n: n > 99).all() == []


def test_slice() -> None:
    assert NUMBERS.slice(2).all() == [3, 4, 5]
    assert NUMBERS.slice(1, 2).all() == [2, 3]
    assert NUMBERS.slice(-2).all() == [4, 5]
    assert NUMBERS.slice(-9, 1).all() == [1]


def test_for_page() -> None:
    assert NUMBERS.for_page(2, 2).all() == [3, 4]
    assert NUMBERS.for_page(3, 2).all() == [5]
    assert NUMBERS.for_page(4, 2).all() == []
    with pytest.raises(ValueError, match="page >= 1"):
        NUMBERS.for_page(0, 2)


def test_chunk() -> None:
    assert NUMBERS.chunk(2).map(lambda c: c.all()).all() == [[1, 2], [3, 4], [5]]
    assert collect([]).chunk(3).all() == []
    with pytest.raises(ValueError, match="at least 1"):
        NUMBERS.chunk(0)


def test_chunk_while() -> None:
    runs = collect("AABBCCCD").chunk_while(lambda char, chunk: char == chunk.last())
    assert runs.map(lambda c: c.implode()).all() == ["AA", "BB", "CCC", "D"]
    assert collect([]).chunk_while(lambda a, b: True).all() == []


def test_sliding() -> None:
    assert NUMBERS.sliding(3).map(lambda c: c.all()).all() == [[1, 2, 3], [2, 3, 4], [3, 4, 5]]
    assert NUMBERS.sliding(2, step=2).map(lambda c: c.all()).all() == [[1, 2], [3, 4]]
    assert collect([1]).sliding(2).all() == []
    with pytest.raises(ValueError):
        NUMBERS.sliding(0)


def test_split_spreads_evenly() -> None:
    assert NUMBERS.split(3).map(lambda c: c.all()).all() == [[1, 2], [3, 4], [5]]
    assert collect([1, 2]).split(4).map(lambda c: c.all()).all() == [[1], [2]]
    assert collect(range(10)).split_in(4).map(len).all() == [4, 3, 3]
    assert collect([]).split(2).all() == []
    with pytest.raises(ValueError, match="at least 1 group"):
        NUMBERS.split(0)


def test_pad() -> None:
    assert collect([1, 2]).pad(4, 0).all() == [1, 2, 0, 0]
    assert collect([1, 2]).pad(-4, 0).all() == [0, 0, 1, 2]
    assert collect([1, 2, 3]).pad(2, 0).all() == [1, 2, 3]


def test_push_prepend_merge() -> None:
    assert collect([1]).push(2, 3).all() == [1, 2, 3]
    assert collect([3]).prepend(1, 2).all() == [1, 2, 3]
    assert collect([1]).merge([2], (3, 4)).all() == [1, 2, 3, 4]


def test_pop_and_shift_return_item_and_rest() -> None:
    last, rest = NUMBERS.pop()
    assert last == 5 and rest.all() == [1, 2, 3, 4]
    first, tail = NUMBERS.shift()
    assert first == 1 and tail.all() == [2, 3, 4, 5]
    with pytest.raises(ItemNotFoundError, match="pop"):
        collect([]).pop()
    with pytest.raises(ItemNotFoundError, match="shift"):
        collect([]).shift()
