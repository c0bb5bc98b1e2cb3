"""The project's YAML is read safely: plain data, never objects (the workflow and wording files
may come from an operator's TEMPLATES_DIR or WORKFLOW_FILE)."""

from __future__ import annotations

import pytest
import yaml

from service.domain.yaml_files import read_yaml


def test_plain_data_is_read() -> None:
    assert read_yaml("a: [1, 'two']\nb: {c: null}\n") == {"a": [1, "two"], "b": {"c": None}}


@pytest.mark.parametrize(
    "document",
    ["!!python/object/apply:os.getcwd []", "!!python/name:os.system", "x: !!python/tuple [1, 2]"],
)
def test_a_python_tag_is_refused(document: str) -> None:
    with pytest.raises(yaml.YAMLError):
        read_yaml(document)
