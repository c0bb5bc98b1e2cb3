"""The tax profile through PATCH /v1/tenant, and an invoice's FatturaPA file through the API:
named as SdI names it, validated before it is served, 422 naming the field when it cannot be."""

from __future__ import annotations

from tests.conftest import Api, engagement_body

PROFILE = {"tax_regime": "RF01", "pension_surcharge": {"fund": "INPS", "rate": "4.00"}}


def _italian(api: Api) -> None:
    changes = {
        "vat_number": "IT01234567890",
        "tax_code": "BNCNNA80A41L219K",
        "iban": "IT60X0542811101000000123456",
    }
    response = api.patch(
        "/v1/tenant", json={**changes, "address": "Via Po 2, 10123 Torino (TO)", "tax_profile": PROFILE}
    )
    assert response.status_code == 200, response.json


def _first_invoice(api: Api, client: dict[str, str]) -> tuple[int, int]:
    body = engagement_body()
    body["client"] = {**body["client"], **client}
    eid = api.post("/v1/engagements", json=body).json["id"]
    return eid, api.get(f"/v1/engagements/{eid}/invoices").json[0]["id"]


def test_the_profile_is_stored_with_its_defaults(api: Api) -> None:
    _italian(api)
    profile = api.get("/v1/tenant").json["tax_profile"]
    assert profile == {
        **PROFILE,
        "vat_rate": "22.00",
        "withholding": {"rate": "20.00"},
        "stamp_duty": "client",
    }


def test_a_flat_rate_profile_with_vat_is_refused_naming_the_field(api: Api) -> None:
    response = api.patch("/v1/tenant", json={"tax_profile": {"tax_regime": "RF19", "vat_rate": "22"}})
    assert response.status_code == 422
    assert list(response.json["errors"]) == ["tax_profile.vat_rate"]
    assert api.get("/v1/tenant").json["tax_profile"] is None


def test_an_invoice_downloads_as_a_valid_named_fatturapa_file(api: Api) -> None:
    _italian(api)
    eid, iid = _first_invoice(api, {"vat_number": "09876543210", "sdi_code": "ABC1234"})
    response = api.get(f"/v1/engagements/{eid}/invoices/{iid}/fatturapa")
    assert response.status_code == 200
    assert response.mimetype == "application/xml"
    assert f'filename="IT01234567890_{iid:05d}.xml"' in response.headers["Content-Disposition"]
    # 1,200 + 4 % = 1,248; VAT 274.56; total 1,522.56; withholding 240.00; payable 1,282.56.
    assert b"<ImportoTotaleDocumento>1522.56</ImportoTotaleDocumento>" in response.data
    assert b"<ImportoPagamento>1282.56</ImportoPagamento>" in response.data


def test_a_client_without_tax_code_or_vat_number_is_422_naming_it(api: Api) -> None:
    _italian(api)
    eid, iid = _first_invoice(api, {})
    response = api.get(f"/v1/engagements/{eid}/invoices/{iid}/fatturapa")
    assert response.status_code == 422
    assert list(response.json["errors"]) == ["client.tax_code"]
    assert "codice fiscale" in response.json["errors"]["client.tax_code"][0]


def test_an_account_without_a_tax_profile_gets_no_file(api: Api) -> None:
    eid, iid = _first_invoice(api, {"vat_number": "09876543210"})
    response = api.get(f"/v1/engagements/{eid}/invoices/{iid}/fatturapa")
    assert response.status_code == 422
    assert list(response.json["errors"]) == ["tenant.tax_profile"]
