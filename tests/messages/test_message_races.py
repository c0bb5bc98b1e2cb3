"""Message actions are serialised on both backends (issue 31, finding 4).

On PostgreSQL a message read before its row lock kept the status it had then: 6 of 12
simultaneous approves answered 200, and an e-mail left after every discard had answered 200.
Real threads against the real database and a real SMTP server (aiosmtpd).
"""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Callable
from typing import Any

from flask import Flask

from service.adapters.mail import SmtpMailer
from service.application.mailing import send_due
from service.application.runtime import Runtime
from tests.conftest import Api, post_together
from tests.messages.conftest import Inbox, ready_to_send


def _draft(api: Api) -> tuple[int, int]:
    engagement = api.create_engagement()
    assert api.fire(engagement["id"], "request_feedback", subject="Plan").status_code == 200
    drafts = api.get("/v1/messages?status=draft").json["items"]
    return engagement["id"], next(m["id"] for m in drafts if m["engagement_id"] == engagement["id"])


def _entries(api: Api, engagement_id: int, type_: str) -> list[dict[str, Any]]:
    return [e for e in api.get(f"/v1/engagements/{engagement_id}/events").json if e["type"] == type_]


def test_exactly_one_of_twelve_simultaneous_approves_answers_200(app: Flask, api: Api) -> None:
    ready_to_send(api)
    engagement_id, message_id = _draft(api)
    statuses = post_together(app, 12, f"/v1/messages/{message_id}/approve", {}, api.headers)
    assert Counter(statuses) == Counter({200: 1, 409: 11}), statuses
    assert len(_entries(api, engagement_id, "message_approved")) == 1
    assert api.get(f"/v1/engagements/{engagement_id}/events/verify").json["valid"] is True


def _together(*actions: Callable[[], Any]) -> list[Any]:
    """Run each action on its own thread, released at once; their results in order."""
    start = threading.Barrier(len(actions))
    results: list[Any] = [None] * len(actions)

    def run(n: int) -> None:
        start.wait()
        results[n] = actions[n]()

    threads = [threading.Thread(target=run, args=(n,)) for n in range(len(actions))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


def test_a_discard_that_answered_200_means_the_message_is_never_sent(
    app: Flask, runtime: Runtime, api: Api, plain_smtp: tuple[Inbox, SmtpMailer]
) -> None:
    inbox, mailer = plain_smtp
    ready_to_send(api)
    for _round in range(10):
        engagement_id, message_id = _draft(api)
        assert api.post(f"/v1/messages/{message_id}/approve").status_code == 200
        sent_before = len(inbox.received)

        def discard(path: str = f"/v1/messages/{message_id}/discard") -> int:
            client = app.test_client()
            return client.post(path, json={"reason": "Wrong client"}, headers=api.headers).status_code

        results = _together(lambda: send_due(runtime, mailer), *[discard] * 6)
        discards = Counter(results[1:])
        assert set(discards) <= {200, 409}, discards
        message = api.get(f"/v1/messages/{message_id}").json
        if discards[200]:
            assert discards[200] == 1, discards
            assert message["status"] == "discarded"
            assert len(inbox.received) == sent_before, "sent after a discard answered 200"
            assert send_due(runtime, mailer) == 0 and len(inbox.received) == sent_before
        else:
            assert message["status"] == "sent"
            assert len(inbox.received) == sent_before + 1
            assert len(_entries(api, engagement_id, "message_sent")) == 1
