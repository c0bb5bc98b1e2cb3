"""The message lifecycle, every status against every action: a new status or action, or a move
the table below does not expect, fails here by name."""

from __future__ import annotations

import re

import pytest

from service.config import ROOT
from service.domain.errors import Conflict
from service.domain.messages import LIFECYCLE, STATUSES, Message
from tests.unit.builders import NOW

ACTIONS = ("edit", "approve", "discard", "mark_sent", "claim", "hand_over", "retry", "fail", "add_receipt")
_ = None  # refused: 409, the status stays
# Where each action leads from each status, written out by hand (not derived from LIFECYCLE).
EXPECTED: dict[str, tuple[str | None, ...]] = {
    #             edit     approve     discard      mark_sent claim      hand_over retry       fail      add_receipt
    "draft":     ("draft", "approved", "discarded", "sent",   _,         _,        _,          _,        _),
    "approved":  (_,       _,          "discarded", "sent",   "sending", _,        _,          _,        _),
    "sending":   (_,       _,          _,           _,        _,         "sent",   "approved", "failed", _),
    "sent":      (_,       _,          _,           _,        _,         _,        _,          _,        "sent"),
    "failed":    (_,       "approved", "discarded", "sent",   _,         _,        _,          _,        _),
    "discarded": (_,       _,          _,           _,        _,         _,        _,          _,        _),
}  # fmt: skip
PAIRS = [(status, action) for status in EXPECTED for action in ACTIONS]


def message(status: str) -> Message:
    return Message(1, 1, 1, "email", ["a@example.com"], "Subject", "Body", NOW, "<1@x>", status=status)


def test_the_table_covers_every_status_and_every_action() -> None:
    assert set(EXPECTED) == set(STATUSES), "a status has no row here"
    assert set(ACTIONS) == set(LIFECYCLE), "an action has no column here"
    assert all(move.dest in STATUSES and move.sources <= set(STATUSES) for move in LIFECYCLE.values())


@pytest.mark.parametrize(("status", "action"), PAIRS)
def test_each_action_from_each_status(status: str, action: str) -> None:
    dest = EXPECTED[status][ACTIONS.index(action)]
    m = message(status)
    if dest is None:
        with pytest.raises(Conflict, match=f"^This message is {status}; only a "):
            m.move(action)
        assert m.status == status
    else:
        m.move(action)
        assert m.status == dest


def test_a_sent_message_cannot_be_approved_again_so_it_is_never_sent_twice() -> None:
    m = message("sent")
    with pytest.raises(
        Conflict, match=r"^This message is sent; only a draft or failed message can be approved"
    ):
        m.approve(NOW)
    assert (m.status, m.next_attempt_at) == ("sent", None)


def test_a_sent_message_cannot_be_discarded() -> None:
    m = message("sent")
    with pytest.raises(Conflict, match="only a draft or approved or failed message can be discarded"):
        m.discard("changed my mind")
    assert (m.status, m.reason) == ("sent", None)


def test_no_code_outside_the_domain_sets_a_message_status_by_hand() -> None:
    """Every change goes through Message.move, so the table above is the whole lifecycle."""
    assignment = re.compile(r"\b(message|stored|m)\.status\s*=[^=]")
    found = [
        f"{path.relative_to(ROOT)}:{number}"
        for path in sorted((ROOT / "service").rglob("*.py"))
        if path.name != "messages.py" or path.parent.name != "domain"
        for number, line in enumerate(path.read_text("utf-8").splitlines(), start=1)
        if assignment.search(line)
    ]
    assert found == []
