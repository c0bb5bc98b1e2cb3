"""The portal links' table and its repository, always read by tenant except by the token's hash."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Column, ForeignKey, Index, Integer, String, Table, insert, select, update
from sqlalchemy.orm import Session

from service.adapters.orm import UTC_TIME, metadata
from service.domain.portal import PortalLink

portal_links = Table(
    "portal_links",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("tenant_id", Integer, ForeignKey("tenants.id", ondelete="CASCADE"), nullable=False),
    Column("engagement_id", Integer, ForeignKey("engagements.id", ondelete="CASCADE"), nullable=False),
    Column("contact", String(320), nullable=False),
    Column("token_hash", String(64), nullable=False, unique=True),
    Column("created_at", UTC_TIME, nullable=False),
    Column("expires_at", UTC_TIME, nullable=False),
    Column("revoked_at", UTC_TIME),
    Index("ix_portal_links_engagement_id", "engagement_id", "id"),
)
_FIELDS = ("tenant_id", "engagement_id", "contact", "token_hash", "created_at", "expires_at", "revoked_at")


def _link(row: Any) -> PortalLink:
    return PortalLink(id=row.id, **{name: getattr(row, name) for name in _FIELDS})


class PortalLinkRepository:
    """Core statements in the unit of work's session: a link is written in the same transaction
    as the message that carries it."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def add(self, link: PortalLink) -> None:
        values = {name: getattr(link, name) for name in _FIELDS}
        link.id = self.session.execute(
            insert(portal_links).values(values).returning(portal_links.c.id)
        ).scalar_one()

    def get(self, tenant_id: int, link_id: int) -> PortalLink | None:
        c = portal_links.c
        row = self.session.execute(
            select(portal_links).where(c.tenant_id == tenant_id, c.id == link_id)
        ).first()
        return _link(row) if row else None

    def for_engagement(self, tenant_id: int, engagement_id: int) -> list[PortalLink]:
        c = portal_links.c
        query = select(portal_links).where(c.tenant_id == tenant_id, c.engagement_id == engagement_id)
        return [_link(row) for row in self.session.execute(query.order_by(c.id.desc()))]

    def by_token_hash(self, token_hash: str) -> PortalLink | None:
        row = self.session.execute(
            select(portal_links).where(portal_links.c.token_hash == token_hash)
        ).first()
        return _link(row) if row else None

    def revoke(self, link: PortalLink, now: datetime) -> None:
        c = portal_links.c
        self.session.execute(
            update(portal_links).where(c.id == link.id, c.revoked_at.is_(None)).values(revoked_at=now)
        )
        link.revoked_at = link.revoked_at or now
