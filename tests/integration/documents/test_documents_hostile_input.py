"""Client text is data: hostile strings come out literally and the file stays valid."""

from __future__ import annotations

import pytest
from conftest import NOW, make_engagement, make_tenant, payload_for, read_docx
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from service.documents import DocumentRenderer, DocumentRequest

TRICKY = ["&", "<", ">", "]]>", "{{ 7*7 }}", "{% if %}", "{_{", "%}", "😀", "שלום", "مرحبا", "'\""]
# XML-legal text without control characters or line separators (those split address lines).
PLAIN = st.text(
    alphabet=st.characters(blacklist_categories=["Cc", "Cs", "Zl", "Zp"]), min_size=1, max_size=12
)
FIELD = (
    st.lists(st.sampled_from(TRICKY) | PLAIN, min_size=1, max_size=5)
    .map("".join)
    .filter(lambda text: text.strip() == text and text)
)
RENDERER = DocumentRenderer()


@pytest.mark.slow
@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    name=FIELD,
    contact=FIELD,
    address=st.tuples(FIELD, FIELD),
    service=FIELD,
    handle=FIELD,
    subject=FIELD,
    explanation=FIELD,
)
def test_client_text_comes_out_literally(
    name: str,
    contact: str,
    address: tuple[str, str],
    service: str,
    handle: str,
    subject: str,
    explanation: str,
) -> None:
    engagement = make_engagement(
        "en",
        client_name=name,
        client_contact_name=contact,
        client_address="\n".join(address),
        services=[service],
        accounts=[{"platform": "Instagram", "handle": handle}],
    )
    engagement.feedback_requests[-1].subject = subject
    engagement.handover_items[0].handle = handle
    payloads = {
        "contract": {},
        "feedback_request": {**payload_for("feedback_request"), "subject": subject},
        "termination_notice": {**payload_for("termination_notice"), "explanation": explanation},
        "handover_checklist": payload_for("handover_checklist"),
    }
    wanted = {
        "contract": [name, contact, *address, service, handle],
        "feedback_request": [name, contact, subject],
        "termination_notice": [name, explanation],
        "handover_checklist": [name, handle],
    }
    for kind, payload in payloads.items():
        request = DocumentRequest(kind, engagement, make_tenant("en"), NOW, payload)
        document = RENDERER.render(request)
        text = read_docx(document.content)  # raises if the file is not valid
        # read_docx reads no-break spaces as spaces: so must the values typed with them.
        missing = [value for value in wanted[kind] if value.replace("\xa0", " ") not in text]
        assert not missing, f"{kind} lost {missing!r}"
        assert document.filename.isascii() and "/" not in document.filename
