"""The validator: runs a field -> rules mapping over input and collects Laravel-style errors.

    errors = await Validator(data, {"email": [email(), unique("users")]}).errors(session)
    errors = await Validator(data, {"items.*.sku": [regex(r"^[A-Z]+$")]}).errors()
    await Validator(data, rules, Messages(custom, attributes)).validate(session)  # raises 422

Rules run in the order given. Database rules are gathered and answered by one ``SELECT`` holding
one ``EXISTS`` per rule, so ten ``unique``/``exists`` checks cost one round trip, not ten. A field
that already failed an input rule is not sent to the database: "must be a valid email address"
is the useful message, "has already been taken" would be noise (and a wasted query).
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass

from sqlalchemy import ColumnElement, select
from sqlalchemy.ext.asyncio import AsyncSession

from foundry.kernel.errors import ValidationError
from foundry.validation.messages import Messages
from foundry.validation.presence import SometimesRule
from foundry.validation.rule import MISSING, BaseRule, DatabaseRule, Rule, expand, lookup

__all__ = ["RuleSet", "Validator"]

RuleSet = Mapping[str, Sequence[BaseRule]]


@dataclass(frozen=True)
class _Failure:
    # (pattern index, path index, rule index): keeps messages in the declared order.
    position: tuple[int, int, int]
    field: str
    pattern: str
    rule: BaseRule
    value: object


@dataclass(frozen=True)
class _Pending:
    failure: _Failure
    condition: ColumnElement[bool]


class Validator:
    """Validates ``data`` against ``rules``.

    Args:
        data: the input, a mapping (nested mappings and lists are reached by dotted paths).
        rules: field path -> rules, e.g. ``{"email": [email(), unique("users")]}``.
        messages: custom messages and attribute names.
        skip: fields not to check (the form request passes those pydantic already rejected).
    """

    def __init__(
        self,
        data: Mapping[str, object],
        rules: RuleSet,
        messages: Messages | None = None,
        *,
        skip: Collection[str] = (),
    ) -> None:
        self.data = data
        self.rules = rules
        self.messages = messages or Messages()
        self.skip = frozenset(skip)

    @property
    def needs_database(self) -> bool:
        """Whether any rule asks the database (so a session must be given)."""
        return any(
            isinstance(rule, DatabaseRule)
            for field, rules in self.rules.items()
            if field not in self.skip
            for rule in rules
        )

    async def errors(self, session: AsyncSession | None = None) -> dict[str, list[str]]:
        """Every failed rule's message, by field, in the order the rules were declared."""
        failures: list[_Failure] = []
        pending: list[_Pending] = []
        for pattern_index, (pattern, rules) in enumerate(self.rules.items()):
            if pattern in self.skip:
                continue
            for path_index, field in enumerate(expand(self.data, pattern)):
                found, waiting = self._check(field, pattern, rules, (pattern_index, path_index))
                failures += found
                pending += waiting
        failures += await self._ask_database(pending, session)
        failures.sort(key=lambda failure: failure.position)
        bag: dict[str, list[str]] = {}
        for failure in failures:
            message = self.message(failure.field, failure.rule, failure.value, failure.pattern)
            messages = bag.setdefault(failure.field, [])
            if message not in messages:
                messages.append(message)
        return bag

    def _check(
        self, field: str, pattern: str, rules: Sequence[BaseRule], where: tuple[int, int]
    ) -> tuple[list[_Failure], list[_Pending]]:
        """Run the input rules on one field; collect its database rules for the batch."""
        failures: list[_Failure] = []
        pending: list[_Pending] = []
        value = lookup(self.data, field)
        if value is MISSING and any(isinstance(rule, SometimesRule) for rule in rules):
            return failures, pending
        for rule_index, rule in enumerate(rules):
            if not rule.implicit and (value is MISSING or value is None):
                continue
            failure = _Failure((*where, rule_index), field, pattern, rule, value)
            if isinstance(rule, Rule):
                if not rule.passes(field, value, self.data):
                    failures.append(failure)
            elif isinstance(rule, DatabaseRule) and not failures:
                condition = rule.condition(field, value)
                if isinstance(condition, bool):
                    if not condition:
                        failures.append(failure)
                else:
                    pending.append(_Pending(failure, condition))
        return failures, pending

    async def _ask_database(
        self, pending: Sequence[_Pending], session: AsyncSession | None
    ) -> list[_Failure]:
        if not pending:
            return []
        if session is None:
            first = pending[0].failure
            raise RuntimeError(
                f"The {first.rule.key} rule on {first.field!r} needs a database "
                "session: pass one to Validator.errors()/validate()."
            )
        query = select(*(item.condition.label(f"rule_{i}") for i, item in enumerate(pending)))
        row = (await session.execute(query)).one()
        # SQLite answers 0/1, PostgreSQL true/false: both are truthy the same way.
        return [item.failure for item, passed in zip(pending, row, strict=True) if not passed]

    def message(self, field: str, rule: BaseRule, value: object, pattern: str | None = None) -> str:
        """The message for ``field`` failing ``rule``.

        Precedence: the rule's own ``with_message()``, then the custom ``"field.rule"`` message,
        then the custom ``"rule"`` message, then the rule's default.
        """
        template = rule.message_for(value) if rule.has_custom_message else None
        if template is None:
            custom = self.messages.custom(field, rule.key, pattern=pattern)
            template = custom or rule.message_for(value)
        return self.messages.render(template, field, rule.replacements(self.data), pattern)

    async def validate(self, session: AsyncSession | None = None) -> None:
        """Raise :class:`foundry.kernel.errors.ValidationError` (422) if any rule fails."""
        errors = await self.errors(session)
        if errors:
            raise ValidationError(errors)
