"""The EPC QR code (European Payments Council, "SEPA credit transfer"): a banking app scans it and
fills in the payee, IBAN, amount and reference. Made with ``segno``; shown as an SVG data URI, which
the pages' CSP allows (``img-src 'self' data:``), so no inline script or style is needed."""

from __future__ import annotations

from typing import Any

import segno
from segno import helpers

NAME_LENGTH = 70  # the EPC standard's limits for the beneficiary and the remittance text
TEXT_LENGTH = 140


def epc_qr(details: dict[str, Any], reference: str) -> str | None:
    """The SVG data URI of the payment's code, or None when the details do not fit the standard."""
    try:
        code: segno.QRCode = helpers.make_epc_qr(
            name=details["name"][:NAME_LENGTH],
            iban=details["iban"].replace(" ", ""),
            amount=details["amount"],
            text=reference[:TEXT_LENGTH],
            bic=details["bic"] or None,
        )
    except ValueError:  # an IBAN or BIC segno refuses: the details stay written out beside it
        return None
    return str(code.svg_data_uri(scale=4, border=2))
