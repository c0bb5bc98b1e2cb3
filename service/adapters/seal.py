"""The account's own seal: a self-issued certificate, and PDFs signed under it with pyHanko.

The certificate is issued by the account to itself on first use: it proves nothing about who
the account is (no authority vouches for it), only that the sealed PDF has not changed since the
service signed it, which anyone can check with the public certificate from the evidence export.
The final page is added as an incremental update, so the sealed file begins with exactly the
bytes of the PDF the client was shown, and the signature covers the whole file.
"""

from __future__ import annotations

import textwrap
from dataclasses import dataclass
from datetime import datetime, timedelta
from io import BytesIO

from asn1crypto import keys as asn1_keys
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID
from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.generic import pdf_name
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign import signers
from pyhanko.sign.fields import SigFieldSpec
from pyhanko.sign.validation import async_validate_pdf_signature
from pyhanko_certvalidator import ValidationContext
from pyhanko_certvalidator.registry import SimpleCertificateStore

from service.adapters.event_loop import off_loop, run_async
from service.adapters.signed_copies import check_signed_copy
from service.domain.acceptance import SignedCopy

VALID_FOR = timedelta(days=3650)  # the seal is checked long after: the longest a contract is kept
FIELD = "Acceptance"
FONT_SIZE, LEADING, MARGIN, WRAP = 10, 14, 56, 95  # Helvetica 10 pt: ~95 characters in A4's width


def issue_certificate(name: str, now: datetime) -> tuple[str, str]:
    """(certificate PEM, PKCS#8 key PEM): a P-256 key and a certificate naming the account,
    signed by that same key. The key is unencrypted here: the caller seals it before storing."""
    key = ec.generate_private_key(ec.SECP256R1())
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, name[:64] or "account")])
    certificate = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(minutes=5))
        .not_valid_after(now + VALID_FOR)
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(True, True, False, False, False, True, False, False, False), critical=True
        )
        .sign(key, hashes.SHA256())
    )
    key_pem = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    return certificate.public_bytes(serialization.Encoding.PEM).decode(), key_pem.decode()


def asn1_certificate(pem: str) -> asn1_x509.Certificate:
    der = x509.load_pem_x509_certificate(pem.encode()).public_bytes(serialization.Encoding.DER)
    return asn1_x509.Certificate.load(der)


def _winansi(text: str) -> bytes:
    escaped = text.encode("cp1252", errors="replace")
    for char in (b"\\", b"(", b")"):
        escaped = escaped.replace(char, b"\\" + char)
    return b"(" + escaped + b")"


def _font(name: str) -> generic.DictionaryObject:
    """A standard font (no file embedded), in WinAnsi: every Latin-1 letter prints as itself."""
    return generic.DictionaryObject(
        {
            pdf_name("/Type"): pdf_name("/Font"),
            pdf_name("/Subtype"): pdf_name("/Type1"),
            pdf_name("/BaseFont"): pdf_name(name),
            pdf_name("/Encoding"): pdf_name("/WinAnsiEncoding"),
        }
    )


def _final_page(writer: IncrementalPdfFileWriter, lines: list[str]) -> generic.DictionaryObject:
    first = writer.root["/Pages"]["/Kids"][0].get_object()
    box = first.get("/MediaBox") or writer.root["/Pages"].get("/MediaBox") or [0, 0, 595, 842]
    top = float(box[3])
    title, *rest = lines
    wrapped = [part for line in rest for part in (textwrap.wrap(line, WRAP) or [""])]
    body = [f"BT /F2 14 Tf {LEADING} TL {MARGIN} {top - MARGIN} Td".encode(), _winansi(title) + b" Tj T* T*"]
    body.append(f"/F1 {FONT_SIZE} Tf".encode())
    body += [_winansi(line) + b" Tj T*" for line in wrapped]
    body.append(b"ET")
    stream = writer.add_object(generic.StreamObject(stream_data=b"\n".join(body)))
    fonts = {pdf_name("/F1"): _font("/Helvetica"), pdf_name("/F2"): _font("/Helvetica-Bold")}
    resources = generic.DictionaryObject({pdf_name("/Font"): generic.DictionaryObject(fonts)})
    return generic.DictionaryObject(
        {
            pdf_name("/Type"): pdf_name("/Page"),
            pdf_name("/MediaBox"): generic.ArrayObject([generic.FloatObject(float(v)) for v in box]),
            pdf_name("/Resources"): resources,
            pdf_name("/Contents"): stream,
        }
    )


def seal(pdf: bytes, final_page: list[str], certificate_pem: str, key_pem: str, reason: str) -> bytes:
    """``pdf`` with ``final_page`` appended, signed under the account's certificate."""
    writer = IncrementalPdfFileWriter(BytesIO(pdf), strict=False)
    writer.insert_page(_final_page(writer, final_page))
    signer = signers.SimpleSigner(
        signing_cert=asn1_certificate(certificate_pem),
        signing_key=asn1_keys.PrivateKeyInfo.load(
            serialization.load_pem_private_key(key_pem.encode(), None).private_bytes(
                serialization.Encoding.DER, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
            )
        ),
        cert_registry=SimpleCertificateStore(),
    )
    metadata = signers.PdfSignatureMetadata(field_name=FIELD, reason=reason[:200])
    out = BytesIO()
    pdf_signer = signers.PdfSigner(metadata, signer, new_field_spec=SigFieldSpec(FIELD))
    off_loop(lambda: pdf_signer.sign_pdf(writer, output=out))
    return out.getvalue()


@dataclass(frozen=True)
class SealCheck:
    intact: bool  # the bytes are those signed
    trusted: bool  # signed under the given certificate
    whole_file: bool  # nothing was added after the signature


def check_seal(pdf: bytes, certificate_pem: str) -> SealCheck:
    """How the last signature holds against ``certificate_pem`` as the only trust root."""
    reader = PdfFileReader(BytesIO(pdf), strict=False)
    embedded = reader.embedded_signatures[-1]
    context = ValidationContext(trust_roots=[asn1_certificate(certificate_pem)])
    status = run_async(async_validate_pdf_signature(embedded, context))
    whole = status.coverage is not None and status.coverage.name == "ENTIRE_FILE"
    return SealCheck(status.intact and status.valid, status.trusted, whole)


class PdfSealer:
    """The runtime's ``Sealer``."""

    def issue_certificate(self, name: str, now: datetime) -> tuple[str, str]:
        return issue_certificate(name, now)

    def seal(
        self, pdf: bytes, final_page: list[str], certificate_pem: str, key_pem: str, reason: str
    ) -> bytes:
        return seal(pdf, final_page, certificate_pem, key_pem, reason)

    def check_signed_copy(self, upload: bytes, contract_pdf: bytes) -> SignedCopy:
        return check_signed_copy(upload, contract_pdf)
