"""Clause and notice wording, one YAML file per language, rendered in the sandbox."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml
from jinja2 import Template, TemplateSyntaxError
from jinja2.sandbox import SandboxedEnvironment
from markupsafe import Markup

from service.domain.grammar import elide
from service.domain.model import LANGUAGES
from service.domain.yaml_files import read_yaml


class WordingError(ValueError):
    """The wording files are missing, malformed or out of step with each other."""


class Wording:
    """One language's texts. Placeholders take our computed values; client text only as values."""

    def __init__(self, language: str, data: dict[str, Any], env: SandboxedEnvironment) -> None:
        self.language = language
        self._data = data
        self._env = env
        self._compiled: dict[str, Template] = {}
        _walk(data, language, self._compile)

    def _compile(self, where: str, text: str) -> None:
        # Wording is trusted but lands in XML unescaped: "&" and "<" would break the file.
        if "&" in text or "<" in text:
            raise WordingError(f"{where}: write 'and'/'less than' instead of '&' or '<'.")
        if "{" not in text:
            return  # no tag, nothing to reject: compiled on first use (two texts in three)
        try:
            self._compiled[text] = self._env.from_string(text)
        except TemplateSyntaxError as exc:
            raise WordingError(f"{where}: {exc.message}") from exc

    def raw(self, key: str) -> Any:
        node: Any = self._data
        for part in key.split("."):
            if not isinstance(node, dict) or part not in node:
                raise WordingError(f"{self.language}.yaml has no '{key}'.")
            node = node[part]
        return node

    def text(self, key: str, **values: Any) -> Markup:
        return self.render(self.raw(key), values)

    def texts(self, key: str, **values: Any) -> list[Markup]:
        return [self.render(text, values) for text in self.raw(key)]

    def render(self, text: str, values: dict[str, Any]) -> Markup:
        # The sandbox escapes values, so the result is markup the templates must not re-escape.
        template = self._compiled.get(text)
        if template is None:
            template = self._compiled[text] = self._env.from_string(text)
        return Markup(elide(template.render(values), self.language))


def _walk(node: Any, where: str, visit: Any) -> None:
    if isinstance(node, dict):
        for key, value in node.items():
            _walk(value, f"{where}.{key}", visit)
    elif isinstance(node, list):
        for index, value in enumerate(node):
            _walk(value, f"{where}[{index}]", visit)
    elif isinstance(node, str):
        visit(where, node)


def _shape(node: Any) -> Any:
    if isinstance(node, dict):
        return {key: _shape(value) for key, value in node.items()}
    if isinstance(node, list) and node and isinstance(node[0], dict):
        return [_shape(value) for value in node]
    return None


def _paths(shape: Any, where: str = "") -> set[str]:
    """Every key of a shape, dotted ("notices.final_notice.subject"; a list's items by index)."""
    items = shape.items() if isinstance(shape, dict) else enumerate(shape) if isinstance(shape, list) else ()
    found = set()
    for key, value in items:
        path = f"{where}[{key}]" if isinstance(key, int) else f"{where}.{key}" if where else str(key)
        found |= {path} | _paths(value, path)
    return found


def _outermost(paths: set[str]) -> list[str]:
    return sorted(p for p in paths if not any(p.startswith((q + ".", q + "[")) for q in paths))


def _difference(language: str, shape: Any, reference: Any) -> str:
    ours, theirs = _paths(shape), _paths(reference)
    lacks, extra = _outermost(theirs - ours), _outermost(ours - theirs)
    said = [f"{language}.yaml lacks {', '.join(lacks)}"] if lacks else []
    said += [f"only {language}.yaml has {', '.join(extra)}"] if extra else []
    return "; ".join(said)


def load_wording(directory: Path, env: SandboxedEnvironment) -> dict[str, Wording]:
    """Load every language and insist they hold the same keys, so no text is missing."""
    loaded: dict[str, dict[str, Any]] = {}
    for language in LANGUAGES:
        path = directory / f"{language}.yaml"
        try:
            loaded[language] = read_yaml(path.read_text(encoding="utf-8"))
        except (OSError, yaml.YAMLError) as exc:
            raise WordingError(f"Cannot read the wording file {path}: {exc}") from exc
    reference = _shape(loaded[LANGUAGES[0]])
    for language in LANGUAGES[1:]:
        shape = _shape(loaded[language])
        if shape != reference:
            raise WordingError(
                f"{language}.yaml and {LANGUAGES[0]}.yaml do not hold the same keys and clauses: "
                f"{_difference(language, shape, reference)}."
            )
    return {language: Wording(language, data, env) for language, data in loaded.items()}
