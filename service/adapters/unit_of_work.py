"""The SQL unit of work: one session, one transaction per use case, its SQL repositories."""

from __future__ import annotations

from collections.abc import Callable
from types import TracebackType
from typing import NamedTuple, Self

from sqlalchemy import Engine
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.orm.exc import StaleDataError

from service.adapters.acceptance_repository import AcceptanceRepository
from service.adapters.document_repository import DocumentRepository
from service.adapters.invoice_numbers import InvoiceNumberRepository
from service.adapters.message_repository import MessageRepository
from service.adapters.pdf_repository import PdfRepository
from service.adapters.portal_links import PortalLinkRepository
from service.adapters.repository import (
    EngagementRepository,
    RecordRepository,
    StoredResponseRepository,
    TenantRepository,
)
from service.adapters.sdi_files import ReceiptFileRepository
from service.adapters.webhook_repository import WebhookRepository
from service.domain.errors import Conflict
from service.domain.model import Engagement


class SqlAlchemyUnitOfWork:
    def __init__(
        self,
        session_factory: sessionmaker[Session],
        before_flush: Callable[[Engagement], None] | None = None,
    ) -> None:
        self._session_factory = session_factory
        # Runs on every engagement this unit of work changed before each write, so derived
        # columns (the next deadline) are current in the views built before the commit.
        self._before_flush = before_flush

    def __enter__(self) -> Self:
        self.session = self._session_factory()
        self.tenants = TenantRepository(self.session)
        self.engagements = EngagementRepository(self.session)
        self.record = RecordRepository(self.session)
        self.documents = DocumentRepository(self.session)
        self.responses = StoredResponseRepository(self.session)
        self.invoice_numbers = InvoiceNumberRepository(self.session)
        self.webhooks = WebhookRepository(self.session)
        self.messages = MessageRepository(self.session)
        self.pdfs = PdfRepository(self.session)
        self.acceptances = AcceptanceRepository(self.session)
        self.portal_links = PortalLinkRepository(self.session)
        self.sdi_files = ReceiptFileRepository(self.session)
        self._touched: dict[int, Engagement] = {}
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        # Closing ends the transaction: anything not committed explicitly is rolled back, so no
        # half-applied change survives. Loaded objects stay readable (close does not expire).
        self.session.close()

    def touch(self, engagement: Engagement) -> None:
        """Count this unit of work as one new version of the engagement, however many flushes."""
        if id(engagement) not in self._touched:
            self._touched[id(engagement)] = engagement
            engagement.version += 1

    def flush(self) -> None:
        self._refresh_touched()
        self._guarded(self.session.flush)

    def commit(self) -> None:
        self._refresh_touched()
        self._guarded(self.session.commit)

    def _refresh_touched(self) -> None:
        if self._before_flush is not None:
            for engagement in self._touched.values():
                self._before_flush(engagement)

    @staticmethod
    def _guarded(operation: object) -> None:
        try:
            operation()  # type: ignore[operator]
        except (StaleDataError, IntegrityError) as exc:
            # Another request changed the same engagement first; this one must not apply.
            raise Conflict(
                "The engagement was changed by another request at the same time; reload it and try again."
            ) from exc


class SessionFactories(NamedTuple):
    reader: sessionmaker[Session]
    writer: sessionmaker[Session]


def session_factories(engine: Engine) -> SessionFactories:
    """Readers and writers; on SQLite writers take the write lock when they begin."""
    reader = sessionmaker(bind=engine, expire_on_commit=False)
    writer = sessionmaker(bind=engine.execution_options(sqlite_write=True), expire_on_commit=False)
    return SessionFactories(reader, writer)
