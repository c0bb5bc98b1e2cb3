"""The contract signed with the client's own digital signature (PAdES or CAdES ``.p7m``).

Where Italian law wants the onerous clauses approved with certainty (art. 1341 c. 2 c.c.), a
qualified or digital signature on the document does what the portal's code cannot: this keeps
the client's signed file as a document, after checking that it is the contract PDF the client
was given, signed and intact. The signer's certificate is recorded; whether it is qualified is
not decided here (see docs/legal.md).
"""

from __future__ import annotations

from typing import Any

from service.application.acceptance import refusal
from service.application.acceptance_target import target_of
from service.application.loading import load_for_change
from service.application.record import append_entry
from service.application.runtime import Runtime
from service.application.sealing import store_pdf, tools
from service.application.views import document_view
from service.domain.acceptance import SIGNED_COPY_KIND, ClientAction, SignedCopyRefused

FIELD = "file"


def receive_signed_copy(
    rt: Runtime,
    tenant_id: int,
    engagement_id: int,
    upload: bytes,
    client: ClientAction | None = None,
) -> dict[str, Any]:
    """Check and keep the signed contract; 422 naming ``file`` when it is not the contract signed
    intact. ``client`` when the client uploads it through the portal; None from the API."""
    with rt.writer() as uow:
        loaded = load_for_change(rt, uow, tenant_id, engagement_id)
        engagement, now = loaded.engagement, loaded.now
        sealer, _ = tools(rt, engagement.language)
        target = target_of(rt, uow, loaded.tenant, engagement, now, None)
        try:
            signed = sealer.check_signed_copy(upload, target.pdf)
        except SignedCopyRefused as refused:
            raise refusal({FIELD: [refused.said]}, engagement.language) from None
        payload = {
            **target.named(),
            "format": signed.format,
            "signer": signed.signer,
            "certificate_sha256": signed.certificate_sha256,
            "signed_sha256": signed.signed_sha256,
            "signed_at": signed.signed_at,
            "contact": client.contact if client else None,
            "link_id": client.link_id if client else None,
            "address": client.address if client else None,
            "user_agent": client.user_agent if client else None,
        }
        entry = append_entry(uow, engagement, "signed_copy_received", payload, now)
        uow.flush()
        name = target.document.filename.removesuffix(".docx")
        name += "-signed.pdf" if signed.format == "pades" else ".pdf.p7m"
        document = store_pdf(rt, uow, engagement, entry, SIGNED_COPY_KIND, name, upload, now)
        view = {"document": document_view(document), **{k: payload[k] for k in ("format", "signer")}}
        view["signed_sha256"] = signed.signed_sha256
        uow.commit()
        return view
