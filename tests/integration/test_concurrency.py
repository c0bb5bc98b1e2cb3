"""Simultaneous requests for one transition apply exactly once, on both backends."""

from __future__ import annotations

from collections import Counter

from flask import Flask

from tests.conftest import Api, post_together


def test_twelve_simultaneous_transitions_apply_exactly_once(app: Flask, api: Api) -> None:
    e = api.create_engagement()
    api.fire(e["id"], "request_feedback", subject="Plan")
    path = f"/v1/engagements/{e['id']}/transitions"
    counts = Counter(post_together(app, 12, path, {"trigger": "receive_feedback"}, api.headers))
    assert counts[200] == 1, counts
    assert counts[200] + counts[409] + counts[412] == 12, counts
    events = api.get(f"/v1/engagements/{e['id']}/events").json
    assert [ev["payload"].get("trigger") for ev in events].count("receive_feedback") == 1
    assert api.get(f"/v1/engagements/{e['id']}/events/verify").json["valid"] is True


def test_twelve_simultaneous_writes_with_one_if_match_apply_once(app: Flask, api: Api) -> None:
    """A reflexive trigger could apply twelve times; If-Match makes the client's intent once."""
    e = api.create_engagement()
    path = f"/v1/engagements/{e['id']}/transitions"
    body = {"trigger": "request_feedback", "data": {"subject": "Plan"}}
    statuses = post_together(app, 12, path, body, {**api.headers, "If-Match": f'"{e["version"]}"'})
    assert Counter(statuses)[200] == 1, statuses
    assert set(statuses) <= {200, 409, 412}
