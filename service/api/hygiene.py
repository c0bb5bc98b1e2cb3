"""Request hygiene that no single field schema can express: header lengths, JSON nesting depth,
integers too long for Python to convert and lone surrogates, each checked before anything
parses what it guards against; and
``Cache-Control: no-store`` on every answer that carries an account's data."""

from __future__ import annotations

import json
import re
import sys
from typing import Any

from flask import Flask, Response, current_app, request
from flask_smorest import abort

_LONE_SURROGATE = re.compile("[\ud800-\udfff]")
# No body this API takes nests deeper than a few levels; Python's parsers recurse per level.
MAX_JSON_DEPTH = 64
_JSON_TOKEN = re.compile(rb'[\[\]{}"\\]')
# Longer than any key, id, ETag or Idempotency-Key the API reads, and far below what would cost
# anything to compare, hash or convert (an If-Match of 4,300 digits broke int()).
MAX_HEADER_LENGTH = 4096
PRIVATE_PREFIX = "/v1/"


def _refuse_long_chunked_body() -> None:
    """A chunked body has no Content-Length to refuse up front, and werkzeug stops reading it at
    MAX_CONTENT_LENGTH, handing on a truncated body as if it were whole. Read it to the limit:
    one byte more is 413, as a body that announced its length would get."""
    limit = current_app.config["MAX_CONTENT_LENGTH"]
    if limit is None or request.content_length is not None or "wsgi.input_terminated" not in request.environ:
        return
    if len(request.get_data(cache=True)) >= limit and request.environ["wsgi.input"].read(1):
        abort(413, message=f"The body is longer than {limit} bytes.")


def _refuse_long_headers() -> None:
    for name, value in request.headers.items():
        if len(value) > MAX_HEADER_LENGTH:
            abort(431, message=f"The {name} header is longer than {MAX_HEADER_LENGTH} characters.")


def json_depth(raw: bytes) -> int:
    """How deep arrays and objects nest in a JSON text, without parsing it (brackets inside
    strings do not count). Cheap for the usual body: it scans only when brackets are many."""
    if raw.count(b"[") + raw.count(b"{") <= MAX_JSON_DEPTH:
        return 0
    depth = deepest = 0
    in_string, escaped_at = False, -1  # the position a backslash inside a string escapes
    for token in _JSON_TOKEN.finditer(raw):
        char, at = token.group(), token.start()
        if in_string:
            if at == escaped_at:
                continue
            if char == b"\\":
                escaped_at = at + 1
            elif char == b'"':
                in_string = False
        elif char == b'"':
            in_string = True
        elif char in (b"[", b"{"):
            depth += 1
            deepest = max(deepest, depth)
        elif char in (b"]", b"}"):
            depth -= 1
    return deepest


def _refuse_deep_json() -> None:
    if request.is_json and json_depth(request.get_data(cache=True)) > MAX_JSON_DEPTH:
        abort(400, message=f"The JSON body nests deeper than {MAX_JSON_DEPTH} levels; no request needs that.")


# Python refuses to convert an integer of more digits than this (a ValueError from json.loads
# that no parser above expected: it was a 500). No field takes one; the request is refused.
MAX_INT_DIGITS = sys.get_int_max_str_digits()
_LONG_DIGIT_RUN = re.compile(rb"[0-9]{%d}" % (MAX_INT_DIGITS + 1))


class _TooLong:
    """Stands in for an integer JSON text Python would not convert, so that its path is found."""


def _integer(digits: str) -> int | _TooLong:
    return _TooLong() if len(digits.lstrip("-")) > MAX_INT_DIGITS else int(digits)


def _paths_to_long_integers(value: Any, path: str = "") -> list[str]:
    if isinstance(value, _TooLong):
        return [path or "_body"]
    items = value.items() if isinstance(value, dict) else enumerate(value) if isinstance(value, list) else ()
    return [
        p for key, item in items for p in _paths_to_long_integers(item, f"{path}.{key}" if path else str(key))
    ]


def _refuse_long_integers() -> None:
    raw = request.get_data(cache=True)
    if MAX_INT_DIGITS == 0 or not request.is_json or not _LONG_DIGIT_RUN.search(raw):
        return  # the usual body: one scan, no parse
    try:
        body = json.loads(raw, parse_int=_integer)
    except ValueError:
        return  # malformed JSON: the schema layer answers
    paths = _paths_to_long_integers(body)
    if paths:
        message = f"A number of more than {MAX_INT_DIGITS} digits; no field takes one."
        abort(422, messages={"json": {path: [message] for path in paths}})


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


def _no_store(response: Response) -> Response:
    """Documents, exports and every other answer about an account stay out of shared caches."""
    if request.path.startswith(PRIVATE_PREFIX):
        response.headers["Cache-Control"] = "no-store"
    return response


def install_header_limits(app: Flask) -> None:
    """First of all: every later hook reads headers."""
    app.before_request(_refuse_long_headers)


def install_hygiene(app: Flask) -> None:
    app.before_request(_refuse_long_chunked_body)  # before anything reads the body
    app.before_request(_refuse_deep_json)  # before anything that parses the body
    app.before_request(_refuse_long_integers)
    app.before_request(_refuse_lone_surrogates)
    app.after_request(_no_store)
