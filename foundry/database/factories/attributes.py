"""States and sequences: how a factory's attributes are overridden, in order.

A *state* is a mapping of attribute values, or a callable that receives the attributes built so
far and returns the values to change. A *sequence item* is a mapping, or a callable receiving
the instance's index within the batch; a sequence of ``n`` items gives instance ``i`` the item
``i % n``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

__all__ = [
    "Attributes",
    "FactoryError",
    "Sequence",
    "SequenceItem",
    "State",
    "apply_state",
]

#: The keyword arguments a model is built with.
Attributes = dict[str, Any]

#: Values to override, or a function of the attributes built so far returning them.
State = Mapping[str, Any] | Callable[[Attributes], Mapping[str, Any]]

#: Values for one instance of a batch, or a function of its index returning them.
SequenceItem = Mapping[str, Any] | Callable[[int], Mapping[str, Any]]


class FactoryError(Exception):
    """A factory was used in a way that cannot produce the models asked for."""


@dataclass(frozen=True, slots=True)
class Sequence:
    """States handed out in turn, one per instance, starting again after the last."""

    items: tuple[SequenceItem, ...]

    def __post_init__(self) -> None:
        if not self.items:
            raise FactoryError("a sequence needs at least one state")

    def state_for(self, index: int) -> State:
        """The state for the instance at ``index`` in its batch."""
        item = self.items[index % len(self.items)]
        if callable(item):
            return _at_index(item, index)
        return item


def _at_index(item: Callable[[int], Mapping[str, Any]], index: int) -> State:
    # Bind the index now: the state itself is applied later, to the attributes.
    return lambda _attributes: item(index)


def apply_state(attributes: Attributes, state: State) -> Attributes:
    """``attributes`` with ``state`` applied (a new dict; the input is left as it was)."""
    changes = state(dict(attributes)) if callable(state) else state
    if not isinstance(changes, Mapping):
        raise FactoryError(f"a state must give a mapping of attributes, got {changes!r}")
    return {**attributes, **changes}
