"""Client text is data: refuse characters XML cannot hold, render only in a sandbox."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from jinja2 import StrictUndefined
from jinja2.sandbox import SandboxedEnvironment
from markupsafe import Markup, escape

from service.domain.text import first_illegal_character


class IllegalCharacterError(ValueError):
    """Client text holds a character that cannot appear in a Word (XML) file."""


def find_illegal_characters(text: str) -> bool:
    """True when ``text`` holds a control character XML 1.0 forbids (the API rejects it)."""
    return first_illegal_character(text) is not None


def ensure_legal(value: Any, where: str = "value") -> None:
    """Walk strings inside mappings and sequences; raise on the first illegal character."""
    if isinstance(value, str):
        code = first_illegal_character(value)
        if code:
            raise IllegalCharacterError(f"{where} contains the control character {code}.")
    elif isinstance(value, Mapping):
        for key, item in value.items():
            ensure_legal(item, f"{where}.{key}")
    elif isinstance(value, list | tuple):
        for index, item in enumerate(value):
            ensure_legal(item, f"{where}[{index}]")


def _finalize(value: Any) -> Markup:
    # docxtpl rewrites "{_{" to "{{" after rendering; encoding braces as character
    # references keeps client text such as "{_{" exactly as typed.
    escaped = str(escape(value))
    return Markup(escaped.replace("{", "&#123;").replace("}", "&#125;"))


def make_environment() -> SandboxedEnvironment:
    """The one environment for templates and wording: sandboxed, escaping, strict."""
    return SandboxedEnvironment(autoescape=True, undefined=StrictUndefined, finalize=_finalize)
