"""The contract signed with the client's own digital signature: a PAdES PDF or a CAdES .p7m
over exactly the contract's PDF is kept and recorded; anything else is a 422 naming ``file``."""

from __future__ import annotations

import io
from datetime import UTC, datetime
from typing import Any

from asn1crypto import keys as asn1_keys
from cryptography.hazmat.primitives import serialization
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.sign import signers
from pyhanko_certvalidator.registry import SimpleCertificateStore

from service.adapters.event_loop import off_loop, run_async
from service.adapters.seal import asn1_certificate, issue_certificate
from tests.acceptance.conftest import Contract, pdf_saying
from tests.conftest import Api

# The client's own certificate (a real one would come from a qualified provider).
CLIENT_CERTIFICATE, CLIENT_KEY = issue_certificate("Giulia Rossi", datetime(2026, 11, 1, tzinfo=UTC))


def _signer() -> signers.SimpleSigner:
    key = serialization.load_pem_private_key(CLIENT_KEY.encode(), None)
    der = key.private_bytes(
        serialization.Encoding.DER, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    return signers.SimpleSigner(
        signing_cert=asn1_certificate(CLIENT_CERTIFICATE),
        signing_key=asn1_keys.PrivateKeyInfo.load(der),
        cert_registry=SimpleCertificateStore(),
    )


def pades(pdf: bytes) -> bytes:
    """``pdf`` signed as a client's signing program does: an incremental update."""
    out = io.BytesIO()
    metadata = signers.PdfSignatureMetadata(field_name="Client")
    signer = signers.PdfSigner(metadata, _signer())
    off_loop(lambda: signer.sign_pdf(IncrementalPdfFileWriter(io.BytesIO(pdf)), output=out))
    return out.getvalue()


def p7m(content: bytes) -> bytes:
    return run_async(_signer().async_sign_general_data(content, "sha256", detached=False)).dump()


def _upload(api: Api, eid: int, data: bytes, name: str = "contratto-firmato.pdf") -> Any:
    return api.post(
        f"/v1/engagements/{eid}/contract/signed-copy",
        data={"file": (io.BytesIO(data), name)},
        content_type="multipart/form-data",
    )


def test_the_contract_signed_pades_is_kept_and_recorded(api: Api, contract: Contract) -> None:
    signed = pades(contract.pdf)
    response = _upload(api, contract.engagement_id, signed)
    assert response.status_code == 201, response.json
    assert response.json["format"] == "pades"
    assert response.json["signer"] == "Common Name: Giulia Rossi"
    assert response.json["document"]["kind"] == "signed_copy"
    kept = api.get(f"/v1/documents/{response.json['document']['id']}/content")
    assert kept.data == signed and kept.mimetype == "application/pdf"
    entry = api.get(f"/v1/engagements/{contract.engagement_id}/events").json[-2]
    assert entry["type"] == "signed_copy_received"
    assert entry["payload"]["document_id"] == contract.document_id
    assert api.get(f"/v1/engagements/{contract.engagement_id}/events/verify").json["valid"] is True


def test_the_contract_in_a_p7m_envelope_is_kept(api: Api, contract: Contract) -> None:
    response = _upload(api, contract.engagement_id, p7m(contract.pdf), "contratto.pdf.p7m")
    assert response.status_code == 201, response.json
    assert response.json["format"] == "cades"
    assert response.json["document"]["filename"].endswith(".pdf.p7m")


def _refused(response: Any) -> str:
    assert response.status_code == 422, response.json
    [field] = response.json["errors"]
    assert field == "file"
    return response.json["errors"]["file"][0]


def test_an_unrelated_signed_pdf_is_refused(api: Api, contract: Contract) -> None:
    said = _refused(_upload(api, contract.engagement_id, pades(pdf_saying("Un altro contratto"))))
    assert said == "Il file firmato non è il contratto di questo incarico: il contenuto firmato è diverso."
    said = _refused(_upload(api, contract.engagement_id, p7m(pdf_saying("Altro")), "altro.p7m"))
    assert said.startswith("Il file firmato non è il contratto")


def test_an_unsigned_or_altered_file_is_refused(api: Api, contract: Contract) -> None:
    assert _refused(_upload(api, contract.engagement_id, contract.pdf)).startswith(
        "Il file non contiene una firma"
    )
    assert _refused(_upload(api, contract.engagement_id, b"not a signature")).startswith(
        "Il file non contiene"
    )
    signed = bytearray(pades(contract.pdf))
    at = signed.index(b"Contratto di servizi")
    signed[at : at + 9] = b"Contratt0"  # one letter of the signed content changed
    assert _refused(_upload(api, contract.engagement_id, bytes(signed))).startswith(
        "La firma del file non è integra"
    )
    types = [e["type"] for e in api.get(f"/v1/engagements/{contract.engagement_id}/events").json]
    assert "signed_copy_received" not in types


def test_another_accounts_engagement_is_not_found(api: Api, other_api: Api, contract: Contract) -> None:
    assert _upload(other_api, contract.engagement_id, pades(contract.pdf)).status_code == 404


def test_before_the_contracts_pdf_exists_the_upload_waits(api: Api) -> None:
    eid = api.create_engagement()["id"]
    assert _upload(api, eid, pades(pdf_saying("x"))).status_code == 409
