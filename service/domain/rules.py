"""What guards, conditions and effects receive, and the registry that names them."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from service.domain.model import Engagement


@dataclass(slots=True)
class TransitionContext:
    """Everything a rule may look at. ``data`` is None when only asking "could this fire?"."""

    engagement: Engagement
    now: datetime
    data: dict[str, Any] | None = None
    source: str = ""
    blocked_by: list[str] = field(default_factory=list)
    payload: dict[str, Any] = field(default_factory=dict)
    _today: date | None = field(default=None, init=False, repr=False)

    @property
    def today(self) -> date:
        """The tenant's day at ``now``, in its time zone: what every "day" rule compares.
        Worked out once per context: a fire's guards and effects all ask for it."""
        if self._today is None:
            self._today = self.engagement.day_of(self.now)
        return self._today


Guard = Callable[[TransitionContext], list[str]]  # reasons it does not hold; empty when it does
Condition = Callable[[TransitionContext], bool]  # silent routing: picks an entry or a document
Effect = Callable[[TransitionContext], None]  # changes the aggregate; may add to ctx.payload
# The first day a clock trigger's guards can hold if nothing else changes; None: not foreseeable.
DueRule = Callable[[Engagement], date | None]


class RuleRegistry:
    """Names used in the workflow file, bound to code."""

    def __init__(self) -> None:
        self.guards: dict[str, Guard] = {}
        self.conditions: dict[str, Condition] = {}
        self.effects: dict[str, Effect] = {}
        self.due_rules: dict[str, DueRule] = {}

    def guard(self, fn: Guard) -> Guard:
        self.guards[fn.__name__] = fn
        return fn

    def condition(self, fn: Condition) -> Condition:
        self.conditions[fn.__name__] = fn
        return fn

    def effect(self, fn: Effect) -> Effect:
        self.effects[fn.__name__] = fn
        return fn

    def due_rule(self, fn: DueRule) -> DueRule:
        self.due_rules[fn.__name__] = fn
        return fn


RULES = RuleRegistry()
