"""Reading the project's YAML files (workflow, wording, reference rates)."""

from __future__ import annotations

from typing import IO, Any

import yaml

# libyaml's safe loader when PyYAML was built with it (its wheels are): the same documents and
# the same errors, parsed ten times faster. Every app and every CLI run (a tick a minute from
# cron) reads ~100 KB of YAML at start-up: ~90 ms in pure Python, ~9 ms with libyaml.
_SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def read_yaml(source: str | IO[str]) -> Any:
    """The document in ``source``, safely: plain data only, never objects."""
    return yaml.load(source, Loader=_SAFE_LOADER)
