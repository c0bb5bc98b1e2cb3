"""The export writes record.json entry by entry: the bytes must be exactly those of the whole
list dumped at once, which is what the export wrote before it streamed (and what readers parse)."""

from __future__ import annotations

import json
from typing import Any

import pytest

from service.application.export import _json_array

CASES: list[list[dict[str, Any]]] = [
    [],
    [{"seq": 1}],
    [{"seq": 1, "payload": {"note": "two\nlines", "nested": {"list": [1, 2, {"a": None}]}}}, {"seq": 2}],
    [{"seq": 1, "payload": {"client": "Società Ünïcode “quoted”", "empty": {}, "none": []}}],
]


@pytest.mark.parametrize("entries", CASES)
def test_record_json_streamed_is_byte_identical_to_the_whole_dump(entries: list[dict[str, Any]]) -> None:
    streamed = b"".join(_json_array(iter(entries)))
    assert streamed == json.dumps(entries, indent=2, ensure_ascii=False).encode()
