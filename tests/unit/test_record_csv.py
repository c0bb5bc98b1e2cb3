"""Spreadsheet cells that would run as formulas are neutralised (OWASP CSV injection)."""

from __future__ import annotations

import pytest

from service.application.record_csv import neutralised


@pytest.mark.parametrize(
    ("cell", "shown"),
    [
        ("=1+2", "'=1+2"),
        ("+1+2", "'+1+2"),
        ("-1+2", "'-1+2"),
        ("@SUM(A1:A2)", "'@SUM(A1:A2)"),
        ("\t=1", "'\t=1"),
        ("\r=1", "'\r=1"),
        ("-100.00", "-100.00"),  # a plain number is no formula
        ("Piano = ok", "Piano = ok"),
        ("", ""),
    ],
)
def test_cells_that_a_spreadsheet_would_evaluate_get_an_apostrophe(cell: str, shown: str) -> None:
    assert neutralised(cell) == shown
