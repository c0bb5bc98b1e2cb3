"""Every free-text field of every write operation, fed legitimate and hostile text.

Legitimate text (``tests/hostile.py LEGITIMATE``) is taken, exactly 2xx, and stored and rendered
literally; other text is taken literally or refused with a 422 naming the field; never a 5xx.
Fields come from openapi.yaml, so a new field is covered the day it is added.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Iterator
from io import BytesIO
from typing import Any, NamedTuple

import docx

from service.domain.text import ONE_LINE_TEXT, XML_LEGAL_TEXT
from tests.bodies import valid_bodies
from tests.conftest import Api
from tests.hostile import LEGITIMATE, MAY_BE_REFUSED, SPEC, resolve


def _text_fields(schema: dict[str, Any], prefix: str = "") -> Iterator[str]:
    schema = resolve(schema)
    if schema.get("type") == "object" or "properties" in schema:
        for name, sub in schema.get("properties", {}).items():
            yield from _text_fields(sub, f"{prefix}.{name}" if prefix else name)
    elif schema.get("type") == "array":
        yield from _text_fields(schema["items"], f"{prefix}.0")
    elif (
        schema.get("type") == "string"
        and "enum" not in schema
        and "format" not in schema
        and schema.get("pattern") in (None, XML_LEGAL_TEXT, ONE_LINE_TEXT)
    ):
        yield prefix


def _write_only(method: str, path: str, field: str) -> bool:
    """A secret (a password) is taken but never shown again: there is nothing to read back."""
    schema: dict[str, Any] = SPEC["paths"][path][method]["requestBody"]["content"]["application/json"][
        "schema"
    ]
    for part in field.split("."):
        schema = resolve(schema)
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


# Fields that name one of the service's own things (a trigger, a document kind), not client text:
# anything but one of those names is refused, naming the field.
NAMES = frozenset({"trigger", "kind"})


class Targets:
    """Ids for one field's requests: one engagement shared by every write (its feedback request
    answered after each one the transition sweep makes), handover items taken one by one from an
    engagement in offboarding. An engagement per request made this the suite's slowest test."""

    def __init__(self, api: Api) -> None:
        self.api = api
        self.shared: int | None = None
        self.items: list[tuple[int, int]] = []
        self.seen: dict[int, int] = {}  # entries of each engagement's record before the next request

    def new_events(self, engagement_id: int | None) -> list[dict[str, Any]]:
        """The entries added since the last call for this engagement."""
        if engagement_id is None:
            return []
        events = self.api.get(f"/v1/engagements/{engagement_id}/events").json
        seen, self.seen[engagement_id] = self.seen.get(engagement_id, 0), len(events)
        return events[seen:]

    def url(self, path: str) -> tuple[str, int | None]:
        if "{" not in path:
            return path, None
        if "{item_id}" in path:
            if not self.items:
                eid = self.api.create_engagement()["id"]
                self.api.fire(eid, "begin_offboarding", reason="mutual", explanation="Agreed by phone")
                self.items = [(eid, i["id"]) for i in self.api.get(f"/v1/engagements/{eid}/handover").json]
                self.new_events(eid)
            eid, item_id = self.items.pop()
            return path.format(engagement_id=eid, item_id=item_id), eid
        if path.endswith("/termination-agreement/acceptance"):  # a fresh agreement each may sign
            eid = self.api.create_engagement()["id"]
            self.api.fire(eid, "begin_offboarding", reason="mutual", explanation="Agreed by phone")
            self.new_events(eid)
            return path.format(engagement_id=eid), eid
        if self.shared is None:
            self.shared = self.api.create_engagement()["id"]
            self.new_events(self.shared)
        ids = {"engagement_id": self.shared}
        if "{approval_id}" in path:
            approval = self.api.post(f"/v1/engagements/{self.shared}/approvals", json={"item": "Post"})
            ids["approval_id"] = approval.json["id"]
            self.new_events(self.shared)
        if "{payment_id}" in path:  # a fresh payment each time, so no request finds it reversed
            paid = {
                "amount": "1.00",
                "received_on": "2026-12-01",
                "reference": f"P{len(self.seen)}-{id(path)}",
            }
            made = self.api.post(
                f"/v1/engagements/{self.shared}/payments", json={**paid, "confirm_duplicate": True}
            )
            ids["payment_id"] = made.json["payment"]["id"]
            self.new_events(self.shared)
        if "{invoice_id}" in path:  # a fresh one-off invoice each time, so none is cancelled yet
            extra = {"description": "Extra", "amount": "5.00", "due_on": "2026-12-31"}
            ids["invoice_id"] = self.api.post(f"/v1/engagements/{self.shared}/invoices", json=extra).json[
                "id"
            ]
            self.new_events(self.shared)
        if "{endpoint_id}" in path:
            hook = valid_bodies()[("post", "/v1/webhook-endpoints")]
            ids["endpoint_id"] = self.api.post("/v1/webhook-endpoints", json=hook).json["id"]
        if "{amendment_id}" in path:  # a fresh proposal: each request may accept or withdraw it
            eid = self.api.create_engagement()["id"]
            proposal = {"monthly_fee": "1300.00", "effective_on": "2027-01-01"}
            self.api.patch(f"/v1/engagements/{eid}", json=proposal, headers={"If-Match": '"1"'})
            self.new_events(eid)
            return path.format(engagement_id=eid, amendment_id=1), eid
        if "{message_id}" in path:  # a fresh draft: each request may approve or discard it
            eid = self.api.create_engagement()["id"]
            self.api.fire(eid, "request_feedback", subject="Plan")
            drafts = self.api.get("/v1/messages?status=draft").json["items"]
            ids["message_id"] = next(m["id"] for m in drafts if m["engagement_id"] == eid)
            return path.format(**ids), eid
        return path.format(**ids), self.shared


# Each trigger input goes to a trigger that takes it (the workflow file says which), from the
# state that trigger needs: (trigger, the rest of its data, a trigger to fire first or None).
TRIGGER_FOR_INPUT = {
    "data.subject": ("request_feedback", {}, None),
    "data.summary": ("receive_feedback", {}, ("request_feedback", {"subject": "Plan"})),
    "data.explanation": ("begin_offboarding", {"reason": "mutual"}, None),
    "data.waiver_reason": ("waive_interest", {}, None),  # after a statement claimed the interest
}


def _send(targets: Targets, method: str, path: str, field: str, text: str) -> Sent:
    api = targets.api
    body = copy.deepcopy(valid_bodies()[(method, path)])
    url, engagement_id = targets.url(path)
    ending = False
    if path.endswith("/transitions") and field in TRIGGER_FOR_INPUT:
        trigger, data, first = TRIGGER_FOR_INPUT[field]
        body = {**body, "trigger": trigger, "data": data}
        ending = trigger == "begin_offboarding"
        if ending:  # the engagement leaves for good: a fresh one each time
            engagement_id = api.create_engagement()["id"]
            url = path.format(engagement_id=engagement_id)
            targets.new_events(engagement_id)
        if trigger == "waive_interest":  # the waiver takes the engagement's one claim: a fresh one
            engagement_id = api.create_engagement()["id"]
            url = path.format(engagement_id=engagement_id)
            api.post(f"/v1/engagements/{engagement_id}/documents", json={"kind": "statement"})
            targets.new_events(engagement_id)
        if first is not None:  # 409: a refused request left the engagement there already
            assert api.fire(engagement_id, first[0], **first[1]).status_code in (200, 409)
            targets.new_events(engagement_id)
    _set(body, field, text)
    raw = json.dumps(body)  # \\ud800 stays an escape: the server must cope with it
    headers = {**api.headers, "Content-Type": "application/json"}
    if method == "patch" and path == "/v1/engagements/{engagement_id}":  # name the version they saw
        headers["If-Match"] = api.get(url).headers["ETag"]
    response = api.client.open(url, method=method.upper(), data=raw, headers=headers)
    # A refused request writes nothing, so only an accepted one is looked for in the record.
    sent = Sent(response, targets.new_events(engagement_id) if response.status_code < 300 else [])
    if (
        path.endswith("/transitions")
        and response.status_code == 200
        and body["trigger"] == "request_feedback"
    ):
        assert api.fire(engagement_id, "receive_feedback").status_code == 200  # active again
        targets.new_events(engagement_id)
    return sent


class Sent(NamedTuple):
    response: Any
    new_events: list[dict[str, Any]]  # what the request added to the engagement's record


def _assert_kept_literally(api: Api, sent: Sent, method: str, path: str, field: str, text: str) -> None:
    if _write_only(method, path, field):
        return
    where = (field, text[:40])
    assert _contains(sent.response.json, text) or _contains(sent.new_events, text), where
    for document in _documents_of(api, method, sent.response.json):
        content = _docx_text(api.get(f"/v1/documents/{document['id']}/content").data)
        # The salutation greets in letters; it is no party detail the contract prints.
        if field != "client.contact_salutation" and field.startswith(("client.", "data.subject")):
            assert text.replace("\u200b", "") in content.replace("\u200b", ""), where


def test_every_operation_has_a_valid_body_to_start_from() -> None:
    bodies = valid_bodies()
    for method, path, _ in _operations():
        assert (method, path) in bodies, f"add a valid body for {method.upper()} {path} to tests/bodies.py"


def test_every_text_field_takes_legitimate_text_and_keeps_it_literally(api: Api) -> None:
    tried = 0
    for method, path, field in _operations():
        if field.rsplit(".", 1)[-1] in NAMES:
            continue
        targets = Targets(api)
        for text in LEGITIMATE:
            sent = _send(targets, method, path, field, text)
            where = (method, path, field, text, sent.response.json)
            assert sent.response.status_code in (200, 201), where
            _assert_kept_literally(api, sent, method, path, field, text)
            tried += 1
    assert tried >= 15 * len(LEGITIMATE)


def test_other_text_is_kept_literally_or_refused_naming_the_field(api: Api) -> None:
    for method, path, field in _operations():
        is_name = field.rsplit(".", 1)[-1] in NAMES
        targets = Targets(api)
        for text in MAY_BE_REFUSED + (LEGITIMATE if is_name else ()):
            sent = _send(targets, method, path, field, text)
            response = sent.response
            where = (method, path, field, text[:40], response.status_code, response.json)
            if response.status_code < 300:
                _assert_kept_literally(api, sent, method, path, field, text)
            elif "\ud800" in text:  # not text at all: the whole body is refused, as malformed
                assert response.status_code == 400, where
            elif is_name and response.status_code == 409:  # an unknown trigger (see test_transitions)
                assert field in response.json["errors"], where
            else:
                assert response.status_code == 422 and field in response.json["errors"], where


def _documents_of(api: Api, method: str, answer: dict[str, Any]) -> list[dict[str, Any]]:
    if "documents" in answer:
        return answer["documents"]
    if method == "post" and "client" in answer and "id" in answer:  # a new engagement: its contract
        return api.get(f"/v1/engagements/{answer['id']}/documents").json
    return []
