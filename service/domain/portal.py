"""The client's portal links: a random token, kept only as its hash, for one engagement and one
contact, until it expires or the user revokes it.

The token is 32 random bytes (``secrets.token_urlsafe``): with that much entropy a plain sha256 is
enough to store it. Slow, salted hashes exist for passwords, which people choose and attackers can
guess; nobody can guess 256 random bits, so hashing only has to keep a copy of the table from
opening the portal, and a single sha256 also lets the lookup be one indexed equality.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Protocol

from service.domain.model import Engagement

ACTIVE = "active"  # a link's status while it opens the portal
LIFETIME = timedelta(days=30)  # Stripe's hosted invoice link lives 30 days after the due date too


@dataclass(eq=False)
class PortalLink:
    tenant_id: int
    engagement_id: int
    contact: str  # the address the link was made for, one already on file
    token_hash: str
    created_at: datetime
    expires_at: datetime
    revoked_at: datetime | None = None
    id: int | None = None

    def status(self, now: datetime) -> str:
        if self.revoked_at is not None:
            return "revoked"
        return "expired" if now >= self.expires_at else ACTIVE


class PortalLinkRepository(Protocol):
    def add(self, link: PortalLink) -> None: ...

    def get(self, tenant_id: int, link_id: int) -> PortalLink | None: ...

    def for_engagement(self, tenant_id: int, engagement_id: int) -> list[PortalLink]:
        """Newest first."""
        ...

    def by_token_hash(self, token_hash: str) -> PortalLink | None:
        """Across tenants: a token is all a client brings, and the link names its tenant."""
        ...

    def revoke(self, link: PortalLink, now: datetime) -> None: ...


def new_token() -> str:
    return secrets.token_urlsafe(32)


def token_digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def deadlines_served(engagement: Engagement) -> list[date]:
    """The days the client is asked to meet: open feedback requests and unpaid invoices."""
    days = [f.due_on for f in engagement.feedback_requests if f.is_open]
    return days + [i.due_on for i in engagement.unpaid_invoices()]


def expiry(engagement: Engagement, now: datetime) -> datetime:
    """30 days from now, or 30 days after the latest deadline the link serves if that is later."""
    days = deadlines_served(engagement)
    latest = engagement.start_of(max(days)) + LIFETIME if days else now
    return max(now + LIFETIME, latest)


def contact_on_file(engagement: Engagement, address: str) -> bool:
    """A link goes only to an address the engagement holds (never one a visitor types)."""
    known = {a.strip().lower() for a in (engagement.client_email, engagement.client_pec) if a and a.strip()}
    return address.strip().lower() in known
