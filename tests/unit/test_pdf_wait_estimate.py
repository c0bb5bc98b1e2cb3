"""Retry-After on a pending PDF: the jobs ahead of it and itself, each at the recent median."""

from __future__ import annotations

from service.domain.pdfs import POLL_SECONDS, expected_wait


def test_before_any_conversion_is_known_each_job_counts_one_poll() -> None:
    assert expected_wait(0, []) == POLL_SECONDS
    assert expected_wait(4, []) == 5 * POLL_SECONDS


def test_the_jobs_ahead_and_this_one_at_the_median() -> None:
    assert expected_wait(2, [4.0, 3.0, 5.0]) == 12  # three jobs at 4 s


def test_one_slow_document_does_not_move_it_and_rounds_up() -> None:
    assert expected_wait(1, [0.4, 0.4, 0.5, 90.0]) == 1  # two jobs at 0.45 s: 0.9 s, so 1
    assert expected_wait(2, [0.4, 0.4, 0.5, 90.0]) == 2  # 1.35 s


def test_never_less_than_a_second() -> None:
    assert expected_wait(0, [0.01]) == 1
