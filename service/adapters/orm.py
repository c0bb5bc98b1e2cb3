"""Tables, and the classical mapping of the domain classes onto them."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    Date,
    DateTime,
    Dialect,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    Numeric,
    String,
    Table,
    Text,
    UniqueConstraint,
    event,
    false,
    select,
    text,
)
from sqlalchemy.orm import column_property, registry, relationship
from sqlalchemy.types import TypeDecorator

from service.domain import messages as message_model
from service.domain import model, webhooks
from service.domain.calendar import as_utc
from service.domain.search import search_key

metadata = MetaData(
    naming_convention={
        "ix": "ix_%(column_0_label)s",
        "uq": "uq_%(table_name)s_%(column_0_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
    }
)
mapper_registry = registry(metadata=metadata)


class UTCDateTime(TypeDecorator[datetime]):
    """Aware UTC datetimes on both backends (SQLite alone would hand back naive ones)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("refusing a naive datetime: every stored time is UTC")
        return value.astimezone(UTC) if dialect.name != "sqlite" else as_utc(value).replace(tzinfo=None)

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        return None if value is None else as_utc(value)


UTC_TIME = UTCDateTime()
MONEY = Numeric(12, 2)


def _engagement_fk(index: bool = True) -> Column:
    """Every child row is read through its engagement (loads, cascades): indexed, or each load
    scans the whole table. Tables whose unique constraint leads with the column pass False."""
    return Column(
        "engagement_id",
        Integer,
        ForeignKey("engagements.id", ondelete="CASCADE"),
        nullable=False,
        index=index,
    )


tenants = Table(
    "tenants",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("name", String(200), nullable=False),
    Column("language", String(2), nullable=False),
    Column("sandbox", Boolean, nullable=False),
    Column("sender_address", String(500), nullable=False),
    Column("sender_email", String(320), nullable=False),
    Column("vat_number", String(50), nullable=False),
    Column("signatory", String(200), nullable=False),
    Column("jurisdiction", String(2), nullable=False),
    Column("timezone", String(64), nullable=False),
    Column("iban", String(34), nullable=False),
    Column("bic", String(11), nullable=False),
    Column("city", String(200), nullable=False),
    Column("pec", String(320), nullable=False),
    Column("clock_at", UTC_TIME),
    Column("delivery_mode", String(16), nullable=False, server_default="approve"),
    Column("tax_code", String(50), nullable=False, server_default=""),
    Column("tax_profile", JSON),
    Column("payment_allocation", String(16), nullable=False, server_default="capital_first"),
    Column("interest_holds_resume", Boolean, nullable=False, server_default=false()),
    Column("created_at", UTC_TIME, nullable=False),
)

api_keys = Table(
    "api_keys",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("tenant_id", Integer, ForeignKey("tenants.id", ondelete="CASCADE"), nullable=False),
    Column("prefix", String(16), nullable=False, index=True),
    Column("key_hash", String(64), nullable=False, unique=True),
    Column("created_at", UTC_TIME, nullable=False),
    Column("name", String(100), nullable=False),
    Column("last_used_at", UTC_TIME),
    Column("expires_at", UTC_TIME),
    Column("revoked_at", UTC_TIME),
)

engagements = Table(
    "engagements",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("tenant_id", Integer, ForeignKey("tenants.id", ondelete="CASCADE"), nullable=False),
    Column("client_name", String(200), nullable=False),
    # search_key(client_name), kept by the mapper events below: ?client= searches it.
    Column("client_search", String(800), nullable=False),
    Column("client_contact_name", String(200), nullable=False),
    Column("client_contact_salutation", String(100), nullable=False, server_default=""),
    Column("client_email", String(320), nullable=False),
    Column("client_address", String(500), nullable=False),
    Column("client_vat_number", String(50), nullable=False),
    Column("client_tax_code", String(50), nullable=False),
    Column("client_pec", String(320), nullable=False),
    Column("client_sdi_code", String(7), nullable=False),
    Column("client_registered_office", String(500), nullable=False),
    Column("client_legal_representative", String(200), nullable=False),
    Column("client_legal_representative_role", String(200), nullable=False, server_default=""),
    Column("jurisdiction", String(2), nullable=False),
    Column("language", String(2), nullable=False),
    Column("currency", String(3), nullable=False),
    Column("monthly_fee", MONEY, nullable=False),
    Column("start_date", Date, nullable=False),
    Column("due_day", Integer, nullable=False),
    Column("grace_days", Integer, nullable=False),
    Column("late_payment_policy", String(32), nullable=False),
    Column("express_termination", Boolean, nullable=False, server_default=false()),
    Column("feedback_essential", Boolean, nullable=False, server_default=false()),
    Column("termination_notice_days", Integer, nullable=False, server_default="15"),
    Column("response_days", Integer, nullable=False),
    Column("reminders_before_offboarding", Integer, nullable=False),
    Column("revision_rounds", Integer, nullable=False),
    Column("services", JSON, nullable=False),
    Column("accounts", JSON, nullable=False),
    Column("term_changes", JSON, nullable=False),
    Column("state", String(32), nullable=False),
    Column("version", Integer, nullable=False),
    Column("next_deadline", UTC_TIME),
    Column("credit", MONEY, nullable=False),
    Column("paused_at", UTC_TIME),
    Column("conduct_warnings", Integer, nullable=False),
    Column("formal_demand_on", Date),
    Column("formal_demand_deadline", Date),
    Column("conduct_warned_at", UTC_TIME),
    Column("comply_by", Date),
    Column("final_notice_at", UTC_TIME),
    Column("final_notice_deadline", Date),
    Column("final_notice_path", String(16), nullable=False, server_default=""),
    Column("ends_on", Date),
    # Interest and compensation claimed in a letter: since when, what payments settled, waiver.
    Column("claimed_on", Date),
    Column("claim_paid", MONEY, nullable=False, server_default="0.00"),
    Column("claim_waiver", JSON),
    Column("offboarding_reason", String(32)),
    Column("offboarding_explanation", Text, nullable=False),
    Column("closed_at", UTC_TIME),
    Column("record_seq", Integer, nullable=False),
    Column("record_head", String(64), nullable=False),
    Column("record_signature", String(128), nullable=False, server_default=""),
    Column("workflow_version", String(32), nullable=False),
    Column("created_at", UTC_TIME, nullable=False),
    Index("ix_engagements_tenant_state_id", "tenant_id", "state", "id"),
    # A tenant's list newest first, unfiltered: a page at any depth read from the index.
    Index("ix_engagements_tenant_id_id", "tenant_id", "id"),
    # The sweep reads only rows whose deadline has passed: its cost follows the work due.
    Index("ix_engagements_next_deadline", "next_deadline"),
    # Each tenant's slice of a sweep pass reads its own due rows in deadline order.
    Index("ix_engagements_tenant_next_deadline", "tenant_id", "next_deadline"),
)

invoices = Table(
    "invoices",
    metadata,
    Column("id", Integer, primary_key=True),
    _engagement_fk(index=False),
    Column("period", String(7)),
    Column("description", String(500), nullable=False),
    Column("amount", MONEY, nullable=False),
    Column("due_on", Date, nullable=False),
    Column("issued_at", UTC_TIME, nullable=False),
    Column("paid_amount", MONEY, nullable=False),
    Column("paid_on", Date),
    Column("reminded_at", UTC_TIME),
    # Set when the invoice is first flushed (application.invoice_numbers); copied from the
    # engagement so the database itself refuses a number given twice in one tenant.
    Column("tenant_id", Integer),
    Column("number", String(20)),
    # A cancellation by credit note (issue 30): what it took off, when, why, and its number.
    Column("credited", MONEY, nullable=False, server_default="0"),
    Column("cancelled_at", UTC_TIME),
    Column("cancellation_reason", String(1000)),
    Column("credit_note_number", String(20)),
    # What SdI said of its FatturaPA files (issue 34, domain/sdi.py).
    Column("sdi_status", String(24)),
    Column("sdi_receipts", JSON, nullable=False, default=list, server_default="[]"),
    # What the client owes on it and the lines besides the fee, fixed when issued (issue 34).
    Column("payable", MONEY, nullable=False),
    Column("taxes", JSON),
    UniqueConstraint("engagement_id", "period", name="uq_invoices_engagement_period"),
    Index("uq_invoices_tenant_number", "tenant_id", "number", unique=True),
)

# The last invoice number given per tenant and calendar year: one row, taken under its row lock
# (PostgreSQL) or the writer lock (SQLite) by each issuing transaction, so numbers never repeat
# and, since a rolled-back transaction gives its number back, never skip.
invoice_counters = Table(
    "invoice_counters",
    metadata,
    Column("tenant_id", Integer, ForeignKey("tenants.id", ondelete="CASCADE"), primary_key=True),
    Column("year", Integer, primary_key=True),
    Column("last_number", Integer, nullable=False),
)

# Credit notes are numbered in their own series per tenant and year (NC-2027-0001), the same way.
credit_note_counters = Table(
    "credit_note_counters",
    metadata,
    Column("tenant_id", Integer, ForeignKey("tenants.id", ondelete="CASCADE"), primary_key=True),
    Column("year", Integer, primary_key=True),
    Column("last_number", Integer, nullable=False),
)

payments = Table(
    "payments",
    metadata,
    Column("id", Integer, primary_key=True),
    _engagement_fk(),
    Column("amount", MONEY, nullable=False),
    Column("received_on", Date, nullable=False),
    Column("reference", String(200), nullable=False),
    Column("recorded_at", UTC_TIME, nullable=False),
    Column("reversed_at", UTC_TIME),  # a reversed payment stays, counting for nothing
    Column("reversal_reason", String(1000)),
)

feedback_requests = Table(
    "feedback_requests",
    metadata,
    Column("id", Integer, primary_key=True),
    _engagement_fk(),
    Column("subject", String(500), nullable=False),
    Column("requested_at", UTC_TIME, nullable=False),
    Column("due_on", Date, nullable=False),
    Column("reminders_sent", Integer, nullable=False),
    Column("next_reminder_on", Date),
    Column("answered_at", UTC_TIME),
    Column("days_late", Integer),
)

approvals = Table(
    "approvals",
    metadata,
    Column("id", Integer, primary_key=True),
    _engagement_fk(),
    Column("item", String(500), nullable=False),
    Column("description", Text, nullable=False),
    Column("sent_at", UTC_TIME, nullable=False),
    Column("rounds", Integer, nullable=False),
    Column("status", String(32), nullable=False),
    Column("decided_at", UTC_TIME),
)

incidents = Table(
    "incidents",
    metadata,
    Column("id", Integer, primary_key=True),
    _engagement_fk(),
    Column("kind", String(32), nullable=False),
    Column("occurred_on", Date, nullable=False),
    Column("description", Text, nullable=False),
    Column("recorded_at", UTC_TIME, nullable=False),
)

work_log = Table(
    "work_log",
    metadata,
    Column("id", Integer, primary_key=True),
    _engagement_fk(),
    Column("day", Date, nullable=False),
    Column("summary", Text, nullable=False),
    Column("hours", Numeric(6, 2)),
    Column("category", String(100), nullable=False),
    Column("recorded_at", UTC_TIME, nullable=False),
)

handover_items = Table(
    "handover_items",
    metadata,
    Column("id", Integer, primary_key=True),
    _engagement_fk(),
    Column("platform", String(100), nullable=False),
    Column("handle", String(200), nullable=False),
    Column("action", String(50), nullable=False),
    Column("status", String(16), nullable=False),
    Column("reason", Text, nullable=False),
    Column("resolved_at", UTC_TIME),
    Column("withheld_until_paid", Boolean, nullable=False, server_default=false()),
)

events = Table(
    "events",
    metadata,
    Column("id", Integer, primary_key=True),
    _engagement_fk(index=False),
    Column("tenant_id", Integer, ForeignKey("tenants.id", ondelete="CASCADE"), nullable=False),
    Column("seq", Integer, nullable=False),
    Column("type", String(64), nullable=False),
    Column("occurred_at", UTC_TIME, nullable=False),
    Column("payload", JSON, nullable=False),
    Column("prev_hash", String(64), nullable=False),
    Column("hash", String(64), nullable=False),
    # Two writers can never both append entry n: the second fails and rolls back.
    UniqueConstraint("engagement_id", "seq", name="uq_events_engagement_seq"),
)

documents = Table(
    "documents",
    metadata,
    Column("id", Integer, primary_key=True),
    _engagement_fk(),
    Column("tenant_id", Integer, ForeignKey("tenants.id", ondelete="CASCADE"), nullable=False),
    Column("event_id", Integer, ForeignKey("events.id"), nullable=True),
    Column("event_seq", Integer, nullable=True),
    Column("kind", String(64), nullable=False),
    Column("language", String(2), nullable=False),
    Column("template_name", String(200), nullable=False),
    Column("template_sha256", String(64), nullable=False),
    Column("filename", String(300), nullable=False),
    Column("content", LargeBinary, nullable=False),
    Column("sha256", String(64), nullable=False),
    Column("created_at", UTC_TIME, nullable=False),
    # Listing a tenant's documents across engagements, newest first.
    Index("ix_documents_tenant_id_id", "tenant_id", "id"),
)

# A document's PDF, converted once by the converter process and kept beside the .docx (the
# same bytes-and-sha256 pattern); the row is also the conversion's job while it is pending.
document_pdfs = Table(
    "document_pdfs",
    metadata,
    Column("document_id", Integer, ForeignKey("documents.id", ondelete="CASCADE"), primary_key=True),
    Column("tenant_id", Integer, ForeignKey("tenants.id", ondelete="CASCADE"), nullable=False),
    Column("status", String(16), nullable=False),  # pending, ready, failed
    Column("attempts", Integer, nullable=False, default=0),
    Column("lease_until", UTC_TIME),  # a converter holds a claimed job until then
    Column("started_at", UTC_TIME),  # claimed: finished_at - started_at is what a conversion takes
    Column("content", LargeBinary),
    Column("sha256", String(64)),
    Column("error", String(500)),
    Column("requested_at", UTC_TIME, nullable=False),
    Column("finished_at", UTC_TIME),
    Index(
        "ix_document_pdfs_pending",
        "requested_at",
        sqlite_where=text("status = 'pending'"),
        postgresql_where=text("status = 'pending'"),
    ),
)

stored_responses = Table(
    "stored_responses",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("tenant_id", Integer, ForeignKey("tenants.id", ondelete="CASCADE"), nullable=False),
    Column("key", String(255), nullable=False),
    Column("fingerprint", String(64), nullable=False),
    Column("created_at", UTC_TIME, nullable=False),
    Column("status", Integer),
    Column("content_type", String(100), nullable=False),
    Column("body", LargeBinary, nullable=False),
    # One effect per key: concurrent first requests race on this constraint, and only one wins.
    UniqueConstraint("tenant_id", "key", name="uq_stored_responses_tenant_key"),
    # The sweeper purges the oldest first, in batches.
    Index("ix_stored_responses_created_at", "created_at"),
)

# Announcements written with the change they announce; the dispatcher fans them out.
outbox = Table(
    "outbox",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("tenant_id", Integer, ForeignKey("tenants.id", ondelete="CASCADE"), nullable=False),
    Column("type", String(64), nullable=False),
    Column("body", Text, nullable=False),
    Column("created_at", UTC_TIME, nullable=False),
    Column("dispatched_at", UTC_TIME),
    # Retention prunes the rows fanned out longest ago (application/retention.py).
    Index("ix_outbox_dispatched_at", "dispatched_at"),
    # Only the rows still to fan out are indexed: the dispatcher's scan stays small forever.
    Index(
        "ix_outbox_pending",
        "id",
        sqlite_where=text("dispatched_at IS NULL"),
        postgresql_where=text("dispatched_at IS NULL"),
    ),
)

webhook_endpoints = Table(
    "webhook_endpoints",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("tenant_id", Integer, ForeignKey("tenants.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("url", String(2000), nullable=False),
    Column("events", JSON, nullable=False),
    Column("description", String(500), nullable=False),
    Column("secret", String(100), nullable=False),
    Column("previous_secret", String(100)),
    Column("previous_secret_expires_at", UTC_TIME),
    Column("disabled_at", UTC_TIME),
    Column("disabled_reason", String(500)),
    Column("failing_since", UTC_TIME),
    Column("created_at", UTC_TIME, nullable=False),
)

webhook_deliveries = Table(
    "webhook_deliveries",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("tenant_id", Integer, ForeignKey("tenants.id", ondelete="CASCADE"), nullable=False),
    Column("endpoint_id", Integer, ForeignKey("webhook_endpoints.id", ondelete="CASCADE"), nullable=False),
    Column("outbox_id", Integer, ForeignKey("outbox.id", ondelete="CASCADE"), nullable=False),
    Column("status", String(16), nullable=False),
    Column("attempts", Integer, nullable=False),
    Column("next_attempt_at", UTC_TIME),
    # A dispatcher holds a claimed row until then; one killed mid-batch lets it go by itself.
    Column("lease_until", UTC_TIME),
    Column("lease_token", String(32)),
    Column("last_status_code", Integer),
    Column("last_error", String(500)),
    Column("completed_at", UTC_TIME),
    Column("created_at", UTC_TIME, nullable=False),
    UniqueConstraint("endpoint_id", "outbox_id", name="uq_webhook_deliveries_endpoint_outbox"),
    # An outbox row's deliveries: what retention prunes with it (and what its cascade reads).
    Index("ix_webhook_deliveries_outbox_id", "outbox_id"),
    Index(
        "ix_webhook_deliveries_due",
        "next_attempt_at",
        sqlite_where=text("status = 'pending'"),
        postgresql_where=text("status = 'pending'"),
    ),
)

webhook_attempts = Table(
    "webhook_attempts",
    metadata,
    Column("id", Integer, primary_key=True),
    Column(
        "delivery_id",
        Integer,
        ForeignKey("webhook_deliveries.id", ondelete="CASCADE"),
        nullable=False,
        index=True,
    ),
    Column("attempted_at", UTC_TIME, nullable=False),
    Column("status_code", Integer),
    Column("latency_ms", Integer, nullable=False),
    Column("error", String(500)),
)

messages = Table(
    "messages",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("tenant_id", Integer, ForeignKey("tenants.id", ondelete="CASCADE"), nullable=False),
    _engagement_fk(),
    Column("document_id", Integer, ForeignKey("documents.id", ondelete="CASCADE"), nullable=False),
    Column("channel", String(8), nullable=False),
    Column("to", JSON, nullable=False),
    Column("cc", JSON, nullable=False),
    Column("subject", String(500), nullable=False),
    Column("body", Text, nullable=False),
    Column("status", String(16), nullable=False),
    Column("message_id", String(255), nullable=False, unique=True),
    Column("sent_at", UTC_TIME),
    Column("reference", String(500)),
    Column("reason", String(1000)),
    Column("note", String(1000)),
    Column("attempts", Integer, nullable=False),
    Column("next_attempt_at", UTC_TIME),
    Column("lease_until", UTC_TIME),
    Column("smtp_reply", String(1000)),
    Column("sha256", String(64)),
    Column("eml", LargeBinary),
    Column("created_at", UTC_TIME, nullable=False),
    Index("ix_messages_tenant_status_id", "tenant_id", "status", "id"),
    # What the dispatcher sends: approved messages whose time has come.
    Index(
        "ix_messages_due",
        "next_attempt_at",
        sqlite_where=text("status = 'approved'"),
        postgresql_where=text("status = 'approved'"),
    ),
)

message_receipts = Table(
    "message_receipts",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("tenant_id", Integer, ForeignKey("tenants.id", ondelete="CASCADE"), nullable=False),
    Column("message_id", Integer, ForeignKey("messages.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("kind", String(32), nullable=False),
    Column("issued_at", UTC_TIME, nullable=False),
    Column("referenced_message_id", String(255)),
    Column("filename", String(300), nullable=False),
    Column("content", LargeBinary, nullable=False),
    Column("sha256", String(64), nullable=False),
    Column("created_at", UTC_TIME, nullable=False),
)

tenant_smtp_accounts = Table(
    "tenant_smtp_accounts",
    metadata,
    Column("tenant_id", Integer, ForeignKey("tenants.id", ondelete="CASCADE"), primary_key=True),
    Column("host", String(255), nullable=False),
    Column("port", Integer, nullable=False),
    Column("security", String(8), nullable=False),
    Column("username", String(320), nullable=False),
    Column("password_sealed", Text, nullable=False),
    Column("channel", String(8), nullable=False),
    Column("from_address", String(320), nullable=False),
    Column("updated_at", UTC_TIME, nullable=False),
)

# The client's one-time acceptance codes: only their keyed hash (domain/acceptance.py).
acceptance_codes = Table(
    "acceptance_codes",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("public_id", String(32), nullable=False),
    Column("tenant_id", Integer, ForeignKey("tenants.id", ondelete="CASCADE"), nullable=False),
    Column("engagement_id", Integer, ForeignKey("engagements.id", ondelete="CASCADE"), nullable=False),
    Column("subject", String(16), nullable=False),
    Column("amendment_id", Integer),
    Column("document_id", Integer, nullable=False),
    Column("pdf_sha256", String(64), nullable=False),
    Column("contact", String(320), nullable=False),
    Column("link_id", String(64), nullable=False),
    Column("code_hash", String(64), nullable=False),
    Column("created_at", UTC_TIME, nullable=False),
    Column("expires_at", UTC_TIME, nullable=False),
    Column("tries", Integer, nullable=False),
    Column("used_at", UTC_TIME),
    Index("ix_acceptance_codes_engagement", "engagement_id", "created_at"),
    # Looked up with its tenant, so the key holds within a tenant (docs/scaling.md).
    UniqueConstraint("tenant_id", "public_id"),
)

# The account's self-issued sealing certificate; its private key sealed with SMTP_SECRET_KEYS.
account_certificates = Table(
    "account_certificates",
    metadata,
    Column("tenant_id", Integer, ForeignKey("tenants.id", ondelete="CASCADE"), primary_key=True),
    Column("certificate_pem", Text, nullable=False),
    Column("private_key_sealed", Text, nullable=False),
    Column("created_at", UTC_TIME, nullable=False),
)

_CHILDREN = {
    "invoices": (model.Invoice, invoices, invoices.c.due_on, invoices.c.id),
    "payments": (model.Payment, payments, payments.c.id),
    "feedback_requests": (model.FeedbackRequest, feedback_requests, feedback_requests.c.id),
    "approvals": (model.ApprovalRequest, approvals, approvals.c.id),
    "incidents": (model.Incident, incidents, incidents.c.id),
    "work_log": (model.WorkLogEntry, work_log, work_log.c.day, work_log.c.id),
    "handover_items": (model.HandoverItem, handover_items, handover_items.c.id),
}


def start_mappers() -> None:
    """Map the domain classes once per process (mapping twice is an error)."""
    if mapper_registry.mappers:
        return
    mapper_registry.map_imperatively(model.Tenant, tenants)
    mapper_registry.map_imperatively(model.ApiKey, api_keys)
    mapper_registry.map_imperatively(model.Event, events)
    mapper_registry.map_imperatively(model.StoredResponse, stored_responses)
    mapper_registry.map_imperatively(model.Document, documents, exclude_properties=["size"])
    mapper_registry.map_imperatively(webhooks.OutboxMessage, outbox)
    mapper_registry.map_imperatively(webhooks.WebhookEndpoint, webhook_endpoints)
    mapper_registry.map_imperatively(
        webhooks.WebhookDelivery, webhook_deliveries, exclude_properties=["lease_until", "lease_token"]
    )
    mapper_registry.map_imperatively(webhooks.WebhookAttempt, webhook_attempts)
    mapper_registry.map_imperatively(message_model.Message, messages)
    mapper_registry.map_imperatively(message_model.Receipt, message_receipts)
    mapper_registry.map_imperatively(message_model.SmtpAccount, tenant_smtp_accounts)
    children = {}
    for name, (cls, table, *order) in _CHILDREN.items():
        mapper_registry.map_imperatively(cls, table)
        children[name] = relationship(cls, order_by=order, cascade="all, delete-orphan")
    # The tenant's zone, read in the engagement's own SELECT (a subquery on the tenant's key),
    # so every loaded engagement knows its days; never written (expire_on_flush off: a value set
    # on a new engagement stays).
    # The tenant's payment rules are read the same way: a change of the account's setting
    # applies to the next payment of every engagement.
    from_tenant = {
        name: column_property(_tenant_column(getattr(tenants.c, name)), expire_on_flush=False)
        for name in ("timezone", "payment_allocation", "interest_holds_resume")
    }
    engagement_mapper = mapper_registry.map_imperatively(
        model.Engagement,
        engagements,
        properties={**children, **from_tenant},
        version_id_col=engagements.c.version,
        # The version counts changes a client can see (one per request), not flushes.
        version_id_generator=False,
    )
    event.listen(engagement_mapper, "before_insert", _keep_client_search)
    event.listen(engagement_mapper, "before_update", _keep_client_search)


def _tenant_column(column: Any) -> Any:
    return (
        select(column)
        .where(tenants.c.id == engagements.c.tenant_id)
        .correlate_except(tenants)  # also where the outer query joins the tenant
        .scalar_subquery()
    )


def _keep_client_search(_mapper: Any, _connection: Any, engagement: model.Engagement) -> None:
    engagement.client_search = search_key(engagement.client_name)  # type: ignore[attr-defined]
