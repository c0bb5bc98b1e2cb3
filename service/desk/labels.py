"""The workflow's states and triggers as a person reads them: labels from the desk's wording,
keyed by the names in workflows/engagement.yaml (start-up checks every name has one)."""

from __future__ import annotations

from dataclasses import replace

from flask import current_app

from service.desk.base import desk, language, t
from service.domain.model import Event
from service.domain.sayings import Said, say, sentence

# The record's entries that name states or triggers, and which of their fields do.
NAMED_FIELDS = {"transition": {"trigger": "trigger", "from": "state", "to": "state"}}


@desk.app_template_filter("desk_state")
def state_label(name: str) -> str:
    return t(f"workflow.state.{name}")


@desk.app_template_filter("desk_trigger")
def trigger_label(name: str) -> str:
    """A trigger, or one of the clock's own steps (the monthly invoice, terms taking effect)."""
    texts = _texts()
    return texts.get(f"workflow.step.{name}") or t(f"workflow.trigger.{name}")


def _texts() -> dict[str, str]:
    return current_app.extensions["desk_wording"].texts[language()]


def label(name: str) -> str:
    """A state's or trigger's label; any other word (a field's value) as it is."""
    texts = _texts()
    return texts.get(f"workflow.state.{name}") or texts.get(f"workflow.trigger.{name}") or name


def reason(text: str) -> str:
    """A guard's reason in the desk's language, naming states and triggers by their labels."""
    if not isinstance(text, Said):
        return text
    named = {key: label(v) if isinstance(v, str) else v for key, v in text.values.items()}
    try:
        return sentence(language(), text.key, named)
    except (OSError, KeyError):  # as say() does: a language without this sentence reads English
        return say(text, language())


def labelled(event: Event) -> Event:
    """A copy of a record entry whose state and trigger fields read as labels (for the timeline;
    the record itself keeps the names)."""
    fields = NAMED_FIELDS.get(event.type)
    if not fields or not isinstance(event.payload, dict):
        return event
    texts = _texts()
    payload = dict(event.payload)
    for field, kind in fields.items():
        value = payload.get(field)
        if isinstance(value, str):
            payload[field] = texts.get(f"workflow.{kind}.{value}", value)
    return replace(event, payload=payload)
