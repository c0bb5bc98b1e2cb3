"""The workflow as data: parse and check ``workflows/*.yaml`` before anything runs."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

SAME_STATE = "same"


class WorkflowError(Exception):
    """The workflow file is malformed or names something the code does not provide."""


@dataclass(frozen=True)
class DocumentSpec:
    kind: str
    when: str | None = None


@dataclass(frozen=True)
class TransitionSpec:
    trigger: str
    source: tuple[str, ...]
    dest: str  # a state name, or SAME_STATE
    guards: tuple[str, ...] = ()
    when: tuple[str, ...] = ()
    unless: tuple[str, ...] = ()
    effects: tuple[str, ...] = ()
    documents: tuple[DocumentSpec, ...] = ()
    automatic: bool = False

    def dest_from(self, source: str) -> str:
        return source if self.dest == SAME_STATE else self.dest


@dataclass(frozen=True)
class StateSpec:
    name: str
    description: str = ""
    final: bool = False


@dataclass(frozen=True)
class WorkflowDefinition:
    name: str
    version: str
    initial: str
    states: tuple[StateSpec, ...]
    transitions: tuple[TransitionSpec, ...]

    @property
    def state_names(self) -> tuple[str, ...]:
        return tuple(s.name for s in self.states)

    @property
    def triggers(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(t.trigger for t in self.transitions))

    def names_used(self, attribute: str) -> set[str]:
        return {name for t in self.transitions for name in getattr(t, attribute)}

    def document_conditions(self) -> set[str]:
        return {d.when for t in self.transitions for d in t.documents if d.when}

    def document_kinds(self) -> set[str]:
        return {d.kind for t in self.transitions for d in t.documents}

    def as_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "version": self.version,
            "initial": self.initial,
            "states": [vars(s) for s in self.states],
            "transitions": [
                {
                    "trigger": t.trigger,
                    "source": list(t.source),
                    "dest": t.dest,
                    "guards": list(t.guards),
                    "when": list(t.when),
                    "unless": list(t.unless),
                    "documents": [vars(d) for d in t.documents],
                    "automatic": t.automatic,
                }
                for t in self.transitions
            ],
        }


def _names(entry: dict[str, Any], key: str) -> tuple[str, ...]:
    value = entry.get(key) or []
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise WorkflowError(f"'{key}' of trigger '{entry.get('trigger')}' must be a list of names.")
    return tuple(value)


def _documents(entry: dict[str, Any]) -> tuple[DocumentSpec, ...]:
    specs = []
    for item in entry.get("documents") or []:
        if isinstance(item, str):
            specs.append(DocumentSpec(item))
        elif isinstance(item, dict) and isinstance(item.get("kind"), str):
            specs.append(DocumentSpec(item["kind"], item.get("when")))
        else:
            raise WorkflowError(f"Bad document entry {item!r} in trigger '{entry.get('trigger')}'.")
    return tuple(specs)


def parse_workflow(data: dict[str, Any]) -> WorkflowDefinition:
    try:
        states = tuple(
            StateSpec(s["name"], s.get("description", ""), bool(s.get("final", False)))
            for s in data["states"]
        )
        transitions = tuple(
            TransitionSpec(
                trigger=t["trigger"],
                source=_names(t, "source"),
                dest=t["dest"],
                guards=_names(t, "guards"),
                when=_names(t, "when"),
                unless=_names(t, "unless"),
                effects=_names(t, "effects"),
                documents=_documents(t),
                automatic=bool(t.get("automatic", False)),
            )
            for t in data["transitions"]
        )
        definition = WorkflowDefinition(
            name=data["name"],
            version=str(data["version"]),
            initial=data["initial"],
            states=states,
            transitions=transitions,
        )
    except (KeyError, TypeError) as exc:
        raise WorkflowError(f"Workflow file is missing or mistypes {exc}.") from None
    known = set(definition.state_names)
    if definition.initial not in known:
        raise WorkflowError(f"Initial state '{definition.initial}' is not a declared state.")
    for t in definition.transitions:
        for state in (*t.source, t.dest):
            if state != SAME_STATE and state not in known:
                raise WorkflowError(f"Trigger '{t.trigger}' names unknown state '{state}'.")
    return definition


def load_workflow(path: Path) -> WorkflowDefinition:
    with path.open(encoding="utf-8") as handle:
        return parse_workflow(yaml.safe_load(handle))
