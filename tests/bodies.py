"""A valid body for every write operation, keyed as openapi.yaml names it.

Tests that sweep every operation (isolation, hostile input) start from these; a new write
operation without an entry here makes those tests fail and ask for one.
"""

from __future__ import annotations

from typing import Any

from tests.conftest import engagement_body

E = "/v1/engagements/{engagement_id}"
W = "/v1/webhook-endpoints"
# A literal public address: accepted by the SSRF guard without any DNS lookup.
PUBLIC_HOOK_URL = "https://93.184.216.34/hooks"


# A PEC acceptance receipt: the one route whose body is an .eml, not JSON.
PEC_RECEIPT = (
    b"Date: Tue, 01 Dec 2026 10:00:05 +0100\r\nX-Ricevuta: accettazione\r\n"
    b"Subject: ACCETTAZIONE: Piano\r\n\r\nAccettato.\r\n"
)

# An SdI delivery receipt (RicevutaConsegna) of another tenant's first invoice file: the body of
# the one route that takes SdI's XML.
SDI_RECEIPT = (
    b'<?xml version="1.0" encoding="UTF-8"?>'
    b'<ns3:RicevutaConsegna xmlns:ns3="http://www.fatturapa.gov.it/sdi/messaggi/v1.0" versione="1.0">'
    b"<IdentificativoSdI>4242</IdentificativoSdI><NomeFile>IT01234567890_00001.xml</NomeFile>"
    b"<DataOraRicezione>2026-12-01T10:00:00.000+01:00</DataOraRicezione>"
    b"<DataOraConsegna>2026-12-01T10:05:00.000+01:00</DataOraConsegna>"
    b"<Destinatario><Codice>ABC1234</Codice><Descrizione>Bottega</Descrizione></Destinatario>"
    b"<MessageId>123456</MessageId></ns3:RicevutaConsegna>"
)


def valid_bodies() -> dict[tuple[str, str], Any]:
    return {
        ("post", "/v1/engagements"): engagement_body(),
        ("post", f"{E}/transitions"): {
            "trigger": "request_feedback",
            "data": {"subject": "Approve the plan"},
            "note": "Asked by phone too",
        },
        ("post", f"{E}/documents"): {"kind": "contract"},
        ("post", f"{E}/amendments/{{amendment_id}}/acceptance"): {
            "accepted_by": "Giulia Rossi, amministratrice",
            "accepted_on": "2026-12-01",
            "method": "signed_copy",
            "note": "Countersigned copy received by post",
        },
        ("post", f"{E}/amendments/{{amendment_id}}/withdrawal"): {"reason": "Agreed to keep the fee"},
        ("post", f"{E}/termination-agreement/acceptance"): {
            "accepted_by": "Giulia Rossi, amministratrice",
            "accepted_on": "2026-12-01",
            "method": "pec_reply",
            "note": "Signed agreement returned by PEC",
        },
        ("post", f"{E}/invoices"): {
            "description": "Extra campaign",
            "amount": "100.00",
            "due_on": "2026-12-31",
        },
        ("post", f"{E}/payments"): {"amount": "100.00", "received_on": "2026-12-01", "reference": "Transfer"},
        ("post", f"{E}/payments/{{payment_id}}/reversal"): {"reason": "The transfer bounced"},
        ("post", f"{E}/invoices/{{invoice_id}}/cancellation"): {"reason": "Billed twice by mistake"},
        ("post", f"{E}/work-log"): {"date": "2026-12-01", "summary": "Plan", "category": "content"},
        ("post", f"{E}/incidents"): {
            "kind": "scope",
            "occurred_on": "2026-12-01",
            "description": "More asked",
        },
        ("post", f"{E}/approvals"): {"item": "Post 12", "description": "Carousel"},
        ("post", f"{E}/portal-links"): {"contact": "giulia@bottegarossi.it"},
        ("post", "/v1/approvals/{approval_id}/decision"): {
            "decision": "changes_requested",
            "comment": "Other photo",
        },
        ("post", f"{E}/handover/{{item_id}}"): {"action": "waive", "reason": "Not needed"},
        ("patch", "/v1/tenant"): {
            "name": "Studio Bianchi",
            "address": "Via Po 2, Torino",
            "vat_number": "IT01234567890",
            "signatory": "Anna Bianchi",
            "city": "Torino",
            "iban": "IT60X0542811101000000123456",
            "bic": "UNCRITMM",
            "timezone": "Europe/Rome",
            "jurisdiction": "IT",
            "pec": "studio@pec.it",
        },
        ("post", "/v1/clock/tick"): {},
        ("patch", E): {
            "client": {"name": "Bottega Rossi", "contact_name": "Marco Rossi", "address": "Via Po 2"},
            "services": ["Paid ads"],
            "accounts": [{"platform": "tiktok", "handle": "@bottega"}],
        },
        ("post", "/v1/tenant/keys"): {"name": "laptop", "expires_at": "2027-12-01T00:00:00Z"},
        ("post", W): {"url": PUBLIC_HOOK_URL, "events": ["engagement.transitioned"], "description": "CRM"},
        ("patch", f"{W}/{{endpoint_id}}"): {"events": ["*"], "description": "CRM sync"},
        ("delete", f"{W}/{{endpoint_id}}"): {},
        ("post", f"{W}/{{endpoint_id}}/rotate-secret"): {},
        ("post", "/v1/webhook-deliveries/{delivery_id}/retry"): {},
        ("patch", "/v1/messages/{message_id}"): {
            "subject": "Piano",
            "body": "Gentile Giulia, ecco il piano.",
        },
        ("post", "/v1/messages/{message_id}/approve"): {},
        ("put", "/v1/tenant/smtp"): {
            "host": "smtps.pec.aruba.it",
            "port": 465,
            "security": "tls",
            "username": "studio.bianchi@pec.it",
            "password": "app password",
            "channel": "pec",
        },
        ("post", "/v1/messages/{message_id}/receipts"): PEC_RECEIPT,
        ("post", "/v1/engagements/{engagement_id}/invoices/{invoice_id}/fatturapa/receipts"): SDI_RECEIPT,
        # Any bytes: the engagement is looked up before the signature is checked.
        ("post", "/v1/engagements/{engagement_id}/contract/signed-copy"): b"%PDF-1.7 signed contract",
        ("post", "/v1/messages/{message_id}/discard"): {"reason": "Told her by phone"},
        ("post", "/v1/messages/{message_id}/mark-sent"): {
            "sent_at": "2026-12-01T08:00:00+00:00",
            "channel": "pec",
            "reference": "Ricevuta di consegna",
        },
    }
