"""The client accepts the contract or a pending amendment: consents, a one-time code, a sealed PDF.

The portal calls these with who acts (the contact), through which link (its id, never its
token), and from where (address, user agent). ``acceptance_terms`` says what to show and ask;
``request_acceptance_code`` e-mails a code to the client's address on file; ``confirm_acceptance``
checks the consents and the code, seals the PDF shown, records ``client_accepted`` and, for an
amendment, accepts it through the amendments' own use case (method ``portal``).

The code's e-mail goes through the account's mailer but not through the outbox: the outbox keeps
each message's body and exact bytes, which would put the code in the database in clear, and a
code held for the freelancer's approval would be dead before it left.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta
from email.utils import make_msgid
from typing import Any

from service.application.acceptance_target import Target, target_of
from service.application.loading import load_for_change
from service.application.record import append_entry
from service.application.runtime import Runtime
from service.application.sealing import seal_and_record
from service.application.smtp_accounts import mailer_for
from service.documents.emails import Letter, compose
from service.domain import acceptance
from service.domain.acceptance import AcceptanceCode, ClientAction, Consents
from service.domain.calendar import utc_timestamp
from service.domain.errors import Conflict, InvalidInput, Unavailable
from service.domain.sayings import Said, sentence


def refusal(errors: dict[str, list[str]], language: str) -> InvalidInput:
    """A 422 naming each field, said in the engagement's language (by the API or the portal)."""
    error = InvalidInput(errors)
    error.language = language
    return error


def code_key(rt: Runtime) -> bytes:
    """The codes' HMAC key: derived from the record's signing key, which never sits in the
    database (an Ed25519 signature is deterministic, so the key is the same in every process)."""
    return hashlib.sha256(rt.signer.sign(0, 0, "acceptance codes").encode()).digest()


def acceptance_terms(
    rt: Runtime, tenant_id: int, engagement_id: int, *, amendment_id: int | None = None
) -> dict[str, Any]:
    """What the portal shows before the code: the PDF to display and the consents to ask for."""
    with rt.writer() as uow:  # read only, but through the same loading as the change that follows
        loaded = load_for_change(rt, uow, tenant_id, engagement_id)
        target = target_of(rt, uow, loaded.tenant, loaded.engagement, loaded.now, amendment_id)
        return target.view()


def check_consents(
    rt: Runtime, tenant_id: int, engagement_id: int, consents: Consents, *, amendment_id: int | None = None
) -> None:
    """The portal asks for the consents before any code is sent: the same 422 ``confirm`` gives."""
    with rt.writer() as uow:
        loaded = load_for_change(rt, uow, tenant_id, engagement_id)
        target = target_of(rt, uow, loaded.tenant, loaded.engagement, loaded.now, amendment_id)
        _require_consents(consents, target)


def request_acceptance_code(
    rt: Runtime, tenant_id: int, engagement_id: int, client: ClientAction, *, amendment_id: int | None = None
) -> dict[str, Any]:
    """E-mail a 6-digit code, alive 10 minutes, to the client's address on file."""
    now = rt.clock()
    with rt.writer() as uow:
        loaded = load_for_change(rt, uow, tenant_id, engagement_id)
        tenant, engagement = loaded.tenant, loaded.engagement
        language = engagement.language
        target = target_of(rt, uow, tenant, engagement, loaded.now, amendment_id)
        if not engagement.client_email:
            raise Conflict(Said("acceptance.no_email"), language=language)
        asked = uow.acceptances.count_since(tenant_id, engagement_id, now - timedelta(hours=1))
        if asked >= acceptance.PER_HOUR:
            raise Conflict(Said("acceptance.too_many_codes", count=asked), language=language)
        mailer, from_address = mailer_for(rt, uow, tenant_id, rt.mailer)
        if mailer is None:
            raise Unavailable(sentence(language, "acceptance.no_mailer", {}))
        code, public_id = acceptance.new_code(), secrets.token_hex(8)
        row = AcceptanceCode(
            public_id=public_id,
            tenant_id=tenant_id,
            engagement_id=engagement_id,
            subject=target.subject,
            amendment_id=amendment_id,
            document_id=target.document.id or 0,
            pdf_sha256=target.pdf_sha256,
            contact=client.contact[:320],
            link_id=client.link_id[:64],
            code_hash=acceptance.code_hash(code_key(rt), public_id, code),
            created_at=now,
            expires_at=now + acceptance.ALIVE,
        )
        uow.acceptances.add(row)
        payload = {
            **target.named(),
            "code_id": public_id,
            "to": engagement.client_email,
            "expires_at": utc_timestamp(row.expires_at),
            "contact": client.contact,
            "link_id": client.link_id,
        }
        append_entry(uow, engagement, "acceptance_code_sent", payload, loaded.now)
        sender = tenant.signatory or tenant.name
        values = {"contact": (engagement.client_contact_name or "").strip(), "sender": sender}
        values |= {"subject": target.title, "code": code}
        [subject] = rt.renderer.plain(language, "acceptance.code_subject", **values)
        letter = Letter(
            sender_name=tenant.name,
            sender_address=from_address or tenant.sender_email,
            reply_to=tenant.sender_email,
            to=[engagement.client_email],
            cc=[],
            subject=subject,
            body="\n\n".join(rt.renderer.plain(language, "acceptance.code_body", **values)) + "\n",
            message_id=make_msgid(
                domain=tenant.sender_email.rpartition("@")[2] or "engagement-service.invalid"
            ),
            date=now,
            attachment_name=target.document.download_name.removesuffix(".docx") + ".pdf",
            attachment=target.pdf,  # the very PDF the code accepts
        )
        uow.commit()
    handed = mailer.send(letter.sender_address, letter.to, compose(letter))
    if not handed.accepted:
        raise Unavailable(sentence(language, "acceptance.no_mailer", {}))
    return {"code_id": public_id, "expires_at": row.expires_at, "sent_to": engagement.client_email}


def confirm_acceptance(
    rt: Runtime,
    tenant_id: int,
    engagement_id: int,
    code: str,
    consents: Consents,
    client: ClientAction,
    *,
    amendment_id: int | None = None,
) -> dict[str, Any]:
    """Accept with the code: 422 naming the missing consent or the code's problem; else the
    sealed PDF is stored and sent, and ``client_accepted`` recorded. A wrong code counts a try."""
    now = rt.clock()
    with rt.writer() as uow:
        loaded = load_for_change(rt, uow, tenant_id, engagement_id)
        tenant, engagement = loaded.tenant, loaded.engagement
        target = target_of(rt, uow, tenant, engagement, loaded.now, amendment_id)
        _require_consents(consents, target)
        row = uow.acceptances.latest(tenant_id, engagement_id, target.subject, amendment_id)
        if row is None:
            raise refusal({"code": [Said("acceptance.no_code")]}, engagement.language)
        dead = row.dead_because(now)
        if dead:
            raise refusal({"code": [dead]}, engagement.language)
        if not row.matches(code_key(rt), code):
            uow.acceptances.save(row)
            uow.commit()  # the try counts even though the request fails
            left = acceptance.TRIES - row.tries
            said = Said("acceptance.code_wrong", left=left) if left else Said("acceptance.code_exhausted")
            raise refusal({"code": [said]}, engagement.language)
        if row.pdf_sha256 != target.pdf_sha256 or row.document_id != target.document.id:
            raise Conflict(Said("acceptance.pdf_changed"), language=engagement.language)
        row.used_at = now
        uow.acceptances.save(row)
        result = seal_and_record(rt, uow, target, row, client, loaded.now)
        uow.commit()
        return result


def _require_consents(consents: Consents, target: Target) -> None:
    missing = acceptance.missing_consents(consents, target.onerous_numbers)
    if missing:
        fields = ("consents.terms", "consents.onerous_clauses")
        errors: dict[str, list[str]] = {}
        for said in missing:
            errors.setdefault(
                fields[0] if said.key == "acceptance.terms_not_accepted" else fields[1], []
            ).append(said)
        raise refusal(errors, target.language)
