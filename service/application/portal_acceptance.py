"""What the client has to accept through the portal: the contract until it is accepted, and each
proposed amendment, each with the document whose PDF is shown before any code is asked for.

Read only. The acceptance itself is ``application/acceptance.py`` (consents, code, seal) and
``application/signed_copies.py`` (the client's own digital signature); the portal calls them
with the client as the link names them (``client_action``).
"""

from __future__ import annotations

from dataclasses import dataclass

from service.application.acceptance_target import document_of
from service.application.portal import Portal
from service.application.runtime import Runtime
from service.application.unit_of_work import UnitOfWork
from service.domain import amendments
from service.domain.acceptance import CONTRACT, ClientAction


@dataclass(frozen=True)
class ToAccept:
    subject: str  # CONTRACT or AMENDMENT
    amendment_id: int | None
    title: str  # "the contract", "amendment no. 1 of the terms", in the engagement's language
    document_id: int


def contract_accepted(uow: UnitOfWork, portal: Portal) -> bool:
    """Accepted with the code, or signed with the client's own digital signature."""
    for entry in uow.record.events(portal.engagement.id or 0):
        if entry.type == "signed_copy_received":
            return True
        if entry.type == "client_accepted" and entry.payload.get("subject") == CONTRACT:
            return True
    return False


def to_accept(rt: Runtime, uow: UnitOfWork, portal: Portal) -> list[ToAccept]:
    """The contract (if not yet accepted) and the proposed amendments, oldest first."""
    engagement, language = portal.engagement, portal.engagement.language
    wanted: list[int | None] = [] if contract_accepted(uow, portal) else [None]
    proposed = [a for a in amendments.pending(engagement) if amendments.status(a) == amendments.PROPOSED]
    wanted += [int(a.get("id", 0)) for a in proposed]
    found = []
    for amendment_id in wanted:
        document = document_of(uow, engagement, amendment_id)
        if document is None or document.id is None:
            continue  # nothing written to show yet: nothing to accept
        subject = CONTRACT if amendment_id is None else "amendment"
        [title] = rt.renderer.plain(language, f"acceptance.subjects.{subject}", id=amendment_id)
        found.append(ToAccept(subject, amendment_id, title, document.id))
    return found


def client_action(portal: Portal, address: str | None, user_agent: str) -> ClientAction:
    """Who acts: the contact the link was issued to, through the link's id (never its token)."""
    link = portal.link
    return ClientAction(
        contact=link.contact, link_id=str(link.id), address=address or "", user_agent=user_agent[:500]
    )
