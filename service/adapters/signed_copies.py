"""The contract signed with the client's own digital signature: a PAdES PDF or a CAdES ``.p7m``.

Checked with pyHanko for integrity (the signature holds over the bytes it covers) and for what
it covers (the contract PDF the service made, byte for byte). Whether the signer's certificate
is a qualified one is not decided here: that needs the EU trusted lists, so the signer's
certificate is recorded (subject and sha256) for whoever has to assess it.

A PAdES signature is added as an incremental update, so the signed file begins with the exact
bytes of the contract PDF; a tool that rewrites the whole file before signing is refused as
"not this contract", since nothing then proves which content was signed.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import logging
from io import BytesIO
from typing import Any

from asn1crypto import cms
from pyhanko.pdf_utils.misc import PdfError
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation import async_validate_pdf_signature
from pyhanko.sign.validation.generic_cms import async_validate_cms_signature
from pyhanko_certvalidator import ValidationContext

from service.adapters.event_loop import run_async
from service.domain.acceptance import BROKEN, NOT_SIGNED, UNRELATED, SignedCopy, SignedCopyRefused


def _context() -> ValidationContext:
    # No trust roots and no fetching: integrity only, offline; trust is recorded, not decided.
    return ValidationContext(trust_roots=[], allow_fetching=False)


def _quietly(coroutine: Any) -> Any:
    """pyHanko logs an untrusted path as an error with its traceback: expected here."""
    logger = logging.getLogger("pyhanko")
    level = logger.level
    logger.setLevel(logging.CRITICAL)
    try:
        return run_async(coroutine)
    finally:
        logger.setLevel(level)


def _signed_copy(format_: str, status: Any, signed: bytes) -> SignedCopy:
    if not (status.intact and status.valid):
        raise SignedCopyRefused(BROKEN)
    certificate = status.signing_cert
    reported = getattr(status, "signer_reported_dt", None)  # a bare CMS status has none
    signed_at = reported.isoformat() if reported else None
    return SignedCopy(
        format=format_,
        signer=certificate.subject.human_friendly,
        certificate_sha256=hashlib.sha256(certificate.dump()).hexdigest(),
        signed_sha256=hashlib.sha256(signed).hexdigest(),
        signed_at=signed_at,
    )


def _pades(upload: bytes, contract_pdf: bytes) -> SignedCopy:
    try:
        signatures = PdfFileReader(BytesIO(upload), strict=False).embedded_signatures
    except (PdfError, ValueError, KeyError, TypeError) as exc:
        raise SignedCopyRefused(NOT_SIGNED) from exc
    if not signatures:
        raise SignedCopyRefused(NOT_SIGNED)
    status = _quietly(async_validate_pdf_signature(signatures[0], _context()))
    copy = _signed_copy("pades", status, contract_pdf)
    if not upload.startswith(contract_pdf):
        raise SignedCopyRefused(UNRELATED)
    return copy


def _envelope(upload: bytes) -> cms.SignedData:
    data = upload
    if not upload.startswith(b"\x30"):  # many .p7m files travel base64-encoded
        try:
            data = base64.b64decode(upload, validate=False)
        except (binascii.Error, ValueError) as exc:
            raise SignedCopyRefused(NOT_SIGNED) from exc
    try:
        info = cms.ContentInfo.load(data)
        if info["content_type"].native != "signed_data":
            raise SignedCopyRefused(NOT_SIGNED)
        signed_data = info["content"]
        _ = signed_data["encap_content_info"]["content"].native  # parses it all: a broken file fails here
    except (ValueError, TypeError, KeyError) as exc:
        raise SignedCopyRefused(NOT_SIGNED) from exc
    return signed_data


def _cades(upload: bytes, contract_pdf: bytes) -> SignedCopy:
    signed_data = _envelope(upload)
    content = signed_data["encap_content_info"]["content"].native
    if content is None:  # detached: the content is not in the file, so it cannot be this contract
        raise SignedCopyRefused(UNRELATED)
    status = _quietly(async_validate_cms_signature(signed_data, validation_context=_context()))
    copy = _signed_copy("cades", status, content)
    if content != contract_pdf:
        raise SignedCopyRefused(UNRELATED)
    return copy


def check_signed_copy(upload: bytes, contract_pdf: bytes) -> SignedCopy:
    """What the signature says, or SignedCopyRefused naming why it is not the contract signed."""
    if upload.lstrip()[:5] == b"%PDF-":
        return _pades(upload, contract_pdf)
    return _cades(upload, contract_pdf)
