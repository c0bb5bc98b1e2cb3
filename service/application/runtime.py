"""What a process builds once and every use case shares: storage, engine, renderer, HTTP, clock."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Protocol

from service.application.unit_of_work import UnitOfWork
from service.documents import DocumentRenderer
from service.domain.acceptance import SignedCopy
from service.domain.engine import WorkflowEngine
from service.domain.messages import Handed, SendTimeouts
from service.domain.model import Tenant
from service.domain.rates import RateTable, load_rates
from service.domain.record import Signer
from service.domain.repositories import StoredKey
from service.domain.webhooks import Answer
from service.domain.workflow import load_workflow

Clock = Callable[[], datetime]


def workflow_engine(workflow_file: Path, renderer: DocumentRenderer) -> WorkflowEngine:
    """The engine over a workflow file, knowing exactly the document kinds the renderer makes
    (a letter added only in the wording is one): create_app and the in-memory fakes both build
    it here, so neither can keep a narrower list."""
    return WorkflowEngine(load_workflow(workflow_file), renderer.kinds)


class KeyStore(Protocol):
    def candidates(self, prefix: str) -> list[StoredKey]:
        """Every unrevoked key whose prefix matches."""
        ...

    def mark_used(self, key: StoredKey, now: datetime) -> None: ...


class WebhookSender(Protocol):
    def check(self, url: str) -> None:
        """Raise ValueError saying why this URL may not receive webhooks."""
        ...

    def post(self, url: str, body: bytes, headers: dict[str, str]) -> Answer: ...


class Mailer(Protocol):
    def send(self, sender: str, recipients: list[str], data: bytes) -> Handed:
        """Hand the bytes to an SMTP server; never raises for the server's refusals."""
        ...


class MailerFactory(Protocol):
    """Connects to a tenant's own SMTP account (``adapters.mail.SmtpMailer`` in the app)."""

    def __call__(
        self,
        host: str,
        port: int,
        *,
        implicit_tls: bool,
        username: str | None,
        password: str | None,
        ca_file: str | None,
        timeouts: SendTimeouts,
    ) -> Mailer: ...


class SecretBox(Protocol):
    """Seals the tenants' SMTP passwords at rest (``adapters.secret_box``)."""

    def seal(self, secret: str) -> str: ...
    def open(self, token: str) -> str: ...
    def rotate(self, token: str) -> str:
        """The same secret sealed with the first key."""
        ...


class Sealer(Protocol):
    """PDF signatures (``adapters/seal.py``, ``adapters/signed_copies.py``)."""

    def issue_certificate(self, name: str, now: datetime) -> tuple[str, str]:
        """(certificate PEM, private key PEM) issued by the account to itself."""
        ...

    def seal(
        self, pdf: bytes, final_page: list[str], certificate_pem: str, key_pem: str, reason: str
    ) -> bytes:
        """``pdf`` with the final page appended, signed under the certificate."""
        ...

    def check_signed_copy(self, upload: bytes, contract_pdf: bytes) -> SignedCopy:
        """What a client's own digital signature on the contract says, or SignedCopyRefused."""
        ...


@dataclass(frozen=True)
class Retention:
    """How long what the service may forget is kept; ``application/retention.py`` prunes it, in
    batches of ``batch`` rows a transaction. The record and the documents are evidence: never
    pruned, whatever is configured here."""

    delivered_webhooks: timedelta = timedelta(days=30)  # outbox rows fanned out, deliveries done
    idempotency_keys: timedelta = timedelta(hours=24)
    batch: int = 500

    def __post_init__(self) -> None:
        # A stored answer must outlive the 24 hours a key promises (idempotency.KEY_LIFETIME).
        if self.idempotency_keys < timedelta(hours=24):
            raise ValueError("idempotency keys are kept at least 24 hours")
        if self.delivered_webhooks <= timedelta(0) or self.batch < 1:
            raise ValueError("retention ages and the batch must be positive")


def system_clock() -> datetime:
    return datetime.now(UTC)


@dataclass
class Runtime:
    reader: Callable[[], UnitOfWork]
    writer: Callable[[], UnitOfWork]
    keys: KeyStore
    workflow: WorkflowEngine
    renderer: DocumentRenderer
    signer: Signer
    webhook_http: WebhookSender
    clock: Clock = system_clock
    rates: RateTable = field(default_factory=load_rates)  # statutory interest's reference rates
    mailer: Mailer | None = None  # None without SMTP_URL: approved messages wait
    secrets: SecretBox | None = None  # None without SMTP_SECRET_KEYS: no tenant SMTP accounts
    smtp_mailer: MailerFactory | None = None  # with ``secrets``: a tenant's own SMTP account
    smtp_ca_file: str | None = None
    smtp_timeouts: SendTimeouts = field(default_factory=SendTimeouts)  # for the tenants' own accounts
    pdf_copies: bool = False  # attach each notice as PDF too (LibreOffice converts it)
    retention: Retention = field(default_factory=Retention)
    sealer: Sealer | None = None  # None: no sealed acceptance (create_app always sets one)
    # Where clients reach the service: the portal links in letters' e-mails start with it.
    public_url: str = "http://127.0.0.1:8000"

    def now_for(self, tenant: Tenant) -> datetime:
        """A sandbox tenant lives at its own frozen time once it has moved its clock."""
        if tenant.sandbox and tenant.clock_at is not None:
            return tenant.clock_at
        return self.clock()
