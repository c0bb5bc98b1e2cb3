"""Leaving well on the desk: the handover checklist's complete/waive forms and the evidence export."""

from __future__ import annotations

from typing import Any

from flask import redirect, request, send_file, url_for

from service.api.offboarding import ZIP_TYPE
from service.application import export, handover
from service.desk.base import desk, refusal, runtime, t, tenant_id
from service.desk.engagement_page import engagement
from service.domain.entry_rules import HANDOVER_STEPS
from service.domain.errors import DomainError, InvalidInput, NotFound


@desk.post("/engagements/<int:engagement_id>/handover/<int:item_id>")
def handover_step(engagement_id: int, item_id: int) -> Any:
    step = request.form.get("action", "")
    if step not in HANDOVER_STEPS:
        return engagement(engagement_id, 422, t("handover.pick_step"))
    try:
        handover.handover_step(
            runtime(), tenant_id(), engagement_id, item_id, step=step, reason=request.form.get("reason", "")
        )
    except NotFound:
        raise  # another engagement's item, or none: the desk's 404, never a refusal naming it
    except DomainError as refused:
        return engagement(engagement_id, 422 if isinstance(refused, InvalidInput) else 409, refusal(refused))
    return redirect(url_for("desk.engagement", engagement_id=engagement_id, _anchor="handover"), code=303)


@desk.get("/engagements/<int:engagement_id>/export")
def evidence_export(engagement_id: int) -> Any:
    bundle = export.export_engagement(runtime(), tenant_id(), engagement_id)
    return send_file(bundle.content, mimetype=ZIP_TYPE, as_attachment=True, download_name=bundle.filename)
