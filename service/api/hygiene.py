"""Request hygiene that no single field schema can express."""

from __future__ import annotations

import json
import re
from typing import Any

from flask import Flask, request
from flask_smorest import abort

_LONE_SURROGATE = re.compile("[\ud800-\udfff]")


def _has_lone_surrogate(value: Any) -> bool:
    if isinstance(value, str):
        return bool(_LONE_SURROGATE.search(value))
    if isinstance(value, dict):
        return any(_has_lone_surrogate(k) or _has_lone_surrogate(v) for k, v in value.items())
    if isinstance(value, list):
        return any(_has_lone_surrogate(v) for v in value)
    return False


def _refuse_lone_surrogates() -> None:
    """JSON may escape half a UTF-16 pair ("\\ud800"); that is no character, and no database or
    Word file can store it. Such a body is malformed, whichever field carries it."""
    raw = request.get_data(cache=True)
    if b"\\u" not in raw.lower() or not request.is_json:
        return
    try:
        body = json.loads(raw)
    except ValueError:
        return  # the schema layer answers malformed JSON
    if _has_lone_surrogate(body):
        abort(
            400, messages={"json": ["The body contains a lone UTF-16 surrogate escape, which is not text."]}
        )


def install_hygiene(app: Flask) -> None:
    app.before_request(_refuse_lone_surrogates)
