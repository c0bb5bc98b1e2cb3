"""The desk's own sentences, one file per language beside this module; the same keys in each,
or the service does not start."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

from service.domain.model import LANGUAGES
from service.domain.yaml_files import read_yaml

FOLDER = Path(__file__).with_name("wording")


def _flat(tree: dict[str, Any], prefix: str = "") -> dict[str, str]:
    flat: dict[str, str] = {}
    for key, value in tree.items():
        name = f"{prefix}{key}"
        flat.update(_flat(value, f"{name}.") if isinstance(value, dict) else {name: str(value)})
    return flat


class DeskWording:
    def __init__(self, texts: dict[str, dict[str, str]]) -> None:
        first, *others = LANGUAGES
        for language in others:
            differ = set(texts[first]) ^ set(texts[language])
            if differ:
                raise ValueError(f"desk wording: {first} and {language} differ in {sorted(differ)}")
        self.texts = texts

    @classmethod
    def load(cls, folder: Path = FOLDER) -> DeskWording:
        texts = {}
        for language in LANGUAGES:
            with (folder / f"{language}.yaml").open(encoding="utf-8") as file:
                texts[language] = _flat(read_yaml(file))
        return cls(texts)

    def require_workflow_labels(self, states: Iterable[str], triggers: Iterable[str]) -> None:
        """Every state and trigger of the workflow has its label in every language, or the
        service does not start: a page never shows a bare name such as a trigger's."""
        wanted = [f"workflow.state.{name}" for name in states]
        wanted += [f"workflow.trigger.{name}" for name in triggers]
        missing = [
            f"{lang}: {key}" for lang, texts in self.texts.items() for key in wanted if key not in texts
        ]
        if missing:
            raise ValueError(f"desk wording: no label for {missing}")

    def say(self, language: str, key: str, **values: Any) -> str:
        text = self.texts[language][key]
        return text.format(**values) if values else text
