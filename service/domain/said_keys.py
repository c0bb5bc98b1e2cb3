"""Start-up check: every sentence the code can say (``Said("guards.x")``) is worded in every
language, so a guard or conflict whose key is missing stops start-up instead of answering 500
the first time it refuses.

The keys are read from the code itself: each ``Said(...)`` call must name its key as a string
literal (a key built at run time is reported too), and a literal is checked against the
``messages`` section of every language's wording file.
"""

from __future__ import annotations

import ast
from functools import cache
from pathlib import Path
from typing import Any

from service.domain.model import LANGUAGES
from service.domain.sayings import WORDING_DIR
from service.domain.workflow import WorkflowError
from service.domain.yaml_files import read_yaml

SOURCE_DIR = Path(__file__).resolve().parents[1]  # the service package


def _said_calls(path: Path) -> list[tuple[int, str | None]]:
    """(line, key) of each ``Said(...)`` call in a file; key None when it is not a literal."""
    text = path.read_text(encoding="utf-8")
    if "Said(" not in text:
        return []  # most modules: no parse needed
    calls = []
    for node in ast.walk(ast.parse(text, str(path))):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "Said":
            first = node.args[0] if node.args else None
            literal = isinstance(first, ast.Constant) and isinstance(first.value, str)
            calls.append((node.lineno, first.value if literal else None))  # type: ignore[union-attr]
    return calls


def _has(messages: Any, key: str) -> bool:
    node = messages
    for part in key.split("."):
        if not isinstance(node, dict) or part not in node:
            return False
        node = node[part]
    return True


@cache
def unworded(source_dir: Path = SOURCE_DIR, wording_dir: Path = WORDING_DIR) -> tuple[str, ...]:
    """What is wrong, one line each ("service/domain/guards.py:57: 'guards.x' is not in
    en.yaml (messages.guards.x)"); empty when every key is worded in every language."""
    messages = {}
    for language in LANGUAGES:
        with (wording_dir / f"{language}.yaml").open(encoding="utf-8") as file:
            messages[language] = read_yaml(file).get("messages") or {}
    problems = []
    for path in sorted(source_dir.rglob("*.py")):
        if path.name == "sayings.py":
            continue  # where Said is defined: it passes keys on, it names none
        where = path.relative_to(source_dir.parent)
        for line, key in _said_calls(path):
            if key is None:
                problems.append(f"{where}:{line}: Said needs its key as a literal, so it can be checked")
                continue
            problems += [
                f"{where}:{line}: '{key}' is not in {language}.yaml (messages.{key})"
                for language in LANGUAGES
                if not _has(messages[language], key)
            ]
    return tuple(problems)


def require_worded() -> None:
    """Refuse to start (``WorkflowError``) while a sentence the code can say has no wording."""
    problems = unworded()
    if problems:
        raise WorkflowError("Sentences missing from the wording: " + "; ".join(problems))
