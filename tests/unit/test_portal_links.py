"""A portal link's lifetime, status and contact, as the domain decides them."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from service.domain.model import FeedbackRequest
from service.domain.portal import PortalLink, contact_on_file, expiry, token_digest
from tests.unit.builders import NOW, engagement, invoice

ROME = "Europe/Rome"


def _engagement(**changes: object) -> object:
    e = engagement(**changes)
    e.timezone = ROME  # set from the tenant when loaded
    return e


def test_a_link_lives_30_days_or_30_days_past_the_latest_deadline_it_serves() -> None:
    bare = _engagement()
    assert expiry(bare, NOW) == NOW + timedelta(days=30)
    asked = _engagement(
        feedback_requests=[FeedbackRequest(subject="Plan", requested_at=NOW, due_on=date(2027, 1, 20))]
    )
    # Midnight in Rome on 19 February 2027, as UTC.
    assert expiry(asked, NOW) == datetime.fromisoformat("2027-02-18T23:00:00+00:00")
    answered = FeedbackRequest(subject="Plan", requested_at=NOW, due_on=date(2027, 3, 1), answered_at=NOW)
    owed = _engagement(feedback_requests=[answered], invoices=[invoice(date(2027, 2, 1))])
    assert expiry(owed, NOW) == datetime.fromisoformat(
        "2027-03-02T23:00:00+00:00"
    )  # the invoice, not the answered


def test_a_link_is_active_until_it_expires_or_is_revoked() -> None:
    link = PortalLink(1, 1, "giulia@bottegarossi.it", token_digest("t"), NOW, NOW + timedelta(days=30))
    assert link.status(NOW) == "active"
    assert link.status(NOW + timedelta(days=30)) == "expired"
    link.revoked_at = NOW
    assert link.status(NOW) == "revoked"


def test_a_link_goes_only_to_an_address_the_engagement_holds() -> None:
    e = _engagement(client_pec="bottegarossi@pec.example")
    assert contact_on_file(e, " Giulia@BottegaRossi.it ")
    assert contact_on_file(e, "bottegarossi@pec.example")
    assert not contact_on_file(e, "someone@elsewhere.example")
    assert not contact_on_file(_engagement(client_email=""), "")
