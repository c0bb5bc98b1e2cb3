"""The repositories whose rows are work that a process claims under a lease (messages to send,
webhook deliveries to post, PDFs to convert), as interfaces: see ``domain/repositories.py``.
The claims look across tenants and name the tenant in each write."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol

from service.domain.messages import Message, Receipt, SmtpAccount
from service.domain.pdfs import PdfJob
from service.domain.webhooks import OutboxMessage, WebhookAttempt, WebhookDelivery, WebhookEndpoint


@dataclass(frozen=True)
class ClaimedPdf:
    document_id: int
    tenant_id: int
    attempts: int  # including this one
    docx: bytes


@dataclass(frozen=True)
class ClaimedDelivery:
    id: int
    tenant_id: int
    endpoint_id: int
    outbox_id: int
    attempts: int
    url: str
    body: str
    secrets: list[str]
    lease_token: str

    @property
    def webhook_id(self) -> str:
        return f"msg_{self.outbox_id}"


class MessageRepository(Protocol):
    def add(self, message: Message) -> None: ...

    def get(self, tenant_id: int, message_id: int, *, lock: bool = False) -> Message | None: ...

    def page(
        self, tenant_id: int, status: str | None, limit: int, before: int | None
    ) -> Sequence[Message]: ...

    def for_engagement(self, engagement_id: int) -> Sequence[Message]: ...

    def claim_due(self, now: datetime, limit: int, share: int) -> list[Message]:
        """Approved messages whose time has come, at most ``share`` per tenant, round-robin,
        locked (others' claims skipped)."""
        ...

    def abandoned(self, now: datetime, limit: int) -> Sequence[Message]:
        """Messages a dispatcher began to send and never reported on: it stopped mid-way."""
        ...

    def add_receipt(self, receipt: Receipt) -> None: ...

    def receipts(self, message_ids: list[int]) -> Sequence[Receipt]: ...

    def smtp_account(self, tenant_id: int) -> SmtpAccount | None: ...

    def save_smtp_account(self, account: SmtpAccount) -> None: ...

    def delete_smtp_account(self, account: SmtpAccount) -> None: ...

    def all_smtp_accounts(self) -> Sequence[SmtpAccount]: ...


class PdfRepository(Protocol):
    def get(self, tenant_id: int, document_id: int) -> PdfJob | None: ...

    def pending_count(self, tenant_id: int) -> int: ...

    def request(self, tenant_id: int, document_id: int, now: datetime) -> None:
        """Queue a conversion: a new job, or a failed one again. Two requests at once make one job."""
        ...

    def ahead(self, job: PdfJob) -> int:
        """Pending jobs the converter takes before this one (oldest first, every tenant's): a count only."""
        ...

    def recent_seconds(self, limit: int) -> list[float]:
        """How long each of the latest ``limit`` successful conversions took."""
        ...

    def claim(self, now: datetime, lease_until: datetime) -> ClaimedPdf | None:
        """The oldest pending job nobody holds, with its .docx, leased to this converter."""
        ...

    def store(self, job: ClaimedPdf, content: bytes, sha256: str, now: datetime) -> None: ...
    def put(self, tenant_id: int, document_id: int, content: bytes, sha256: str, now: datetime) -> None:
        """A document that is a PDF already, stored ready."""
        ...

    def fail(self, job: ClaimedPdf, error: str, now: datetime) -> None: ...

    def release(self, job: ClaimedPdf) -> None:
        """Back to the queue for another attempt."""
        ...


class WebhookRepository(Protocol):
    def announce(self, message: OutboxMessage) -> None: ...

    def fan_out(self, now: datetime, limit: int) -> int:
        """Turn pending outbox rows into one delivery per subscribed, enabled endpoint."""
        ...

    def prune_delivered(self, cutoff: datetime, limit: int) -> tuple[int, int]:
        """Delete up to ``limit`` outbox rows fanned out before ``cutoff`` with no delivery still
        pending, oldest first, and their deliveries (their attempts follow by cascade). Returns
        (rows chosen, rows deleted): a delivery made pending again meanwhile (a retry) keeps its
        row, re-checked as it is deleted."""
        ...

    def claim(self, now: datetime, limit: int, share: int, lease_until: datetime) -> list[ClaimedDelivery]:
        """Due deliveries, at most ``share`` per tenant, round-robin, leased; in the order to post them."""
        ...

    def finish_attempts(
        self, outcomes: list[tuple[ClaimedDelivery, WebhookAttempt, dict[str, Any]]]
    ) -> set[int]:
        """Store each try's outcome for the rows this dispatcher still holds (a few statements
        for the whole batch); returns their ids. A row whose lease ran out and was taken by
        another dispatcher is left to that one."""
        ...

    def release(self, unposted: list[ClaimedDelivery]) -> None:
        """Let rows go that this dispatcher claimed but did not get to post."""
        ...

    def fail_pending(self, endpoint_id: int, reason: str, now: datetime) -> None: ...

    def add_endpoint(self, endpoint: WebhookEndpoint) -> None: ...

    def endpoint(self, tenant_id: int, endpoint_id: int, *, lock: bool = False) -> WebhookEndpoint | None: ...

    def endpoints(self, tenant_id: int) -> Sequence[WebhookEndpoint]: ...

    def delete_endpoint(self, endpoint: WebhookEndpoint) -> None: ...

    def deliveries(
        self, tenant_id: int, endpoint_id: int, limit: int, before: int | None
    ) -> Sequence[WebhookDelivery]: ...

    def delivery(self, tenant_id: int, delivery_id: int) -> WebhookDelivery | None: ...

    def attempts(self, delivery_ids: list[int]) -> dict[int, list[WebhookAttempt]]: ...

    def outbox_message(self, outbox_id: int) -> OutboxMessage | None: ...
