"""When a failed webhook delivery is tried again (domain.webhooks.judge)."""

from __future__ import annotations

import random
from datetime import timedelta

import pytest

from service.domain.webhooks import RETRY_SCHEDULE, Answer, judge
from tests.unit.builders import NOW


@pytest.mark.parametrize("code", [429, 503])
def test_a_retry_after_within_a_day_is_waited_exactly(code: int) -> None:
    verdict = judge(Answer(code, 20, retry_after=timedelta(hours=3)), 1, NOW)
    assert (verdict.succeeded, verdict.next_attempt_at) == (False, NOW + timedelta(hours=3))


@pytest.mark.parametrize("code", [429, 503])
def test_a_receiver_asking_for_more_than_24_hours_is_tried_again_after_24(code: int) -> None:
    verdict = judge(Answer(code, 20, retry_after=timedelta(days=30)), 1, NOW)
    assert verdict.next_attempt_at == NOW + timedelta(hours=24)


def test_without_retry_after_the_schedule_applies_with_jitter() -> None:
    verdict = judge(Answer(500, 20), 2, NOW, random.Random(7))
    assert verdict.next_attempt_at is not None
    delay = verdict.next_attempt_at - NOW
    assert RETRY_SCHEDULE[2] * 0.9 <= delay <= RETRY_SCHEDULE[2] * 1.1
