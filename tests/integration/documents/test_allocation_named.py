"""Issue 30: every letter that says what is owed names the order payments were applied in, the
account's own (capital first, or the statutory order of art. 1194 c.c.), in both languages."""

from __future__ import annotations

from datetime import date

import pytest
from conftest import NOW, make_engagement, make_tenant, payload_for, read_docx

from service.documents import DocumentRenderer, DocumentRequest

RENDERER = DocumentRenderer()
RULES = {
    ("it", "capital_first"): "I pagamenti sono imputati prima al capitale delle fatture e poi agli interessi",
    (
        "it",
        "statutory",
    ): "prima agli importi forfettari e agli interessi richiesti e poi al capitale delle fatture",
    ("en", "capital_first"): "Payments are applied first to the invoices, then to interest and compensation",
    (
        "en",
        "statutory",
    ): "applied first to the fixed compensation and the interest claimed, then to the invoices",
}


@pytest.mark.parametrize("kind", ["statement", "resume_notice", "termination_notice", "closing_record"])
@pytest.mark.parametrize("language", ["it", "en"])
@pytest.mark.parametrize("allocation", ["capital_first", "statutory"])
def test_the_letter_names_the_rule_applied(kind: str, language: str, allocation: str) -> None:
    engagement = make_engagement(language, jurisdiction="IT", payment_allocation=allocation)
    engagement.claimed_on = date(2026, 12, 5)  # December's invoice is unpaid: a claim remains
    request = DocumentRequest(kind, engagement, make_tenant(language), NOW, payload_for(kind))
    text = " ".join(read_docx(RENDERER.render(request).content).replace("\xa0", " ").split())
    assert RULES[language, allocation] in text, text
    other = "statutory" if allocation == "capital_first" else "capital_first"
    assert RULES[language, other] not in text
    if language == "en" and allocation == "statutory":
        assert "Article 1194 of the Italian Civil Code" in text  # an Italian engagement's law
