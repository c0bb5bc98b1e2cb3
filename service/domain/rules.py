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


@dataclass(frozen=True, slots=True)
class Due:
    """A clock step's one rule, answered for an engagement: the first day the step may happen if
    nothing else changes (None: no day is foreseeable), and what to say against it before then.
    Its date (the schedule) and its guard (``reasons_on``) both come from here, so they cannot
    disagree."""

    day: date | None
    why_not: tuple[str, ...]  # said on any day before ``day``; every day when it is None

    def __post_init__(self) -> None:
        if not self.why_not:
            raise ValueError("A due rule must say why its step may not happen before its day.")

    @classmethod
    def never(cls, *why_not: str) -> Due:
        return cls(None, why_not)

    def reasons_on(self, today: date) -> list[str]:
        """The derived guard: nothing against the step from its day on, the reasons before."""
        if self.day is not None and today >= self.day:
            return []
        return list(self.why_not)


DueRule = Callable[[Engagement], Due]


class RuleRegistry:
    """Names used in the workflow file, bound to code."""

    def __init__(self) -> None:
        self.guards: dict[str, Guard] = {}
        self.conditions: dict[str, Condition] = {}
        self.effects: dict[str, Effect] = {}
        self.due_rules: dict[str, DueRule] = {}

    def guard(self, fn: Guard) -> Guard:
        self._add_guard(fn.__name__, fn)
        return fn

    def _add_guard(self, name: str, fn: Guard) -> None:
        """One name, one rule: a second definition under a taken name (a hand-written guard
        beside a due rule's, say) stops start-up instead of silently replacing the first."""
        if name in self.guards:
            raise ValueError(f"The guard '{name}' is defined twice.")
        self.guards[name] = fn

    def condition(self, fn: Condition) -> Condition:
        self.conditions[fn.__name__] = fn
        return fn

    def effect(self, fn: Effect) -> Effect:
        self.effects[fn.__name__] = fn
        return fn

    def due_rule(self, fn: DueRule) -> DueRule:
        """A clock step's rule; its guard, under the same name, is derived from it: the step may
        happen from the rule's day on, in the engagement's zone. Manual triggers name it too
        (``send_formal_demand`` guards on ``invoice_past_due``)."""

        def guard(ctx: TransitionContext) -> list[str]:
            return fn(ctx.engagement).reasons_on(ctx.today)

        self._add_guard(fn.__name__, guard)
        self.due_rules[fn.__name__] = fn
        return fn


RULES = RuleRegistry()
