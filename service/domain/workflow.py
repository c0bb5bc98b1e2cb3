"""The workflow as data: parse and check ``workflows/*.yaml`` before anything runs.

The file is the only place state and trigger names live. Code asks for states by role
(``states_with("work_stopped")``) and for triggers by who fires them (``fired_by("clock")``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

from service.domain.yaml_files import read_yaml

SAME_STATE = "same"
FIRERS = ("user", "clock", "payment", "client")  # client: an answer in the portal
INPUT_TYPES = ("text", "choice", "integer")
# Roles a state may carry, with the value a state has when the file does not say.
STATE_ROLES = {"billable": True, "work_stopped": False, "winding_down": False, "record_complete": False}


class WorkflowError(Exception):
    """The workflow file is malformed or names something the code does not provide."""


@dataclass(frozen=True)
class InputField:
    name: str
    type: str  # one of INPUT_TYPES
    required: bool = False
    max_length: int | None = None  # text
    one_line: bool = False  # text a letter quotes or an e-mail subject carries (domain.text)
    choices: tuple[str, ...] = ()  # choice
    minimum: int | None = None  # integer
    maximum: int | None = None  # integer
    description: str = ""

    def as_dict(self) -> dict[str, Any]:
        shown = {k: v for k, v in vars(self).items() if v not in (None, ())}
        return {**shown, "choices": list(self.choices)} if self.choices else shown


@dataclass(frozen=True)
class TriggerSpec:
    name: str
    by: tuple[str, ...]
    input: tuple[InputField, ...] = ()
    # The clock's rule for the first day the trigger can fire; its transitions' guard too.
    due_at: str | None = None

    @cached_property
    def required_input(self) -> tuple[str, ...]:
        return tuple(f.name for f in self.input if f.required)

    @property
    def automatic(self) -> bool:
        return any(firer != "user" for firer in self.by)


@dataclass(frozen=True)
class DocumentSpec:
    kind: str
    when: str | None = None  # a condition's name
    leaving: tuple[str, ...] = ()  # produced only when the transition leaves one of these


@dataclass(frozen=True)
class TransitionSpec:
    trigger: str
    source: tuple[str, ...]
    dest: str  # a state name, or SAME_STATE
    guards: tuple[str, ...] = ()  # a clock trigger's: its due rule alone, set by the loader
    when: tuple[str, ...] = ()
    unless: tuple[str, ...] = ()
    effects: tuple[str, ...] = ()
    documents: tuple[DocumentSpec, ...] = ()

    def dest_from(self, source: str) -> str:
        return source if self.dest == SAME_STATE else self.dest


@dataclass(frozen=True)
class StateSpec:
    name: str
    description: str = ""
    initial: bool = False
    final: bool = False
    roles: dict[str, bool] = field(default_factory=dict)


@dataclass(frozen=True)
class WorkflowDefinition:
    name: str
    version: str
    states: tuple[StateSpec, ...]
    triggers: dict[str, TriggerSpec]
    transitions: tuple[TransitionSpec, ...]

    @property
    def initial(self) -> str:
        return next(s.name for s in self.states if s.initial)

    @property
    def state_names(self) -> tuple[str, ...]:
        return tuple(s.name for s in self.states)

    @cached_property
    def _states_by_role(self) -> dict[str, frozenset[str]]:
        return {role: frozenset(s.name for s in self.states if s.roles[role]) for role in STATE_ROLES}

    def states_with(self, role: str) -> frozenset[str]:
        return self._states_by_role[role]

    def has_role(self, state: str, role: str) -> bool:
        return state in self._states_by_role[role]

    @cached_property
    def _triggers_by_firer(self) -> dict[str, tuple[str, ...]]:
        return {f: tuple(name for name, t in self.triggers.items() if f in t.by) for f in FIRERS}

    def fired_by(self, firer: str) -> tuple[str, ...]:
        """Triggers ``firer`` may fire, in the file's order."""
        return self._triggers_by_firer[firer]

    def triggers_with_effect(self, effect: str) -> frozenset[str]:
        return frozenset(t.trigger for t in self.transitions if effect in t.effects)

    def names_used(self, attribute: str) -> set[str]:
        return {name for t in self.transitions for name in getattr(t, attribute)}

    def document_conditions(self) -> set[str]:
        return {d.when for t in self.transitions for d in t.documents if d.when}

    def document_kinds(self) -> set[str]:
        return {d.kind for t in self.transitions for d in t.documents}

    def input_fields(self) -> dict[str, InputField]:
        """Every input field by name; a name means the same thing for every trigger using it."""
        return {f.name: f for t in self.triggers.values() for f in t.input}

    def as_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "version": self.version,
            "initial": self.initial,
            "states": [
                {"name": s.name, "description": s.description, "final": s.final, **s.roles}
                for s in self.states
            ],
            "triggers": {
                name: {
                    "by": list(t.by),
                    "input": [f.as_dict() for f in t.input],
                    "due_at": t.due_at,
                    "automatic": t.automatic,
                }
                for name, t in self.triggers.items()
            },
            "transitions": [
                {
                    "trigger": t.trigger,
                    "source": list(t.source),
                    "dest": t.dest,
                    "guards": list(t.guards),
                    "when": list(t.when),
                    "unless": list(t.unless),
                    "effects": list(t.effects),
                    "documents": [
                        {"kind": d.kind, "when": d.when, "from": list(d.leaving)} for d in t.documents
                    ],
                    "automatic": self.triggers[t.trigger].automatic,
                }
                for t in self.transitions
            ],
        }


def _names(entry: dict[str, Any], key: str, where: str) -> tuple[str, ...]:
    value = entry.get(key) or []
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise WorkflowError(f"'{key}' of {where} must be a list of names.")
    return tuple(value)


def _documents(entry: dict[str, Any], where: str) -> tuple[DocumentSpec, ...]:
    specs = []
    for item in entry.get("documents") or []:
        if isinstance(item, str):
            specs.append(DocumentSpec(item))
        elif isinstance(item, dict) and isinstance(item.get("kind"), str):
            specs.append(DocumentSpec(item["kind"], item.get("when"), _names(item, "from", where)))
        else:
            raise WorkflowError(f"Bad document entry {item!r} in {where}.")
    return tuple(specs)


def _input_field(trigger: str, name: str, raw: dict[str, Any]) -> InputField:
    kind = raw.get("type")
    if kind not in INPUT_TYPES:
        raise WorkflowError(
            f"Input '{name}' of trigger '{trigger}' has type {kind!r}; use one of {INPUT_TYPES}."
        )
    if kind == "text" and not isinstance(raw.get("max_length"), int):
        raise WorkflowError(f"Text input '{name}' of trigger '{trigger}' needs a max_length.")
    if kind == "choice" and not raw.get("choices"):
        raise WorkflowError(f"Choice input '{name}' of trigger '{trigger}' needs choices.")
    return InputField(
        name=name,
        type=kind,
        required=bool(raw.get("required", False)),
        max_length=raw.get("max_length"),
        one_line=raw.get("one_line") is True,
        choices=tuple(str(c) for c in raw.get("choices") or ()),
        minimum=raw.get("minimum"),
        maximum=raw.get("maximum"),
        description=str(raw.get("description", "")),
    )


def _trigger(name: str, raw: dict[str, Any]) -> TriggerSpec:
    by = _names(raw, "by", f"trigger '{name}'")
    unknown = [f for f in by if f not in FIRERS] or ([] if by else ["(none)"])
    if unknown:
        raise WorkflowError(f"Trigger '{name}' is fired by {unknown}; name some of {FIRERS}.")
    fields = tuple(_input_field(name, key, value) for key, value in (raw.get("input") or {}).items())
    spec = TriggerSpec(name, by, fields, raw.get("due_at"))
    if ("clock" in by) != (spec.due_at is not None):
        raise WorkflowError(f"Trigger '{name}': a clock trigger needs a due_at rule, and only it has one.")
    return spec


def _state(raw: dict[str, Any]) -> StateSpec:
    roles = {role: bool(raw.get(role, default)) for role, default in STATE_ROLES.items()}
    return StateSpec(
        raw["name"], raw.get("description", ""), bool(raw.get("initial")), bool(raw.get("final")), roles
    )


def _transition(t: dict[str, Any], triggers: dict[str, TriggerSpec]) -> TransitionSpec:
    where = f"trigger '{t['trigger']}'"
    guards = _names(t, "guards", where)
    trigger = triggers.get(t["trigger"])
    if trigger is not None and trigger.due_at is not None:
        # A clock step's rule is written once: its due rule gives its day, and its guard is
        # derived from it. A guard written beside it could say otherwise, so none is taken.
        if guards:
            raise WorkflowError(
                f"Trigger '{trigger.name}' is a clock trigger: its guard is its due_at rule "
                f"'{trigger.due_at}', so its transitions name no guards (found {list(guards)})."
            )
        guards = (trigger.due_at,)
    return TransitionSpec(
        trigger=t["trigger"],
        source=_names(t, "source", where),
        dest=t["dest"],
        guards=guards,
        when=_names(t, "when", where),
        unless=_names(t, "unless", where),
        effects=_names(t, "effects", where),
        documents=_documents(t, where),
    )


def parse_workflow(data: dict[str, Any]) -> WorkflowDefinition:
    try:
        triggers = {name: _trigger(name, raw or {}) for name, raw in data["triggers"].items()}
        definition = WorkflowDefinition(
            name=data["name"],
            version=str(data["version"]),
            states=tuple(_state(s) for s in data["states"]),
            triggers=triggers,
            transitions=tuple(_transition(t, triggers) for t in data["transitions"]),
        )
    except (KeyError, TypeError, AttributeError) as exc:
        raise WorkflowError(f"Workflow file is missing or mistypes {exc}.") from None
    _check(definition)
    return definition


def _check(definition: WorkflowDefinition) -> None:
    if sum(s.initial for s in definition.states) != 1:
        raise WorkflowError("Exactly one state must be marked initial.")
    known = set(definition.state_names)
    for t in definition.transitions:
        if t.trigger not in definition.triggers:
            raise WorkflowError(f"Transition of '{t.trigger}' names a trigger not declared under triggers.")
        leaving = {state for d in t.documents for state in d.leaving}
        for state in (*t.source, t.dest, *leaving):
            if state != SAME_STATE and state not in known:
                raise WorkflowError(f"Trigger '{t.trigger}' names unknown state '{state}'.")
    unused = set(definition.triggers) - {t.trigger for t in definition.transitions}
    if unused:
        raise WorkflowError(f"Trigger(s) {sorted(unused)} have no transition.")
    seen: dict[str, InputField] = {}
    for trigger in definition.triggers.values():
        for f in trigger.input:
            if seen.setdefault(f.name, f).type != f.type:
                raise WorkflowError(f"Input '{f.name}' has different types in different triggers.")


def load_workflow(path: Path) -> WorkflowDefinition:
    with path.open(encoding="utf-8") as handle:
        return parse_workflow(read_yaml(handle))
