"""Every free-text field of every write operation, fed every hostile string.

Each answer is 2xx with the text stored (and rendered) literally, or a 4xx naming the field;
never a 5xx. Fields come from openapi.yaml, so a new field is covered the day it is added.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Iterator
from io import BytesIO
from typing import Any

import docx
import yaml

from service.api.fields import LEGAL_XML_TEXT
from tests.bodies import valid_bodies
from tests.conftest import ROOT, Api
from tests.hostile import HOSTILE

SPEC = yaml.safe_load((ROOT / "openapi.yaml").read_text())


def _resolve(schema: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in schema:
        schema = SPEC["components"]["schemas"][schema["$ref"].rsplit("/", 1)[-1]]
    if "allOf" in schema and len(schema["allOf"]) == 1:
        return _resolve(schema["allOf"][0])
    return schema


def _text_fields(schema: dict[str, Any], prefix: str = "") -> Iterator[str]:
    schema = _resolve(schema)
    if schema.get("type") == "object" or "properties" in schema:
        for name, sub in schema.get("properties", {}).items():
            yield from _text_fields(sub, f"{prefix}.{name}" if prefix else name)
    elif schema.get("type") == "array":
        yield from _text_fields(schema["items"], f"{prefix}.0")
    elif (
        schema.get("type") == "string"
        and "enum" not in schema
        and "format" not in schema
        and schema.get("pattern") in (None, LEGAL_XML_TEXT)
    ):
        yield prefix


def _write_only(method: str, path: str, field: str) -> bool:
    """A secret (a password) is taken but never shown again: there is nothing to read back."""
    schema: dict[str, Any] = SPEC["paths"][path][method]["requestBody"]["content"]["application/json"][
        "schema"
    ]
    for part in field.split("."):
        schema = _resolve(schema)
        schema = schema["items"] if part.isdigit() else schema.get("properties", {}).get(part, {})
    return bool(schema.get("writeOnly"))


def _operations() -> Iterator[tuple[str, str, str]]:
    for path, item in SPEC["paths"].items():
        for method, operation in item.items():
            if method == "parameters":
                continue
            body = operation.get("requestBody", {}).get("content", {}).get("application/json")
            if body:
                for field in _text_fields(body["schema"]):
                    yield method, path, field


def _set(body: dict[str, Any], field: str, value: str) -> None:
    *parents, last = field.split(".")
    target: Any = body
    for part in parents:
        target = target[int(part)] if part.isdigit() else target.setdefault(part, {})
    target[int(last) if last.isdigit() else last] = value


def _contains(value: Any, text: str) -> bool:
    if isinstance(value, str):
        return text in value
    if isinstance(value, dict):
        return any(_contains(v, text) for v in value.values())
    if isinstance(value, list):
        return any(_contains(v, text) for v in value)
    return False


def _docx_text(content: bytes) -> str:
    document = docx.Document(BytesIO(content))
    cells = [c.text for t in document.tables for row in t.rows for c in row.cells]
    return "\n".join([p.text for p in document.paragraphs] + cells)


def test_every_text_field_takes_hostile_text_literally_or_names_it(api: Api) -> None:
    bodies = valid_bodies()
    tried = 0
    for method, path, field in _operations():
        assert (method, path) in bodies, f"add a valid body for {method.upper()} {path} to tests/bodies.py"
        for hostile in HOSTILE:
            body = copy.deepcopy(bodies[(method, path)])
            _set(body, field, hostile)
            url, engagement_id = _url(api, path)
            raw = json.dumps(body)  # \\ud800 stays an escape: the server must cope with it
            response = api.client.open(
                url,
                method=method.upper(),
                data=raw,
                headers={**api.headers, "Content-Type": "application/json"},
            )
            tried += 1
            where = (method, path, field, hostile[:40], response.status_code)
            assert response.status_code < 500, (where, response.json)
            if response.status_code >= 400:
                if "\ud800" in hostile:  # not text at all: the whole body is refused, as malformed
                    assert response.json["status"] == 400, (where, response.json)
                else:
                    assert field in response.json.get("errors", {}), (where, response.json)
                continue
            if _write_only(method, path, field):
                continue
            stored = response.json
            if not _contains(stored, hostile) and engagement_id is not None:
                stored = api.get(f"/v1/engagements/{engagement_id}/events").json
            assert _contains(stored, hostile), where
            for document in _documents_of(api, response.json):
                text = _docx_text(api.get(f"/v1/documents/{document['id']}/content").data)
                if field.startswith("client.") or field.startswith("data.subject"):
                    assert hostile.replace("\u200b", "") in text.replace("\u200b", ""), where
    assert tried >= 15 * len(HOSTILE)


def _url(api: Api, path: str) -> tuple[str, int | None]:
    """The path with fresh ids of each kind it names, and the engagement they belong to."""
    if "{" not in path:
        return path, None
    eid = api.create_engagement()["id"]
    ids = {"engagement_id": eid}
    if "{approval_id}" in path:
        ids["approval_id"] = api.post(f"/v1/engagements/{eid}/approvals", json={"item": "Post"}).json["id"]
    if "{endpoint_id}" in path:
        hook = valid_bodies()[("post", "/v1/webhook-endpoints")]
        ids["endpoint_id"] = api.post("/v1/webhook-endpoints", json=hook).json["id"]
    if "{message_id}" in path:
        api.fire(eid, "request_feedback", subject="Plan")
        mine = [m for m in api.get("/v1/messages?status=draft").json["items"] if m["engagement_id"] == eid]
        ids["message_id"] = mine[0]["id"]
    if "{item_id}" in path:
        api.fire(eid, "begin_offboarding", reason="mutual", explanation="Agreed by phone")
        ids["item_id"] = api.get(f"/v1/engagements/{eid}/handover").json[0]["id"]
    return path.format(**ids), eid


def _documents_of(api: Api, answer: dict[str, Any]) -> list[dict[str, Any]]:
    if "documents" in answer:
        return answer["documents"]
    if "client" in answer and "id" in answer:  # a new engagement: its contract
        return api.get(f"/v1/engagements/{answer['id']}/documents").json
    return []
