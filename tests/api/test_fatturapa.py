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
    # 1,200 + 4 % = 1,248; VAT 274.56; total 1,522.56; withholding 20 % of 1,248 249.60; payable 1,272.96.
    assert b"<ImportoTotaleDocumento>1522.56</ImportoTotaleDocumento>" in response.data
    assert b"<ImportoPagamento>1272.96</ImportoPagamento>" in response.data


def test_a_client_without_tax_code_or_vat_number_is_422_naming_it_at_creation(api: Api) -> None:
    _italian(api)
    status, errors = _create(api, {})
    assert (status, list(errors)) == (422, ["client.tax_code"])
    assert "codice fiscale" in errors["client.tax_code"][0]


def test_an_account_without_a_tax_profile_gets_no_file(api: Api) -> None:
    eid, iid = _first_invoice(api, {"vat_number": "09876543210"})
    response = api.get(f"/v1/engagements/{eid}/invoices/{iid}/fatturapa")
    assert response.status_code == 422
    assert list(response.json["errors"]) == ["tenant.tax_profile"]


def _create(api: Api, client: dict[str, str]) -> tuple[int, dict[str, list[str]]]:
    body = engagement_body()
    body["client"] = {**body["client"], **client}
    response = api.post("/v1/engagements", json=body)
    return response.status_code, (response.json or {}).get("errors", {})


def test_a_client_that_cannot_make_a_valid_invoice_is_refused_at_creation(api: Api) -> None:
    _italian(api)
    # A name outside the schema's Latin range; then a business with no way for SdI to reach it.
    status, errors = _create(api, {"name": "Студия Петров", "tax_code": "RSSGLI85M41F205X"})
    assert (status, list(errors)) == (422, ["client.name"])
    status, errors = _create(api, {"vat_number": "09876543210"})
    assert (status, list(errors)) == (422, ["client.sdi_code"])
    assert "PEC" in errors["client.sdi_code"][0]
    assert api.get("/v1/engagements").json["items"] == []  # nothing was made
    assert _create(api, {"vat_number": "09876543210", "pec": "rossi@pec.example.it"})[0] == 201
    # A business with neither is entered knowingly with the code that means "no code".
    assert _create(api, {"vat_number": "09876543210", "sdi_code": "0000000"})[0] == 201


def test_every_field_at_fault_is_named_at_once(api: Api) -> None:
    _italian(api)
    status, errors = _create(api, {"name": "🙂", "address": "somewhere"})
    assert status == 422
    assert set(errors) == {"client.tax_code", "client.name", "client.address"}


def test_an_account_without_a_tax_profile_is_not_asked_for_tax_data(api: Api) -> None:
    assert _create(api, {"name": "Студия Петров"})[0] == 201


def test_a_correction_that_would_make_the_invoices_invalid_is_refused(api: Api) -> None:
    _italian(api)
    eid, _ = _first_invoice(api, {"vat_number": "09876543210", "sdi_code": "ABC1234"})
    etag = api.get(f"/v1/engagements/{eid}").headers["ETag"]
    patched = api.patch(
        f"/v1/engagements/{eid}", json={"client": {"sdi_code": ""}}, headers={"If-Match": etag}
    )
    assert patched.status_code == 422, patched.json
    assert list(patched.json["errors"]) == ["client.sdi_code"]
    assert api.get(f"/v1/engagements/{eid}").json["client"]["sdi_code"] == "ABC1234"
