"""One-time acceptance codes and the account's sealing certificate; every query takes the tenant."""

from __future__ import annotations

from dataclasses import asdict, fields
from datetime import datetime

from sqlalchemy import Row, func, insert, select, update
from sqlalchemy.orm import Session

from service.adapters.orm import acceptance_codes, account_certificates
from service.domain.acceptance import AcceptanceCode, SealingCertificate

_FIELDS = [f.name for f in fields(AcceptanceCode)]


def _code(row: Row) -> AcceptanceCode:
    return AcceptanceCode(**{name: getattr(row, name) for name in _FIELDS})


class AcceptanceRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def add(self, code: AcceptanceCode) -> None:
        self.session.execute(insert(acceptance_codes).values(asdict(code)))

    def latest(
        self, tenant_id: int, engagement_id: int, subject: str, amendment_id: int | None
    ) -> AcceptanceCode | None:
        c = acceptance_codes.c
        query = (
            select(acceptance_codes)
            .where(c.tenant_id == tenant_id, c.engagement_id == engagement_id, c.subject == subject)
            .where(c.amendment_id.is_(None) if amendment_id is None else c.amendment_id == amendment_id)
            .order_by(c.id.desc())
            .limit(1)
        )
        row = self.session.execute(query).first()
        return _code(row) if row else None

    def save(self, code: AcceptanceCode) -> None:
        """A try counted, or the code used: the only changes a code sees."""
        c = acceptance_codes.c
        self.session.execute(
            update(acceptance_codes)
            .where(c.public_id == code.public_id, c.tenant_id == code.tenant_id)
            .values(tries=code.tries, used_at=code.used_at)
        )

    def count_since(self, tenant_id: int, engagement_id: int, since: datetime) -> int:
        c = acceptance_codes.c
        query = select(func.count()).where(
            c.tenant_id == tenant_id, c.engagement_id == engagement_id, c.created_at > since
        )
        return int(self.session.scalar(query) or 0)

    def certificate(self, tenant_id: int) -> SealingCertificate | None:
        c = account_certificates.c
        row = self.session.execute(select(account_certificates).where(c.tenant_id == tenant_id)).first()
        return SealingCertificate(row.certificate_pem, row.private_key_sealed) if row else None

    def add_certificate(self, tenant_id: int, certificate: SealingCertificate, now: datetime) -> None:
        self.session.execute(
            insert(account_certificates).values(
                tenant_id=tenant_id,
                certificate_pem=certificate.certificate_pem,
                private_key_sealed=certificate.private_key_sealed,
                created_at=now,
            )
        )
