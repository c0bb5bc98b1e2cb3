"""Every kind of SdI receipt is read from the XML an intermediary hands over; what is not one is
refused naming the field (the API tests send the same files through the upload)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from service.documents.fatturapa.messages import parse
from service.domain.errors import InvalidInput
from tests.unit.documents import sdi_samples as samples

NAME = "IT01234567890_00001.xml"


@pytest.mark.parametrize(
    ("data", "kind", "status"),
    [
        (samples.delivered(NAME, "111"), "RC", "delivered"),
        (samples.rejected(NAME, "111"), "NS", "rejected"),
        (samples.not_delivered(NAME, "111"), "MC", "not_delivered"),
        (samples.outcome(NAME, "111", "EC01"), "NE", "accepted"),
        (samples.outcome(NAME, "111", "EC02"), "NE", "refused"),
        (samples.terms_expired(NAME, "111"), "DT", "terms_expired"),
        (samples.attested(NAME, "111"), "AT", "transmission_attested"),
    ],
)
def test_each_receipt_is_read_with_its_status(data: bytes, kind: str, status: str) -> None:
    receipt = parse(data)
    assert (receipt.kind, receipt.status, receipt.identifier, receipt.file_name) == (
        kind,
        status,
        "111",
        NAME,
    )


def test_a_delivery_is_dated_when_delivered_and_a_rejection_lists_its_errors() -> None:
    assert parse(samples.delivered(NAME, "1")).at == datetime(2026, 12, 1, 9, 14, 41, tzinfo=UTC)
    errors = parse(samples.rejected(NAME, "1")).errors
    assert [code for code, _ in errors] == ["00404", "00423"]
    assert errors[1][1].startswith("2.2.1.11 <PrezzoTotale> non calcolato")


def test_an_outcome_other_than_ec01_or_ec02_is_refused_naming_it() -> None:
    with pytest.raises(InvalidInput) as refused:
        parse(samples.outcome(NAME, "1", "EC03"))
    assert list(refused.value.errors) == ["EsitoCommittente.Esito"]


def test_a_billion_laughs_is_refused_before_parsing() -> None:
    bomb = (
        b'<?xml version="1.0"?><!DOCTYPE l [<!ENTITY a "ha">'
        + b"".join(b'<!ENTITY a%d "&a%d;&a%d;">' % (i + 1, i, i) for i in range(30))
        + b"]><l>&a30;</l>"
    )
    with pytest.raises(InvalidInput) as refused:
        parse(bomb)
    assert [said.key for said in refused.value.errors["file"]] == ["sdi.declarations"]
