"""The hash chain: every alteration, deletion or reordering is caught and located."""

from __future__ import annotations

from datetime import timedelta

import pytest

from service.domain import record
from service.domain.model import Engagement, Event
from tests.unit.builders import NOW, engagement


def chain(count: int) -> tuple[Engagement, list[Event]]:
    e = engagement()
    events = [
        record.append(e, "transition", {"n": i, "note": "è ✓"}, NOW + timedelta(minutes=i))
        for i in range(count)
    ]
    return e, events


def test_each_entry_links_to_the_previous_hash() -> None:
    e, events = chain(3)
    assert events[0].prev_hash == record.GENESIS
    assert [ev.prev_hash for ev in events[1:]] == [ev.hash for ev in events[:-1]]
    assert (e.record_seq, e.record_head) == (3, events[-1].hash)


def test_hash_is_sha256_of_previous_hash_and_canonical_content() -> None:
    """A fixed test vector, computed once by hand with hashlib over the text below, so another hash
    function or another canonical form (key order, separators, escaped non-ASCII, the timestamp's
    form) fails here instead of agreeing with itself:

        sha256("5f" * 32 + '{"engagement_id":7,"occurred_at":"2026-12-01T09:00:00Z",'
               '"payload":{"client":"Rossi & Figli — Café","fee":"1200.00"},"seq":1,'
               '"type":"engagement_created"}')
    """
    e = engagement(id=7, record_head="5f" * 32)
    payload = {"fee": "1200.00", "client": "Rossi & Figli — Café"}
    event = record.append(e, "engagement_created", payload, NOW)
    assert event.prev_hash == "5f" * 32
    assert event.hash == "348f05aad9b771df26e9296605c85577cf858a3bbe21e50dcedb7eb137b12872"


def test_an_entry_type_the_published_enum_does_not_list_is_refused() -> None:
    """Generated clients reject a type outside the OpenAPI enum: the record never writes one."""
    e = engagement()
    with pytest.raises(ValueError, match="WRITTEN_TYPES"):
        record.append(e, "invented_type", {}, NOW)
    assert (e.record_seq, e.record_head) == (0, "")


def test_an_intact_chain_verifies() -> None:
    e, events = chain(5)
    result = record.verify(events, e)
    assert (result.valid, result.count, result.head) == (True, 5, events[-1].hash)


def test_altered_payload_is_named() -> None:
    e, events = chain(5)
    events[2].payload = {"n": 99}
    result = record.verify(events, e)
    assert (result.valid, result.first_broken_seq) == (False, 3)
    assert result.problem == "entry 3 was altered after it was written"


@pytest.mark.parametrize("position", [0, 2])
def test_deleted_entry_is_named(position: int) -> None:
    e, events = chain(4)
    del events[position]
    result = record.verify(events, e)
    assert (result.valid, result.first_broken_seq) == (False, position + 1)


def test_deleted_last_entry_is_caught_by_the_engagement_head() -> None:
    e, events = chain(4)
    result = record.verify(events[:-1], e)
    assert (result.valid, result.first_broken_seq, result.problem) == (
        False,
        4,
        "entry 4 is missing",
    )


def test_reordered_entries_are_caught() -> None:
    e, events = chain(4)
    events[1], events[2] = events[2], events[1]
    result = record.verify(events, e)
    assert (result.valid, result.first_broken_seq) == (False, 2)


def test_an_entry_whose_link_was_rewritten_is_named() -> None:
    """Its own hash still matches its content (the link is not part of it): only the link check
    sees that it no longer points at the entry before it."""
    e, events = chain(3)
    events[1].prev_hash = "ab" * 32
    result = record.verify(events, e)
    assert (result.valid, result.first_broken_seq) == (False, 2)
    assert result.problem == "entry 2 does not link to the entry before it"
