"""Which template and builder make each document kind: the one registry of document kinds.

A letter whose wording (``notices.<kind>`` in every language) needs no values beyond the
engagement's terms and the transition's input needs no builder of its own: the renderer
serves it with ``notices.standard_letter`` (see ``DocumentRenderer.kinds``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from service.documents import (
    agreement,
    amendment,
    credit_note,
    demand,
    notices,
    reports,
    statement,
    termination,
)
from service.documents.base import DocContext
from service.documents.shapes import (
    ChecklistContext,
    Common,
    ContractContext,
    LetterContext,
    ReportContext,
)

Builder = Callable[[DocContext], Common]

TEMPLATE_SHAPES: dict[str, type[Common]] = {
    "contract.docx": ContractContext,
    "letter.docx": LetterContext,
    "final_report.docx": ReportContext,
    "handover_checklist.docx": ChecklistContext,
}

_LETTERS: dict[str, Builder] = {
    "feedback_request": notices.feedback_request,
    "feedback_reminder": notices.feedback_reminder,
    "payment_reminder": notices.payment_reminder,
    "stop_work_notice": notices.stop_work_notice,
    "resume_notice": notices.resume_notice,
    "contract_amendment": amendment.contract_amendment,
    "conduct_warning": notices.conduct_warning,
    "termination_notice": termination.termination_notice,
    "termination_agreement": agreement.termination_agreement,
    "final_notice": termination.final_notice,
    "closing_record": notices.closing_record,
    "statement": statement.statement_letter,
    "formal_demand": demand.formal_demand,
    "credit_note": credit_note.credit_note,
    "portal_link": notices.standard_letter,  # a fresh portal link; the link is in the e-mail only
}

KINDS: dict[str, tuple[str, Builder]] = {
    "contract": ("contract.docx", reports.contract),
    "final_report": ("final_report.docx", reports.final_report),
    "handover_checklist": ("handover_checklist.docx", reports.handover_checklist),
    **{kind: ("letter.docx", builder) for kind, builder in _LETTERS.items()},
}
STANDARD_LETTER: tuple[str, Builder] = ("letter.docx", notices.standard_letter)
# The kinds with a builder of their own. Every kind a service knows is ``registered_kinds``:
# these and the wording's letters (``DocumentRenderer.kinds``); validate against that.
DOCUMENT_KINDS: frozenset[str] = frozenset(KINDS)


def registered_kinds(letters: Iterable[str]) -> frozenset[str]:
    """Every document kind: the built ones, and each letter the wording holds (``notices.<kind>``)."""
    return DOCUMENT_KINDS | frozenset(letters)
