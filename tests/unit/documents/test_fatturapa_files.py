"""Every combination of an Italian invoice is written as FatturaPA and accepted by the vendored
official schema, itself pinned by sha256; text the schema cannot hold is transliterated or refused."""

from __future__ import annotations

import hashlib
import tomllib
import xml.etree.ElementTree as ET
from dataclasses import replace
from datetime import date
from decimal import Decimal as D

import a38.fattura
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from service.documents.fatturapa import schema, writer
from service.domain.errors import InvalidInput
from service.domain.tax import compute, profile_from

LIST = schema.HERE / "VENDORED.toml"
SUPPLIER = writer.Party(
    "Studio Bianchi", "Via Po 2, 10123 Torino (TO)", "IT01234567890", "BNCNNA80A41L219K", "tenant"
)
BUSINESS = writer.Party("Bottega Rossi S.r.l.", "Via Roma 1, 20121 Milano", "09876543210", "", "client")
PERSON = writer.Party("Giulia Rossi", "Via Roma 1\n20121 Milano (MI)", "", "RSSGLI85M41F205X", "client")
PROFILES = {
    "RF01": {"tax_regime": "RF01"},
    "RF01+INPS": {"tax_regime": "RF01", "pension_surcharge": {"fund": "INPS", "rate": "4.00"}},
    "RF01 no withholding": {"tax_regime": "RF01", "withholding": None},
    "RF01+cassa": {"tax_regime": "RF01", "pension_surcharge": {"fund": "TC04", "rate": "4.00"}},
    "RF19": {"tax_regime": "RF19"},
    "RF19+INPS": {"tax_regime": "RF19", "pension_surcharge": {"fund": "INPS", "rate": "4.00"}},
    "RF19 supplier stamp": {"tax_regime": "RF19", "stamp_duty": "supplier"},
}


def _invoice(profile: str, client: writer.Party, fee: str, sdi: str = "", pec: str = "") -> writer.Invoice:
    tax = profile_from(PROFILES[profile])
    return writer.Invoice(
        number="2026-0007",
        issued_on=date(2026, 12, 1),
        due_on=date(2026, 12, 31),
        description="Piano editoriale Instagram, dicembre 2026",
        currency="EUR",
        progressive="0000A",
        sdi_code=sdi,
        pec=pec,
        iban="IT60X0542811101000000123456",
        supplier=SUPPLIER,
        client=client,
        profile=tax,
        lines=compute(tax, D(fee), client_has_vat_number=bool(client.vat_number)),
    )


def _text(document: bytes, path: str) -> list[str]:
    root = ET.fromstring(document)
    return [element.text or "" for element in root.iterfind(path)]


def test_the_vendored_schemas_have_their_pinned_sha256() -> None:
    listed = {name: entry["sha256"] for name, entry in tomllib.loads(LIST.read_text())["files"].items()}
    present = {p.name for p in schema.HERE.glob("*.xsd")}
    assert set(listed) == present
    assert {name: hashlib.sha256((schema.HERE / name).read_bytes()).hexdigest() for name in listed} == listed


@pytest.mark.parametrize("profile", PROFILES)
@pytest.mark.parametrize("client", [BUSINESS, PERSON], ids=["business", "private"])
@pytest.mark.parametrize("fee", ["50.00", "1000.00"], ids=["below-77.47", "above-77.47"])
@pytest.mark.parametrize(
    "routing", [("ABC1234", ""), ("", "rossi@pec.example.it"), ("", "")], ids=["sdi", "pec", "none"]
)
def test_every_combination_is_valid_against_the_official_schema(
    profile: str, client: writer.Party, fee: str, routing: tuple[str, str]
) -> None:
    document = writer.render(_invoice(profile, client, fee, *routing))
    assert schema.problems(document) == []


def test_the_ordinary_business_file_carries_withholding_cassa_and_the_payable_amount() -> None:
    document = writer.render(_invoice("RF01+INPS", BUSINESS, "1000.00", sdi="ABC1234"))
    general = "FatturaElettronicaBody/DatiGenerali/DatiGeneraliDocumento"
    assert _text(document, f"{general}/DatiRitenuta/ImportoRitenuta") == ["208.00"]
    assert _text(document, f"{general}/DatiCassaPrevidenziale/ImportoContributoCassa") == ["40.00"]
    # The INPS rivalsa is part of the compensation withheld on (docs/legal.md): Ritenuta SI.
    assert _text(document, f"{general}/DatiCassaPrevidenziale/Ritenuta") == ["SI"]
    assert _text(document, f"{general}/ImportoTotaleDocumento") == ["1268.80"]
    assert _text(document, "FatturaElettronicaBody/DatiBeniServizi/DatiRiepilogo/Imposta") == ["228.80"]
    payment = "FatturaElettronicaBody/DatiPagamento/DettaglioPagamento"
    assert _text(document, f"{payment}/ImportoPagamento") == ["1060.80"]
    assert _text(document, f"{payment}/ModalitaPagamento") == ["MP05"]
    assert _text(document, "FatturaElettronicaHeader/DatiTrasmissione/CodiceDestinatario") == ["ABC1234"]


def test_an_invoice_issued_withholding_on_the_fee_alone_keeps_saying_so() -> None:
    invoice = _invoice("RF01+INPS", BUSINESS, "1000.00", sdi="ABC1234")
    # Lines stored before the rivalsa was withheld on: 200.00 on the fee alone.
    earlier = replace(invoice, lines=replace(invoice.lines, withholding=D("200.00"), payable=D("1068.80")))
    document = writer.render(earlier)
    general = "FatturaElettronicaBody/DatiGenerali/DatiGeneraliDocumento"
    assert _text(document, f"{general}/DatiCassaPrevidenziale/Ritenuta") == []
    assert _text(document, f"{general}/DatiRitenuta/ImportoRitenuta") == ["200.00"]


def test_a_professional_funds_contribution_is_not_withheld_on() -> None:
    document = writer.render(_invoice("RF01+cassa", BUSINESS, "1000.00", sdi="ABC1234"))
    general = "FatturaElettronicaBody/DatiGenerali/DatiGeneraliDocumento"
    # By hand: 1,000 + cassa 4 % 40.00; VAT 228.80; total 1,268.80; withholding 20 % of the fee
    # alone 200.00 (a cassa's contribution is not compensation); payable 1,068.80.
    assert _text(document, f"{general}/DatiCassaPrevidenziale/TipoCassa") == ["TC04"]
    assert _text(document, f"{general}/DatiCassaPrevidenziale/Ritenuta") == []
    assert _text(document, f"{general}/DatiRitenuta/ImportoRitenuta") == ["200.00"]
    payment = "FatturaElettronicaBody/DatiPagamento/DettaglioPagamento"
    assert _text(document, f"{payment}/ImportoPagamento") == ["1068.80"]
    assert schema.problems(document) == []


def test_the_flat_rate_file_has_nature_n2_2_its_legal_reference_and_the_virtual_stamp() -> None:
    document = writer.render(_invoice("RF19", PERSON, "1000.00", pec="rossi@pec.example.it"))
    summary = "FatturaElettronicaBody/DatiBeniServizi/DatiRiepilogo"
    assert _text(document, f"{summary}/Natura") == ["N2.2", "N1"]
    assert _text(document, f"{summary}/RiferimentoNormativo")[0] == writer.FLAT_RATE_REFERENCE
    assert _text(
        document, "FatturaElettronicaBody/DatiGenerali/DatiGeneraliDocumento/DatiBollo/BolloVirtuale"
    ) == ["SI"]
    assert _text(document, "FatturaElettronicaHeader/DatiTrasmissione/CodiceDestinatario") == ["0000000"]
    assert _text(document, "FatturaElettronicaHeader/DatiTrasmissione/PECDestinatario") == [
        "rossi@pec.example.it"
    ]
    assert _text(document, "FatturaElettronicaBody/DatiPagamento/DettaglioPagamento/ImportoPagamento") == [
        "1002.00"
    ]


def test_a_flat_rate_file_below_the_threshold_has_no_stamp() -> None:
    document = writer.render(_invoice("RF19", PERSON, "50.00"))
    assert _text(document, "FatturaElettronicaBody/DatiGenerali/DatiGeneraliDocumento/DatiBollo") == []


def test_typographic_punctuation_and_accents_are_transliterated() -> None:
    client = replace(BUSINESS, name="L\u2019Officina \u201cdi\u201d Wojciech Ko\u0107 \u2013 s.r.l.")
    document = writer.render(_invoice("RF01", client, "100.00"))
    assert schema.problems(document) == []
    assert _text(
        document, "FatturaElettronicaHeader/CessionarioCommittente/DatiAnagrafici/Anagrafica/Denominazione"
    ) == ['L\'Officina "di" Wojciech Koc - s.r.l.']


@pytest.mark.parametrize(
    ("party", "field"),
    [
        (replace(BUSINESS, name="Bottega \U0001f355 Rossi"), "client.name"),
        (replace(BUSINESS, name="\u5317\u4eac\u6709\u9650\u516c\u53f8"), "client.name"),
        (replace(BUSINESS, address="Via \u0141odzka 1\x07, 20121 Milano"), "client.address"),
        (replace(BUSINESS, address="somewhere in Milan"), "client.address"),
        (replace(BUSINESS, name=" \t "), "client.name"),
        (replace(BUSINESS, vat_number="", tax_code=""), "client.tax_code"),
    ],
)
def test_text_the_schema_cannot_hold_is_refused_naming_the_field(party: writer.Party, field: str) -> None:
    with pytest.raises(InvalidInput) as refused:
        writer.render(_invoice("RF01", party, "100.00"))
    assert list(refused.value.errors) == [field]


def test_markup_in_a_name_stays_text() -> None:
    client = replace(BUSINESS, name="Rossi </Denominazione><x> & Co")
    document = writer.render(_invoice("RF01", client, "100.00"))
    assert schema.problems(document) == []
    assert "Rossi </Denominazione><x> & Co" in _text(
        document, "FatturaElettronicaHeader/CessionarioCommittente/DatiAnagrafici/Anagrafica/Denominazione"
    )


@settings(max_examples=150, deadline=None)
@given(name=st.text(min_size=1, max_size=90), address_line=st.text(min_size=1, max_size=40))
def test_any_name_or_street_gives_a_valid_file_or_a_refusal_naming_its_field(
    name: str, address_line: str
) -> None:
    client = replace(BUSINESS, name=name, address=f"{address_line}, 20121 Milano")
    try:
        document = writer.render(_invoice("RF19", client, "100.00"))
    except InvalidInput as refused:
        assert set(refused.errors) <= {"client.name", "client.address"}
        return
    assert schema.problems(document) == []


def test_the_schema_check_refuses_a_file_missing_a_required_element() -> None:
    document = writer.render(_invoice("RF01", BUSINESS, "100.00"))
    tampered = document.replace(b"<RegimeFiscale>RF01</RegimeFiscale>", b"")
    assert any("RegimeFiscale" in problem for problem in schema.problems(tampered))


@pytest.mark.parametrize("profile", PROFILES)
@pytest.mark.parametrize("client", [BUSINESS, PERSON], ids=["business", "private"])
def test_a_well_kept_reader_reads_each_file_back_to_the_same_totals(
    profile: str, client: writer.Party
) -> None:
    invoice = _invoice(profile, client, "1000.00")
    read = a38.fattura.auto_from_etree(ET.fromstring(writer.render(invoice)))
    general = read.fattura_elettronica_body[0].dati_generali.dati_generali_documento
    payment = read.fattura_elettronica_body[0].dati_pagamento[0].dettaglio_pagamento[0]
    withheld = sum((r.importo_ritenuta for r in general.dati_ritenuta), D("0.00"))
    assert type(read).__name__ == "FatturaPrivati12"
    assert (general.importo_totale_documento, payment.importo_pagamento, withheld) == (
        invoice.lines.total_document,
        invoice.lines.payable,
        invoice.lines.withholding,
    )
