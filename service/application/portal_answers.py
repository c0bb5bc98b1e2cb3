"""The client's answers in the portal: each fires the same use case as the API, and each is first a
``client_answered`` entry in the hash chain, the client's own evidence.

The entry holds the contact and the link's id (never the token), the client's address and user
agent, the decision, the comment, the consent as worded on the page, and what was shown: the text
of a request with its sha256, or a letter's sha256 as the record already has it. The page posts the
hash of what it showed; if the item changed meanwhile the answer is refused, so the record never
says the client agreed to something they did not see.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from service.application.entries import apply_decision
from service.application.loading import load_for_change
from service.application.portal import LinkClosed, sent_letters
from service.application.portal_links import open_link
from service.application.record import append_entry
from service.application.runtime import Runtime
from service.application.transitions import apply_trigger
from service.application.unit_of_work import UnitOfWork
from service.domain.entry_rules import APPROVAL_DECISIONS
from service.domain.errors import Conflict, InvalidInput, NotFound
from service.domain.model import ApprovalRequest, Engagement, FeedbackRequest
from service.domain.portal import ACTIVE

FEEDBACK_DECISIONS = APPROVAL_DECISIONS  # approve, or ask for changes
ACKNOWLEDGED = "acknowledged"
KINDS = ("feedback", "approval", "letter")
# The text the page shows for an item, in the engagement's language (the portal's wording).
ShownText = Callable[[Engagement, str, FeedbackRequest | ApprovalRequest], str]


@dataclass(frozen=True)
class Answer:
    token: str
    kind: str  # feedback | approval | letter
    item_id: int
    decision: str
    comment: str
    shown_sha256: str  # as the page posted it
    consent: str  # the sentence the client confirmed, as shown
    address: str | None
    user_agent: str


class ShownChanged(Conflict):
    """The item is no longer what the page showed: the client must look again."""


def sha256_text(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def answer(rt: Runtime, given: Answer, shown_text: ShownText) -> None:
    if given.kind not in KINDS:
        raise NotFound(given.kind, given.item_id)
    with rt.writer() as uow:
        opened = open_link(rt, uow, given.token)
        if opened is None or opened.status != ACTIVE:
            raise LinkClosed(opened)
        link = opened.link
        change = load_for_change(rt, uow, link.tenant_id, link.engagement_id)
        engagement, now = change.engagement, change.now
        about, shown, shown_sha256, act = _item(rt, uow, engagement, given, shown_text, now)
        if shown_sha256 != given.shown_sha256:
            raise ShownChanged("What was shown has changed; look at it again before answering.")
        payload = {
            "link_id": link.id,
            "contact": link.contact,
            "answered_at": now.isoformat(),
            "address": given.address,
            "user_agent": given.user_agent[:500],
            "about": about,
            "item": {"kind": given.kind, "id": given.item_id},
            "shown": shown,
            "shown_sha256": shown_sha256,
            "decision": given.decision,
            "comment": given.comment,
            "consent": given.consent,
        }
        append_entry(uow, engagement, "client_answered", payload, now)
        act()
        uow.commit()


def _item(
    rt: Runtime,
    uow: UnitOfWork,
    engagement: Engagement,
    given: Answer,
    shown_text: ShownText,
    now: datetime,
) -> tuple[str, str | None, str, Callable[[], None]]:
    """(what it is about, the text shown or None for a letter, its sha256, the use case to run)."""
    if given.kind == "letter":
        _decided(given.decision, (ACKNOWLEDGED,))
        letter = next((d for d in sent_letters(uow, engagement) if d.id == given.item_id), None)
        if letter is None:
            raise NotFound("letter", given.item_id)
        return rt.renderer.kind_name(letter.kind, engagement.language), None, letter.sha256, lambda: None
    if given.kind == "feedback":
        _decided(given.decision, FEEDBACK_DECISIONS)
        request = engagement.open_feedback_request
        if request is None or request.id != given.item_id:
            raise NotFound("open feedback request", given.item_id)
        text = shown_text(engagement, given.kind, request)
        return (
            f"«{request.subject}»",
            text,
            sha256_text(text),
            lambda: _feedback(rt, uow, engagement, given, now),
        )
    _decided(given.decision, APPROVAL_DECISIONS)
    approval = next((a for a in engagement.approvals if a.id == given.item_id), None)
    if approval is None:
        raise NotFound("approval request", given.item_id)
    text = shown_text(engagement, given.kind, approval)

    def decide() -> None:
        apply_decision(uow, engagement, approval, given.decision, given.comment, now)

    return f"«{approval.item}»", text, sha256_text(text), decide


def _feedback(rt: Runtime, uow: UnitOfWork, engagement: Engagement, given: Answer, now: datetime) -> None:
    definition = rt.workflow.definition
    # The trigger that closes a feedback request and that a client may fire: named in the workflow.
    closing = definition.triggers_with_effect("close_feedback_request")
    trigger = next(t for t in sorted(closing) if "client" in definition.triggers[t].by)
    summary = f"{given.decision}: {given.comment}" if given.comment else given.decision
    tenant = uow.tenants.get(engagement.tenant_id)
    assert tenant is not None
    data = {"summary": summary[:5000]}
    apply_trigger(rt, uow, tenant, engagement, trigger, now, data=data, actor="client")


def _decided(decision: str, allowed: tuple[str, ...]) -> None:
    if decision not in allowed:
        raise InvalidInput({"decision": [f"One of {', '.join(allowed)}."]})
