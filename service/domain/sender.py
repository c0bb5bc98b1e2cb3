"""Who a letter is from: the sender details no letter to a client goes out without.

A live account's documents are refused until these are set (``application.documents``); a
sandbox's documents carry marked placeholders instead (``documents.renderer``).
"""

from __future__ import annotations

from service.domain.model import Tenant

# The API's field name (PATCH /v1/tenant) -> the tenant's attribute, in the order letters show them.
SENDER_DETAILS = {
    "name": "name",
    "address": "sender_address",
    "email": "sender_email",
    "signatory": "signatory",
}


def missing_sender_details(tenant: Tenant) -> list[str]:
    """The API names of the sender details still blank, in letter order."""
    return [field for field, attribute in SENDER_DETAILS.items() if not getattr(tenant, attribute).strip()]
