"""Each sending of a FatturaPA file has its own progressivo: five characters [0-9A-Za-z], never
another file's, not even compared without case."""

from __future__ import annotations

import re

import pytest

from service.application.fatturapa import MOST_SENDINGS, RESENT_IDS, progressive
from service.domain.errors import InvalidInput
from service.domain.sdi import CREDIT_NOTE, INVOICE

IDS = [1, 35, 36, 61, 62, 1295, 46655, RESENT_IDS - 1]


def test_every_sending_of_every_file_has_its_own_name_in_any_case() -> None:
    names = [
        progressive(invoice_id, document, sending)
        for invoice_id in IDS
        for document in (INVOICE, CREDIT_NOTE)
        for sending in range(MOST_SENDINGS + 1)
    ]
    assert all(re.fullmatch(r"[0-9A-Za-z]{5}", name) for name in names)
    assert len({name.casefold() for name in names}) == len(names)
    # The first sending keeps the name files already went under.
    assert (progressive(1), progressive(1, CREDIT_NOTE)) == ("00001", "I0001")
    assert (progressive(1, INVOICE, 1), progressive(1, CREDIT_NOTE, 1)) == ("a0001", "b0001")


def test_past_the_series_a_file_is_refused_not_renamed_into_another() -> None:
    with pytest.raises(InvalidInput):
        progressive(1, INVOICE, MOST_SENDINGS + 1)
    with pytest.raises(InvalidInput):
        progressive(RESENT_IDS, INVOICE, 1)
