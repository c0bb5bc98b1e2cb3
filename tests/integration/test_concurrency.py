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
    # No If-Match was sent, so no precondition can fail: the others find the feedback received.
    assert counts == Counter({200: 1, 409: 11}), counts
    events = api.get(f"/v1/engagements/{e['id']}/events").json
    assert [ev["payload"].get("trigger") for ev in events].count("receive_feedback") == 1
    assert api.get(f"/v1/engagements/{e['id']}/events/verify").json["valid"] is True


def test_twelve_simultaneous_writes_with_one_if_match_apply_once(app: Flask, api: Api) -> None:
    """A reflexive trigger could apply twelve times; If-Match makes the client's intent once."""
    e = api.create_engagement()
    path = f"/v1/engagements/{e['id']}/transitions"
    body = {"trigger": "request_feedback", "data": {"subject": "Plan"}}
    statuses = post_together(app, 12, path, body, {**api.headers, "If-Match": f'"{e["version"]}"'})
    # The writers queue on the engagement's lock: the first applies, the others find a newer version.
    assert Counter(statuses) == Counter({200: 1, 412: 11}), statuses
    assert api.get(f"/v1/engagements/{e['id']}").json["version"] == e["version"] + 1
