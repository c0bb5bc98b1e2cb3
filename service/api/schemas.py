"""Request and response schemas; the OpenAPI document is generated from them."""

from __future__ import annotations

import re
from typing import Any

from marshmallow import (
    RAISE,
    Schema,
    ValidationError,
    fields,
    post_load,
    pre_load,
    validate,
    validates,
    validates_schema,
)

from service.api.fields import MAX_ID, Amount, CalendarDate, EmailAddress, Line, Money, StrictBoolean, Text
from service.documents import builtin_kinds
from service.domain.acceptance import STORED_KINDS
from service.domain.calendar import JURISDICTIONS
from service.domain.health import LEVELS
from service.domain.model import CLIENT_FIELDS, LANGUAGES, LATE_PAYMENT_POLICIES
from service.domain.money import CURRENCIES
from service.domain.record import ENTRY_TYPES

# A salutation is a title and a surname ("Ms Harlow", "Dott.ssa De Luca"; one word in a script
# that joins them): no greeting of its own (the letter writes "Dear" / "Gentile") and no closing
# punctuation (the letter adds the comma).
SALUTATION = re.compile(
    r"(?:|(?!(?i:dear|gent\w*|egr\w*|spett\w*|car[oa]|hi|hello)\b)\S(?:.*\S)?(?<![,;:!.]))"
)
SALUTATION_ERROR = (
    "A title and a surname, as the letter greets them after 'Dear' / 'Gentile': 'Ms Harlow', "
    "'Sig.ra Rossi', with no greeting and no closing comma."
)
TERM_GROUPS = ("payment_terms", "feedback_terms", "approval_terms", "termination_terms")
READ_ONLY = ("id", "state", "version", "balance_due", "next_deadline", "created_at")


class StrictSchema(Schema):
    """Unknown fields are refused, and read-only ones are named as such."""

    class Meta:
        unknown = RAISE

    @pre_load
    def _refuse_read_only(self, data: Any, **_: Any) -> Any:
        if isinstance(data, dict):
            present = [name for name in READ_ONLY if name in data]
            if present:
                raise ValidationError({n: ["Read-only: the service sets this field."] for n in present})
        return data


class ClientSchema(StrictSchema):
    name = Line(200, required=True, min_length=1)
    contact_name = Line(200, load_default="")
    contact_salutation = Line(
        100,
        load_default="",
        metadata={
            "description": "How letters greet the contact after 'Dear' / 'Gentile': title and "
            "surname, as 'Ms Harlow' or 'Sig.ra Rossi'. Without it they greet the full name."
        },
    )
    email = EmailAddress(
        # Absent means no e-mail (""). A callable, so openapi.yaml states no default: "" is not an
        # e-mail address, and the document would not validate (issue 37).
        load_default=str,
        metadata={"description": "Optional when a PEC or a postal address is given"},
    )
    address = Text(500, load_default="")
    vat_number = Line(50, load_default="", metadata={"description": "VAT number (partita IVA)"})
    tax_code = Line(50, load_default="", metadata={"description": "Tax code (codice fiscale)"})
    pec = EmailAddress(metadata={"description": "Certified e-mail address (PEC)"})
    sdi_code = fields.String(
        load_default="",
        validate=validate.Regexp(r"^([A-Za-z0-9]{6,7})?$", error="An SDI code has 6 or 7 letters or digits."),
        metadata={"description": "Recipient code for Italian e-invoices (codice destinatario)"},
    )
    registered_office = Text(
        500, load_default="", metadata={"description": "Registered office (sede legale)"}
    )
    legal_representative = Line(200, load_default="", metadata={"description": "Name and surname only"})
    legal_representative_role = Line(
        200,
        load_default="",
        metadata={"description": "The signatory's role (socio accomandatario, Director), beside the name"},
    )

    @validates("contact_salutation")
    def _salutation(self, value: str, **kwargs: Any) -> None:
        if not SALUTATION.fullmatch(value.strip()):
            raise ValidationError(SALUTATION_ERROR)

    @validates_schema
    def _reachable(self, data: dict[str, Any], **kwargs: Any) -> None:
        """Letters need a way to reach the client: e-mail, PEC (messages go by PEC) or a postal
        address (messages are marked for printing). A partial change checks only what it sends."""
        if self.partial:
            return
        if not (data.get("email") or data.get("pec") or (data.get("address") or "").strip()):
            raise ValidationError(
                "Give the client's e-mail, PEC or postal address: letters need a way to reach them.",
                field_name="email",
            )


class PaymentTermsSchema(StrictSchema):
    due_day = fields.Integer(
        strict=True,
        required=True,
        validate=validate.Range(1, 31),
        metadata={"description": "Day of the month payment is due; 31 means the month's last day"},
    )
    grace_days = fields.Integer(strict=True, load_default=7, validate=validate.Range(0, 90))
    late_payment_policy = fields.String(
        load_default="remind_only", validate=validate.OneOf(LATE_PAYMENT_POLICIES)
    )
    express_termination = StrictBoolean(
        load_default=False,
        metadata={
            "description": "The contract holds an express termination clause (art. 1456 c.c.): "
            "ending for non-payment needs no formal demand's deadline to pass first. Fixed when "
            "the engagement is created (a clause the client signs)."
        },
    )


class FeedbackTermsSchema(StrictSchema):
    response_days = fields.Integer(
        strict=True,
        load_default=3,
        validate=validate.Range(1, 60),
        metadata={"description": "Business days (Monday–Friday) the client has to answer"},
    )
    reminders_before_offboarding = fields.Integer(strict=True, load_default=2, validate=validate.Range(1, 20))
    feedback_essential = StrictBoolean(
        load_default=False,
        metadata={
            "description": "The contract makes timely feedback an essential obligation: a client "
            "who does not answer may then be sent a formal demand (send_final_notice with path "
            "formal_demand, at least 15 days; art. 1454 c.c.). Without it an unanswered request "
            "ends the contract only by withdrawal with the notice period. Fixed when the "
            "engagement is created (a clause the client signs)."
        },
    )


class ApprovalTermsSchema(StrictSchema):
    revision_rounds = fields.Integer(strict=True, load_default=2, validate=validate.Range(0, 50))


class TerminationTermsSchema(StrictSchema):
    termination_notice_days = fields.Integer(
        strict=True,
        load_default=15,
        validate=validate.Range(1, 180),
        metadata={
            "description": "Calendar days of written notice to end the contract without a breach "
            "(reasons mutual and other); the termination notice names the day it ends"
        },
    )


class AccountSchema(StrictSchema):
    platform = Line(100, required=True, min_length=1)
    handle = Line(200, required=True, min_length=1)


class EngagementCreateSchema(StrictSchema):
    client = fields.Nested(ClientSchema, required=True)
    language = fields.String(
        validate=validate.OneOf(LANGUAGES),
        metadata={"description": "Language of the documents; defaults to the account's"},
    )
    jurisdiction = fields.String(
        validate=validate.OneOf(JURISDICTIONS),
        metadata={
            "description": "IT, GB or EU: interest regime, holidays, demand terms, governing law; "
            "defaults to the account's"
        },
    )
    currency = fields.String(
        required=True,
        validate=validate.OneOf(CURRENCIES, error="Not an ISO 4217 currency code."),
        metadata={"example": "EUR"},
    )
    monthly_fee = Money(required=True)
    start_date = CalendarDate(required=True)
    payment_terms = fields.Nested(PaymentTermsSchema, required=True)
    feedback_terms = fields.Nested(FeedbackTermsSchema)
    approval_terms = fields.Nested(ApprovalTermsSchema)
    termination_terms = fields.Nested(TerminationTermsSchema)
    services = fields.List(Line(300, min_length=1), load_default=list, validate=validate.Length(max=50))
    accounts = fields.List(fields.Nested(AccountSchema), load_default=list, validate=validate.Length(max=50))

    @post_load
    def _flatten(self, data: dict[str, Any], **_: Any) -> dict[str, Any]:
        """The API groups terms as SPEC §3 does; the domain keeps them flat."""
        client = data.pop("client")
        flat = {f"client_{name}": client.get(name, "") for name in CLIENT_FIELDS}
        for group in TERM_GROUPS:
            # An absent group takes the defaults its own schema declares.
            terms = data.pop(group, None)
            flat.update(terms if terms is not None else self.fields[group].schema.load({}))
        flat.update(data)
        return flat


class EngagementSchema(Schema):
    id = fields.Integer()
    state = fields.String()
    version = fields.Integer()
    client = fields.Dict()
    language = fields.String(metadata={"enum": list(LANGUAGES)})
    jurisdiction = fields.String(metadata={"enum": list(JURISDICTIONS)})
    currency = fields.String()
    monthly_fee = Amount()
    start_date = fields.Date()
    payment_terms = fields.Dict()
    feedback_terms = fields.Dict()
    approval_terms = fields.Dict()
    termination_terms = fields.Dict()
    services = fields.List(fields.String())
    accounts = fields.List(fields.Nested(AccountSchema))
    balance_due = Amount()
    credit = Amount()
    next_deadline = fields.DateTime(allow_none=True)
    workflow_version = fields.String()
    offboarding_reason = fields.String(allow_none=True)
    pending_terms = fields.List(
        fields.Dict(),
        metadata={
            "description": "Amendments not in force yet: id, status (proposed until the client "
            "accepts, then accepted), effective_on, changes"
        },
    )
    warnings = fields.List(
        fields.String(),
        metadata={"description": "Only when created: what to check (a back-dated start)"},
    )
    created_at = fields.DateTime()


class PageQuerySchema(Schema):
    """What every list takes: a page size and the cursor the previous page gave."""

    limit = fields.Integer(
        load_default=20,
        validate=validate.Range(min=1),
        metadata={"description": "Page size; values above 100 are clamped to 100"},
    )
    cursor = fields.String(
        validate=validate.Regexp(r"^[0-9]{1,10}$", error="Not a cursor this service issued."),
        metadata={"description": "next_cursor from the previous page"},
    )


def before_id(query: dict[str, Any]) -> int | None:
    """The cursor as the id the next page starts below (beyond any id: the first page)."""
    cursor = query.get("cursor")
    return min(int(cursor), MAX_ID) if cursor else None


def page_schema(name: str, item: type[Schema]) -> type[Schema]:
    """``{"items": [...], "next_cursor": ...}``: the envelope of every list."""
    return Schema.from_dict(
        {
            "items": fields.List(fields.Nested(item)),
            "next_cursor": fields.String(
                allow_none=True,
                metadata={"description": "Pass as ?cursor= for the next page; null on the last"},
            ),
        },
        name=name,
    )


EngagementPageSchema = page_schema("EngagementPage", EngagementSchema)


class ListQuerySchema(PageQuerySchema):
    state = fields.String(
        validate=validate.Regexp(r"^[a-z_]{1,32}$", error="Not a state name."),
        metadata={"description": "Only engagements in this state (a name from GET /v1/workflow)"},
    )
    client = Text(
        200,
        min_length=1,
        metadata={"description": "Part of the client's name; case and accents do not matter"},
    )
    health = fields.String(
        validate=validate.OneOf(LEVELS),
        metadata={"description": "Only engagements whose most pressing signal is at this level"},
    )


class EventSchema(Schema):
    seq = fields.Integer()
    type = fields.String(metadata={"enum": list(ENTRY_TYPES)})
    occurred_at = fields.DateTime()
    payload = fields.Dict()
    prev_hash = fields.String()
    hash = fields.String()


class VerificationSchema(Schema):
    valid = fields.Boolean()
    count = fields.Integer()
    head = fields.String()
    first_broken = fields.Dict(allow_none=True)


class InputFieldSchema(Schema):
    name = fields.String()
    type = fields.String(metadata={"enum": ["text", "choice", "integer"]})
    required = fields.Boolean()
    max_length = fields.Integer(allow_none=True)
    one_line = fields.Boolean(metadata={"description": "Text that must be one line of visible characters"})
    choices = fields.List(fields.String())
    minimum = fields.Integer(allow_none=True)
    maximum = fields.Integer(allow_none=True)
    description = fields.String()


class TriggerStatusSchema(Schema):
    trigger = fields.String()
    dest = fields.String()
    allowed = fields.Boolean(
        metadata={"description": "The guards hold, as far as they can know without input"}
    )
    blocked_by = fields.List(fields.String())
    needs = fields.List(
        fields.Nested(InputFieldSchema), metadata={"description": "Required input the request must give"}
    )
    by = fields.List(fields.String(), metadata={"description": "Who fires it: user, clock, payment"})
    automatic = fields.Boolean(metadata={"description": "The clock or a payment may fire it"})


class TransitionListSchema(Schema):
    state = fields.String()
    version = fields.Integer()
    transitions = fields.List(fields.Nested(TriggerStatusSchema))


class DocumentSchema(Schema):
    id = fields.Integer()
    engagement_id = fields.Integer()
    # Besides the rendered kinds, the PDFs the service stores as they are (a sealed acceptance).
    kind = fields.String(metadata={"enum": sorted(builtin_kinds().union(STORED_KINDS))})
    language = fields.String(metadata={"enum": list(LANGUAGES)})
    template_name = fields.String()
    template_sha256 = fields.String()
    filename = fields.String()
    sha256 = fields.String()
    size = fields.Integer()
    event_seq = fields.Integer(strict=True, allow_none=True)
    created_at = fields.DateTime()


class TransitionResultSchema(Schema):
    engagement = fields.Nested(EngagementSchema)
    event = fields.Nested(EventSchema)
    documents = fields.List(fields.Nested(DocumentSchema))
