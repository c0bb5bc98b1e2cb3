"""Text that reaches an e-mail header or reads as a name is one line a reader sees as it is (issue 31).

A tenant's name with CR or LF once made the dispatcher raise on the From header and the
supervisor stop the service. Every field that declares the one-line pattern in openapi.yaml is
fed each line break and each invisible or reordering character: 422 naming the field, nothing
stored. The list below pins the fields that must be among them.
"""

from __future__ import annotations

import copy
import itertools
import json
from collections.abc import Iterator
from typing import Any

import pytest

from service.domain.text import ONE_LINE_TEXT
from tests.bodies import valid_bodies
from tests.conftest import Api
from tests.hostile import SPEC, resolve

# Where a line break would start a header of the sender's choosing, or a name would read
# otherwise than it is stored: each of these must be one-line text.
MUST_BE_ONE_LINE = {
    ("patch", "/v1/tenant", "name"),  # the From header's display name
    ("patch", "/v1/tenant", "signatory"),
    ("patch", "/v1/tenant", "city"),
    ("patch", "/v1/tenant", "email"),  # Reply-To
    ("patch", "/v1/tenant", "pec"),
    ("post", "/v1/engagements", "client.name"),
    ("post", "/v1/engagements", "client.contact_name"),
    ("post", "/v1/engagements", "client.email"),  # To
    ("post", "/v1/engagements", "client.pec"),
    ("post", "/v1/engagements", "client.legal_representative"),
    ("patch", "/v1/engagements/{engagement_id}", "client.name"),
    ("patch", "/v1/messages/{message_id}", "subject"),  # Subject
    ("patch", "/v1/messages/{message_id}", "to.0"),
    ("patch", "/v1/messages/{message_id}", "cc.0"),
    ("post", "/v1/messages/{message_id}/mark-sent", "reference"),
    ("post", "/v1/engagements/{engagement_id}/payments", "reference"),
    ("post", "/v1/engagements/{engagement_id}/invoices", "description"),
    ("post", "/v1/engagements/{engagement_id}/approvals", "item"),
    ("post", "/v1/engagements/{engagement_id}/transitions", "data.subject"),  # the letter's subject
    ("put", "/v1/tenant/smtp", "host"),
    ("put", "/v1/tenant/smtp", "username"),
    ("put", "/v1/tenant/smtp", "from_address"),  # From
    ("post", "/v1/tenant/keys", "name"),
}

BAD = {
    "crlf": "Rossi\r\nBcc: victim@example.com",
    "lf": "Rossi\nX-Injected: 1",
    "cr": "Rossi\rX-Injected: 1",
    "nel": "Rossi\u0085X",
    "right-to-left override": "invoice\u202efdp.exe",
    "right-to-left isolate": "Rossi \u2067Srl\u2069",
    "zero-width space": "Ros\u200bsi",
    "byte order mark": "\ufeffRossi",
}


def _one_line_fields(schema: dict[str, Any], prefix: str = "") -> Iterator[str]:
    schema = resolve(schema)
    if "properties" in schema:
        for name, sub in schema["properties"].items():
            yield from _one_line_fields(sub, f"{prefix}.{name}" if prefix else name)
    elif schema.get("type") == "array":
        yield from _one_line_fields(schema["items"], f"{prefix}.0")
    elif schema.get("pattern") == ONE_LINE_TEXT:
        yield prefix


def _declared() -> list[tuple[str, str, str]]:
    found = []
    for path, item in SPEC["paths"].items():
        for method, operation in item.items():
            if method == "parameters":
                continue
            body = operation.get("requestBody", {}).get("content", {}).get("application/json")
            if body:
                found += [(method, path, field) for field in _one_line_fields(body["schema"])]
    return sorted(found)


DECLARED = _declared()


def test_every_field_that_reaches_a_header_or_reads_as_a_name_is_one_line() -> None:
    assert set(DECLARED) >= MUST_BE_ONE_LINE, sorted(MUST_BE_ONE_LINE - set(DECLARED))


def _set(body: dict[str, Any], field: str, value: str) -> None:
    """Put ``value`` at a dotted path ("to.0", "client.name"), making what is missing."""
    parts = field.split(".")
    target: Any = body
    for part, after in itertools.pairwise(parts):
        empty: Any = [None] if after.isdigit() else {}
        target = target[int(part)] if isinstance(target, list) else target.setdefault(part, empty)
    last = parts[-1]
    if isinstance(target, list):
        target[int(last)] = value
    else:
        target[last] = value


def _named(errors: Any, field: str) -> bool:
    """The problem's errors name the field (nested as the schema nests it, or data.<name>)."""
    node = errors.get("json", errors)
    if field in node:
        return True
    for part in field.split("."):
        if not isinstance(node, dict):
            return False
        node = node.get(int(part) if part.isdigit() else part, node.get(part))
        if node is None:
            return False
    return True


@pytest.mark.parametrize(("method", "path", "field"), DECLARED, ids=["-".join(d) for d in DECLARED])
def test_a_line_break_or_an_invisible_character_is_refused_naming_the_field(
    api: Api, method: str, path: str, field: str
) -> None:
    engagement_id = api.create_engagement()["id"]
    api.fire(engagement_id, "request_feedback", subject="Plan")
    message_id = api.get("/v1/messages?status=draft").json["items"][0]["id"]
    url = path.format(engagement_id=engagement_id, message_id=message_id, endpoint_id=1, approval_id=1)
    base = valid_bodies().get((method, path), {})
    headers = {**api.headers, "Content-Type": "application/json"}
    if path == "/v1/engagements/{engagement_id}":
        headers["If-Match"] = api.get(url).headers["ETag"]
    before = api.get("/v1/tenant").json, api.get(f"/v1/engagements/{engagement_id}/events").json
    for name, text in BAD.items():
        body = copy.deepcopy(base)
        _set(body, field, text)
        response = api.client.open(url, method=method.upper(), data=json.dumps(body), headers=headers)
        assert response.status_code == 422, (name, response.json)
        assert _named(response.json["errors"], field), (name, response.json["errors"])
    assert (api.get("/v1/tenant").json, api.get(f"/v1/engagements/{engagement_id}/events").json) == before


def test_the_same_text_without_the_bad_character_is_taken(api: Api) -> None:
    """The check refuses characters, not names: right-to-left scripts and joined emoji pass."""
    for name in ("مرحبا بالعالم — שלום עולם", "Café 👩‍💻 🇮🇹", "Rossi & Figli <S.p.A.>"):
        assert api.patch("/v1/tenant", json={"name": name}).status_code == 200
        assert api.get("/v1/tenant").json["name"] == name
