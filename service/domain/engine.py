"""The workflow engine: one ``transitions`` Machine per process, fired on loaded engagements."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime
from typing import Any, NamedTuple

from transitions import Machine
from transitions.core import EventData

# Imported for their side effect: they register the rules the workflow file names.
from service.domain import effects as _effects  # noqa: F401
from service.domain import guards as _guards  # noqa: F401
from service.domain.errors import GuardBlocked, InvalidInput, InvalidTrigger
from service.domain.model import Engagement
from service.domain.rules import RULES, DueRule, RuleRegistry, TransitionContext
from service.domain.said_keys import require_worded
from service.domain.sayings import Said
from service.domain.trigger_input import input_errors, missing_input
from service.domain.workflow import (
    SAME_STATE,
    InputField,
    TransitionSpec,
    TriggerSpec,
    WorkflowDefinition,
    WorkflowError,
)


class Outcome(NamedTuple):
    """What a fire did (a NamedTuple: immutable, and half the cost of a frozen dataclass)."""

    trigger: str
    source: str
    dest: str
    documents: tuple[str, ...]
    payload: dict[str, Any]


@dataclass(frozen=True)
class TriggerStatus:
    trigger: str
    dest: str
    allowed: bool
    blocked_by: tuple[str, ...]
    automatic: bool
    by: tuple[str, ...]
    needs: tuple[InputField, ...]  # required input the caller has to give


class WorkflowEngine:
    """Checks and fires triggers. Built once at start-up; holds no per-request state."""

    def __init__(
        self,
        workflow: WorkflowDefinition,
        document_kinds: Collection[str],
        rules: RuleRegistry = RULES,
    ) -> None:
        _check_names(workflow, rules, document_kinds)
        require_worded()
        self.definition = workflow
        self._rules = rules
        # The entries a trigger may take from each state, in the file's order.
        self._entries: dict[tuple[str, str], tuple[TransitionSpec, ...]] = {}
        for spec in workflow.transitions:
            for source in spec.source:
                key = (spec.trigger, source)
                self._entries[key] = (*self._entries.get(key, ()), spec)
        self._machine = Machine(
            model=None,
            states=[s.name for s in workflow.states],
            initial=workflow.initial,
            transitions=[
                self._machine_transition(spec, source)
                for spec in workflow.transitions
                for source in spec.source
            ],
            auto_transitions=False,
            send_event=True,
        )

    def _machine_transition(self, spec: TransitionSpec, source: str) -> dict[str, Any]:
        """fire() chooses the entry (routing, then guards, which say why not) before the Machine
        moves; the Machine only needs telling which entry where a state has several for one
        trigger. Conditions and callbacks left out spare transitions their resolution per fire:
        fire() applies the chosen entry's effects once the Machine has moved."""

        def is_chosen(event: EventData) -> bool:
            return event.kwargs["entry"] is spec

        several = len(self._entries[(spec.trigger, source)]) > 1
        return {
            "trigger": spec.trigger,
            "source": source,
            "dest": "=" if spec.dest == SAME_STATE else spec.dest,
            "conditions": [is_chosen] if several else [],
        }

    def fire(
        self,
        engagement: Engagement,
        trigger: str,
        now: datetime,
        data: dict[str, Any] | None = None,
        *,
        firer: str = "user",
    ) -> Outcome:
        """Fire ``trigger`` on ``engagement`` in place, or raise why it cannot fire."""
        spec = self.trigger(trigger)
        if firer not in spec.by:
            raise InvalidTrigger(
                f"'{trigger}' is fired by the {' or the '.join(spec.by)}, not by the {firer}."
            )
        entries = self._entries.get((trigger, engagement.state))
        if not entries:
            raise InvalidTrigger(
                Said("conflicts.wrong_state", trigger=trigger, state=engagement.state),
                language=engagement.language,
            )
        self._check_input(spec, data)
        ctx = TransitionContext(engagement, now, data or {}, source=engagement.state)
        entry = self._choose(entries, ctx)
        if entry is None:
            raise GuardBlocked(trigger, list(dict.fromkeys(ctx.blocked_by)), engagement.language)
        moved = self._machine.events[trigger].trigger(engagement, entry=entry)
        assert moved, "the Machine takes the entry fire() chose"
        for name in entry.effects:
            self._rules.effects[name](ctx)
        documents = (
            tuple(
                d.kind
                for d in entry.documents
                if (d.when is None or self._rules.conditions[d.when](ctx))
                and (not d.leaving or ctx.source in d.leaving)
            )
            if entry.documents
            else ()
        )
        return Outcome(trigger, ctx.source, engagement.state, documents, ctx.payload)

    def _choose(self, entries: tuple[TransitionSpec, ...], ctx: TransitionContext) -> TransitionSpec | None:
        """The first entry routed here whose guards hold; the reasons against the others go
        to ``ctx.blocked_by``."""
        for spec in entries:
            if not self._routed(spec, ctx):
                continue
            if not spec.guards:
                return spec
            reasons = self._reasons(spec, ctx)
            if not reasons:
                return spec
            ctx.blocked_by.extend(reasons)
        return None

    def _routed(self, spec: TransitionSpec, ctx: TransitionContext) -> bool:
        """Silent routing: the entry's ``when`` conditions hold and none of its ``unless``."""
        if not (spec.when or spec.unless):
            return True  # most entries: spares two generators on every fire
        conditions = self._rules.conditions
        return all(conditions[n](ctx) for n in spec.when) and not any(conditions[n](ctx) for n in spec.unless)

    def _reasons(self, spec: TransitionSpec, ctx: TransitionContext) -> list[str]:
        """What the entry's guards say against it; empty when they all hold."""
        return [r for name in spec.guards for r in self._rules.guards[name](ctx)]

    def can_leave(self, state: str, trigger: str) -> bool:
        """Does ``trigger`` have a transition out of ``state`` (whatever its guards say)?"""
        return (trigger, state) in self._entries

    def due_rule(self, trigger: str) -> DueRule:
        """The clock trigger's one rule: its day for the schedule; its guard is derived from it."""
        due_at = self.definition.triggers[trigger].due_at
        assert due_at is not None, "only clock triggers have a due rule (checked at start-up)"
        return self._rules.due_rules[due_at]

    def check_input(self, trigger: str, data: dict[str, Any] | None) -> None:
        """Refuse (422, naming the field) a trigger the workflow lacks or input it does not take."""
        self._check_input(self.trigger(trigger), data)

    @staticmethod
    def _check_input(spec: TriggerSpec, data: dict[str, Any] | None) -> None:
        if not data and not spec.required_input:
            return  # nothing given and nothing required: nothing to check (most fires)
        errors = input_errors(spec, data or {})
        if errors:
            raise InvalidInput(errors)

    def trigger(self, name: str) -> TriggerSpec:
        """The trigger's declaration; an unknown name is bad input (422), naming the field."""
        spec = self.definition.triggers.get(name)
        if spec is None:
            known = ", ".join(self.definition.triggers)
            raise InvalidInput({"trigger": [f"'{name}' is not a trigger of this workflow; one of {known}."]})
        return spec

    def status(self, engagement: Engagement, now: datetime) -> list[TriggerStatus]:
        """Every trigger from the current state: could it fire now, and if not, why."""
        return self._statuses(engagement, now, self.definition.transitions)

    def allows(self, engagement: Engagement, trigger: str, now: datetime) -> bool:
        """Could ``trigger`` fire at ``now``? Evaluates that trigger's guards only."""
        specs = [s for s in self.definition.transitions if s.trigger == trigger]
        return any(s.allowed for s in self._statuses(engagement, now, specs))

    def first_allowed(self, engagement: Engagement, firer: str, now: datetime) -> str | None:
        """The first trigger ``firer`` fires (in the file's order) that could fire at ``now``."""
        return next((t for t in self.definition.fired_by(firer) if self.allows(engagement, t, now)), None)

    def _statuses(
        self, engagement: Engagement, now: datetime, specs: Collection[TransitionSpec]
    ) -> list[TriggerStatus]:
        statuses: dict[str, TriggerStatus] = {}
        ctx = TransitionContext(engagement, now, None, source=engagement.state)
        for spec in specs:
            if engagement.state not in spec.source or spec.trigger in statuses:
                continue
            if not self._routed(spec, ctx):
                continue
            reasons = self._reasons(spec, ctx)
            trigger = self.definition.triggers[spec.trigger]
            needs = set(missing_input(trigger, None))
            statuses[spec.trigger] = TriggerStatus(
                spec.trigger,
                spec.dest_from(engagement.state),
                not reasons,
                tuple(reasons),
                trigger.automatic,
                trigger.by,
                tuple(f for f in trigger.input if f.name in needs),
            )
        return list(statuses.values())


def _check_names(workflow: WorkflowDefinition, rules: RuleRegistry, document_kinds: Collection[str]) -> None:
    due_rules = {t.due_at for t in workflow.triggers.values() if t.due_at}
    missing = [
        f"{label} '{name}'"
        for label, used, known in (
            ("guard", workflow.names_used("guards"), rules.guards),
            (
                "condition",
                workflow.names_used("when") | workflow.names_used("unless"),
                rules.conditions,
            ),
            ("condition", workflow.document_conditions(), rules.conditions),
            ("effect", workflow.names_used("effects"), rules.effects),
            ("due rule", due_rules, rules.due_rules),
            ("document kind", workflow.document_kinds(), document_kinds),
        )
        for name in sorted(used)
        if name not in known
    ]
    if missing:
        raise WorkflowError(
            f"Workflow '{workflow.name}' v{workflow.version} names unknown {', '.join(missing)}."
        )
