"""A trigger's input, checked against what the workflow file declares for it."""

from __future__ import annotations

from typing import Any

from service.domain.text import first_illegal_character, one_line_problem
from service.domain.workflow import InputField, TriggerSpec


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def missing_input(trigger: TriggerSpec, data: dict[str, Any] | None) -> list[str]:
    """The required fields ``data`` does not give (all of them when there is no data yet)."""
    given = data or {}
    return [name for name in trigger.required_input if _blank(given.get(name))]


def _problem(field: InputField, value: Any) -> str | None:
    if field.type == "text":
        if not isinstance(value, str):
            return "Must be text."
        if field.max_length is not None and len(value) > field.max_length:
            return f"Longer than {field.max_length} characters."
        if field.one_line and (problem := one_line_problem(value)):
            return problem
        code = first_illegal_character(value)
        return f"Contains the control character {code}, which a document cannot hold." if code else None
    if field.type == "choice":
        if value not in field.choices:
            return f"Must be one of: {', '.join(field.choices)}."
        return None
    if not isinstance(value, int) or isinstance(value, bool):
        return "Must be a whole number."
    if field.minimum is not None and value < field.minimum:
        return f"Must be at least {field.minimum}."
    if field.maximum is not None and value > field.maximum:
        return f"Must be at most {field.maximum}."
    return None


def input_errors(trigger: TriggerSpec, data: dict[str, Any]) -> dict[str, list[str]]:
    """Field (``data.<name>``) → what is wrong with it; empty when the input fits the trigger."""
    declared = {f.name: f for f in trigger.input}
    errors: dict[str, list[str]] = {}
    for name in data:
        if name not in declared:
            takes = ", ".join(declared) or "no input"
            errors[f"data.{name}"] = [f"'{trigger.name}' does not take '{name}'; it takes {takes}."]
    for name in missing_input(trigger, data):
        errors[f"data.{name}"] = [f"Required by '{trigger.name}': {declared[name].description}".strip()]
    for name, field in declared.items():
        value = data.get(name)
        if f"data.{name}" not in errors and value is not None:
            problem = _problem(field, value)
            if problem:
                errors[f"data.{name}"] = [problem]
    return errors
