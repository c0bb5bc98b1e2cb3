"""What every blueprint shares: the runtime, ETags and If-Match, OpenAPI link targets."""

from __future__ import annotations

import re
from typing import Any

from flask import current_app, request
from flask_smorest import abort

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


FORM_TYPE = "multipart/form-data"
UPLOAD_FIELD = "file"  # client generators produce multipart, not the file's own media type


def upload_body(description: str, raw_types: tuple[str, ...]) -> dict[str, Any]:
    """The OpenAPI request body of an upload: the raw file, or the form field ``file``."""
    raw = {"schema": {"type": "string", "format": "binary"}}
    form = {"type": "object", "required": [UPLOAD_FIELD], "properties": {UPLOAD_FIELD: raw["schema"]}}
    return {
        "required": True,
        "description": description,
        "content": {**{media: raw for media in raw_types}, FORM_TYPE: {"schema": form}},
    }


def uploaded_bytes(raw_types: tuple[str, ...], what: str) -> bytes:
    """The uploaded file's exact bytes, from a raw body of one of ``raw_types`` or from the form's
    ``file`` field; 422 when empty, 415 for any other body."""
    if request.mimetype in raw_types:
        data = request.get_data()
        if not data:
            abort(422, messages={"body": {"_body": [f"Send the {what} as the body."]}})
        return data
    if request.mimetype == FORM_TYPE:
        upload = request.files.get(UPLOAD_FIELD)
        data = upload.read() if upload is not None else b""
        if not data:
            abort(422, messages={"form": {UPLOAD_FIELD: [f"Attach the {what} as this field."]}})
        return data
    abort(
        415,
        message=f"Send the {what} as the raw body ({raw_types[0]}), or as the field "
        f"{UPLOAD_FIELD!r} of {FORM_TYPE}.",
    )
