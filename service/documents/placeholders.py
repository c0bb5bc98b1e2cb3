"""A sandbox rehearses before its sender details are set: each blank one is shown, marked.

A live account never renders without them (``application.documents.require_sender``); a
sandbox's letter shows "[sandbox: sender address not set]" where the address goes, so a
rehearsal letter can never pass for one ready to send.
"""

from __future__ import annotations

from dataclasses import replace

from service.documents.request import DocumentRequest
from service.documents.wording import Wording
from service.domain.sender import SENDER_DETAILS, missing_sender_details


def with_marked_sender(request: DocumentRequest, wording: Wording) -> DocumentRequest:
    """The request as rendered: a sandbox's blank sender details become marked placeholders."""
    tenant = request.tenant
    missing = missing_sender_details(tenant)
    if not missing or not tenant.sandbox:
        return request
    marks = {SENDER_DETAILS[field]: str(wording.text(f"placeholders.{field}")) for field in missing}
    return replace(request, tenant=replace(tenant, **marks))
