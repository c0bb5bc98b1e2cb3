"""Portal links: issued with every client message or on request, listed, revoked, resolved."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from service.application.loading import load_for_change
from service.application.runtime import Runtime
from service.application.unit_of_work import UnitOfWork, require_engagement
from service.domain.errors import InvalidInput, NotFound
from service.domain.model import Engagement, Tenant
from service.domain.portal import PortalLink, contact_on_file, expiry, new_token, token_digest


@dataclass(frozen=True)
class Issued:
    link: PortalLink
    url: str


def link_view(link: PortalLink, now: datetime) -> dict[str, Any]:
    """What the user may see of a link: never its token, which exists only in the message."""
    return {
        "id": link.id,
        "engagement_id": link.engagement_id,
        "contact": link.contact,
        "status": link.status(now),
        "created_at": link.created_at,
        "expires_at": link.expires_at,
        "revoked_at": link.revoked_at,
    }


def default_contact(engagement: Engagement) -> str | None:
    return (engagement.client_email or engagement.client_pec or "").strip() or None


def issue_link(rt: Runtime, uow: UnitOfWork, engagement: Engagement, contact: str, now: datetime) -> Issued:
    """A new link in the caller's transaction; its URL holds the token, returned this once."""
    token = new_token()
    link = PortalLink(
        tenant_id=engagement.tenant_id,
        engagement_id=engagement.id or 0,
        contact=contact,
        token_hash=token_digest(token),
        created_at=now,
        expires_at=expiry(engagement, now),
    )
    uow.portal_links.add(link)
    return Issued(link, f"{rt.public_url}/p/{token}")


def create_link(rt: Runtime, tenant_id: int, engagement_id: int, contact: str | None) -> dict[str, Any]:
    with rt.writer() as uow:
        change = load_for_change(rt, uow, tenant_id, engagement_id)
        engagement = change.engagement
        chosen = contact or default_contact(engagement)
        if chosen is None or not contact_on_file(engagement, chosen):
            raise InvalidInput(
                {"contact": ["Give an address the engagement holds (client_email or client_pec)."]}
            )
        issued = issue_link(rt, uow, engagement, chosen.strip(), change.now)
        uow.commit()
        return {**link_view(issued.link, change.now), "url": issued.url}


def list_links(rt: Runtime, tenant_id: int, engagement_id: int) -> list[dict[str, Any]]:
    with rt.reader() as uow:
        engagement = require_engagement(uow, tenant_id, engagement_id)
        tenant = uow.tenants.get(tenant_id)
        now = rt.now_for(tenant) if tenant else rt.clock()
        return [link_view(k, now) for k in uow.portal_links.for_engagement(tenant_id, engagement.id or 0)]


def revoke_link(rt: Runtime, tenant_id: int, engagement_id: int, link_id: int) -> None:
    with rt.writer() as uow:
        link = uow.portal_links.get(tenant_id, link_id)
        if link is None or link.engagement_id != engagement_id:
            raise NotFound("portal link", link_id)
        tenant = uow.tenants.get(tenant_id)
        uow.portal_links.revoke(link, rt.now_for(tenant) if tenant else rt.clock())
        uow.commit()


@dataclass(frozen=True)
class Opened:
    """A token's link, its tenant, and whether it still opens the portal."""

    link: PortalLink
    tenant: Tenant
    now: datetime

    @property
    def status(self) -> str:
        return self.link.status(self.now)


def open_link(rt: Runtime, uow: UnitOfWork, token: str) -> Opened | None:
    """The link a token names, or None for a token no link has (a guess, or a typo)."""
    link = uow.portal_links.by_token_hash(token_digest(token))
    tenant = uow.tenants.get(link.tenant_id) if link is not None else None
    if link is None or tenant is None:
        return None
    return Opened(link, tenant, rt.now_for(tenant))
