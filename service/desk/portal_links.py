"""The client's portal links on the engagement page: issue one (its URL shown this once), revoke."""

from __future__ import annotations

from typing import Any

from flask import g, redirect, url_for

from service.application import portal_links
from service.desk.base import desk, refusal, runtime, tenant_id
from service.desk.engagement_page import engagement
from service.domain.errors import DomainError, NotFound


@desk.post("/engagements/<int:engagement_id>/portal-links")
def issue_portal_link(engagement_id: int) -> Any:
    try:
        issued = portal_links.create_link(runtime(), tenant_id(), engagement_id, None)
    except NotFound:
        raise
    except DomainError as refused:
        return engagement(engagement_id, 422, refusal(refused))
    g.issued_portal_link = issued["url"]  # the page shows it this once; only its hash is kept
    return engagement(engagement_id, 201)


@desk.post("/engagements/<int:engagement_id>/portal-links/<int:link_id>/revoke")
def revoke_portal_link(engagement_id: int, link_id: int) -> Any:
    portal_links.revoke_link(runtime(), tenant_id(), engagement_id, link_id)
    return redirect(url_for("desk.engagement", engagement_id=engagement_id, _anchor="portal-links"), code=303)
