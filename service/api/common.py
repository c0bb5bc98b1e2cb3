"""What every blueprint shares: the runtime, ETags and If-Match, OpenAPI link targets."""

from __future__ import annotations

import re

from flask import current_app, request

from service.application.runtime import Runtime


def runtime() -> Runtime:
    return current_app.extensions["runtime"]


def etag(version: int) -> str:
    return f'"{version}"'


def operation_ref(path: str, method: str) -> str:
    return "#/paths/" + path.replace("~", "~0").replace("/", "~1") + "/" + method


IF_MATCH = {
    "in": "header",
    "name": "If-Match",
    "required": False,
    "schema": {"type": "string"},
    "description": 'The ETag you last saw (e.g. "7"), or *; a stale, weak or malformed one answers 412',
}

# One strong entity tag naming a version: "7". Versions are BIGINTs, so 18 digits at most; the
# bound also keeps int() clear of Python's 4,300-digit limit (a ValueError, so a 500).
STRONG_VERSION_TAG = re.compile(r'"([0-9]{1,18})"')
MATCHES_NO_VERSION = -1  # versions start at 0: a precondition no engagement satisfies


def if_match_version() -> int | None:
    """The version If-Match names, or None when absent or ``*`` (any current version applies).

    RFC 9110 compares If-Match strongly: a weak tag (``W/"7"``) never matches, and neither does
    anything that is not one of our tags (garbage, an absurd number), so each answers 412 rather
    than being treated as absent. A list of tags is not matched member by member: it answers 412.
    """
    raw = request.headers.get("If-Match")
    if raw is None or raw.strip() == "*":
        return None
    tag = STRONG_VERSION_TAG.fullmatch(raw.strip())
    return int(tag.group(1)) if tag else MATCHES_NO_VERSION
