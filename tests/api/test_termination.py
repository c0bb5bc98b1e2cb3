"""Ending a contract through the API, on both backends: an unresponsive client's final notice and
its date, the notice period of a mutual ending as a term of the contract, prepayment applied
from the day a late payment is settled, and the fee invoiced during a suspension. Dates and
sentences are written out by hand."""

from __future__ import annotations

from typing import Any

import pytest

from tests.api.test_billing import invoices, pay
from tests.api.test_offboarding_journeys import document_text, fire_ok
from tests.conftest import Api, FakeClock, engagement_body


def silent_client(api: Api, clock: FakeClock, reminder_gap: int = 4, **terms: Any) -> int:
    """A request of Tue 1 Dec (due Fri 4), reminded on Mon 7 December and three business days
    later, unanswered: Fri 11 in Italy, where Tue 8 is the Immacolata (``reminder_gap`` 4), Thu 10
    in England (3)."""
    eid = api.create_engagement(**terms)["id"]
    assert pay(api, eid, "1200.00", "2026-12-01").status_code == 201
    fire_ok(api, eid, "request_feedback", subject="Approve the December plan")
    clock.advance(days=6)
    fire_ok(api, eid, "remind_feedback")
    clock.advance(days=reminder_gap)
    fire_ok(api, eid, "remind_feedback")
    return eid


STORIES = [
    pytest.param(
        {
            "terms": {},
            "reminder_gap": 4,
            "first": "Inviate prima un ultimo avviso (send_final_notice): per concludere l'incarico perché "
            "il cliente non risponde, la data che l'avviso indica deve passare senza risposta.",
            "blocked": "L'ultimo avviso dell'11 dicembre 2026 concede al cliente tempo fino al 18 dicembre 2026 per "
            "rispondere; l'incarico può concludersi per mancata risposta dal 19 dicembre 2026.",
            "letter": [
                "Ultimo avviso – attendiamo una vostra risposta entro 7 giorni dalla ricezione",
                "Approve the December plan",
                "eserciteremo il recesso dal contratto previsto dall'articolo 7, con il preavviso di 15 giorni.",
            ],
            "notice": [
                "Recesso dal contratto, che cessa il 3 gennaio 2027",
                "con il preavviso di 15 giorni previsto dall'articolo 7. Il contratto cessa il giorno "
                "3 gennaio 2027",
                "Con il nostro ultimo avviso dell'11 dicembre 2026 vi avevamo chiesto una risposta "
                "entro il 18 dicembre 2026",
            ],
        },
        id="it",
    ),
    pytest.param(
        {
            "terms": {"language": "en", "jurisdiction": "GB", "currency": "GBP"},
            "reminder_gap": 3,
            "first": "Send a final notice (send_final_notice) first: ending for an unresponsive client "
            "needs the date it names to pass unanswered.",
            "blocked": "The final notice of 2026-12-10 gives the client until 2026-12-17 to answer; the "
            "engagement can end for an unresponsive client from 2026-12-18.",
            "letter": [
                "Final notice – we need your answer within 7 days of receipt",
                "Your answer to our request “Approve the December plan” was due on 4 December 2026",
                "we will give notice ending our agreement under clause 7, with the notice period of 15 days.",
            ],
            "notice": [
                "Notice of termination: our agreement ends on 2 January 2027",
                "In our final notice of 10 December 2026 we asked you to answer by 17 December 2026",
            ],
        },
        id="en",
    ),
]


@pytest.mark.parametrize("story", STORIES)
def test_an_unresponsive_client_is_ended_only_after_a_final_notice_date_passes(
    api: Api, clock: FakeClock, story: dict[str, Any]
) -> None:
    eid = silent_client(api, clock, story["reminder_gap"], **story["terms"])
    before = api.fire(eid, "begin_offboarding", reason="unresponsive")
    assert before.status_code == 422
    assert before.json["blocked_by"] == [story["first"]]
    body = api.get(f"/v1/engagements/{eid}/transitions").json
    listed = {t["trigger"]: t for t in body["transitions"]}
    assert listed["send_final_notice"]["allowed"] is True

    sent = fire_ok(api, eid, "send_final_notice")  # the second reminder's day + 7
    assert sent["engagement"]["state"] == "awaiting_feedback"
    assert [d["kind"] for d in sent["documents"]] == ["final_notice"]
    letter = document_text(api, eid, "final_notice")
    for words in story["letter"]:
        assert words in letter, letter

    clock.advance(days=7)  # the date itself: still the client's
    early = api.fire(eid, "begin_offboarding", reason="unresponsive")
    assert early.status_code == 422
    assert early.json["blocked_by"] == [story["blocked"]]
    clock.advance(days=1)
    fire_ok(api, eid, "begin_offboarding", reason="unresponsive")
    notice = document_text(api, eid, "termination_notice")
    for words in story["notice"]:
        assert words in notice, notice


def test_a_final_notice_before_the_promised_reminders_is_refused(api: Api, clock: FakeClock) -> None:
    eid = api.create_engagement()["id"]
    fire_ok(api, eid, "request_feedback", subject="Approve the December plan")
    clock.advance(days=6)
    fire_ok(api, eid, "remind_feedback")
    refused = api.fire(eid, "send_final_notice", days=3)
    assert refused.status_code == 422
    assert refused.json["blocked_by"] == ["Risulta 1 sollecito senza risposta su 2 richiesti."]
    too_long = api.fire(eid, "send_final_notice", days=91)
    assert too_long.status_code == 422 and "data.days" in too_long.json["errors"]


def test_an_answer_after_the_final_notice_blocks_ending_for_silence(api: Api, clock: FakeClock) -> None:
    eid = silent_client(api, clock)
    fire_ok(api, eid, "send_final_notice", days=3)  # Fri 11 Dec: until Mon 14 December
    clock.advance(days=1)
    fire_ok(api, eid, "receive_feedback", summary="Approved at last")
    clock.advance(days=10)
    refused = api.fire(eid, "begin_offboarding", reason="unresponsive")
    assert refused.status_code == 422
    assert refused.json["blocked_by"] == [
        "Il cliente ha risposto il 12 dicembre 2026, dopo l'ultimo avviso dell'11 dicembre 2026: se tornasse a "
        "non rispondere, inviate i solleciti e un nuovo ultimo avviso."
    ]


def test_the_notice_period_is_a_term_and_a_withdrawal_names_one_end_date(api: Api, clock: FakeClock) -> None:
    created = api.create_engagement(termination_terms={"termination_notice_days": 20})
    eid = created["id"]
    assert created["termination_terms"] == {"termination_notice_days": 20}
    assert "con un preavviso di 20 giorni" in document_text(api, eid, "contract")
    etag = api.get(f"/v1/engagements/{eid}").headers["ETag"]
    changed = api.patch(
        f"/v1/engagements/{eid}",
        json={"effective_on": "2026-12-01", "termination_terms": {"termination_notice_days": 30}},
        headers={"If-Match": etag},
    )
    assert changed.status_code == 200, changed.json
    amendment = document_text(api, eid, "contract_amendment")
    assert "Preavviso di recesso: 30 giorni (anziché 20 giorni)." in amendment
    # A proposal: it binds once the client's acceptance is recorded (issue 30).
    acceptance = {"accepted_by": "Giulia Rossi", "accepted_on": "2026-12-01", "method": "email_reply"}
    assert api.post(f"/v1/engagements/{eid}/amendments/1/acceptance", json=acceptance).status_code == 201
    assert api.get(f"/v1/engagements/{eid}").json["termination_terms"] == {"termination_notice_days": 30}

    clock.advance(days=2)  # Thu 3 Dec + 30 days: Sat 2 January 2027
    ended = fire_ok(api, eid, "begin_offboarding", reason="other", explanation="Budget moved in-house")
    assert ended["event"]["payload"]["ends_on"] == "2027-01-02"
    notice = document_text(api, eid, "termination_notice")
    assert "Recesso dal contratto, che cessa il 2 gennaio 2027" in notice
    assert (
        "con il preavviso di 30 giorni previsto dall'articolo 7. Il contratto cessa il giorno 2 gennaio 2027"
        in notice
    )
    assert "con effetto dal" not in notice


@pytest.mark.parametrize("value", [0, 181, "15", True, None])
def test_the_notice_period_is_a_whole_number_of_days_within_bounds(api: Api, value: object) -> None:
    body = engagement_body(termination_terms={"termination_notice_days": value})
    response = api.post("/v1/engagements", json=body)
    assert response.status_code == 422
    assert "termination_terms.termination_notice_days" in response.json["errors"]


def test_the_notice_period_defaults_to_fifteen_days(api: Api) -> None:
    assert api.create_engagement()["termination_terms"] == {"termination_notice_days": 15}


def test_prepayment_moves_the_due_day_from_the_day_the_late_payment_is_settled(
    api: Api, clock: FakeClock
) -> None:
    terms = {"due_day": 10, "grace_days": 7, "late_payment_policy": "require_prepayment"}
    eid = api.create_engagement(payment_terms=terms)["id"]
    assert "Pagamento anticipato dopo un ritardo" in document_text(api, eid, "contract")
    clock.advance(days=10)  # 11 Dec: December's invoice, due 10 Dec, is overdue
    fire_ok(api, eid, "mark_payment_overdue")
    clock.advance(days=4)  # 15 Dec: the client pays, the payment resumes the engagement
    paid = pay(api, eid, "1200.00", "2026-12-15")
    assert paid.status_code == 201 and paid.json["engagement"]["state"] == "active"
    assert api.get(f"/v1/engagements/{eid}").json["payment_terms"]["due_day"] == 1
    letter = document_text(api, eid, "contract_amendment")
    assert "Pagamento anticipato dal 15 dicembre 2026, come previsto dal contratto" in letter
    assert "che avete sottoscritto" in letter and "non vi chiede un nuovo accordo" in letter
    assert "confermare il vostro accordo" not in letter

    clock.advance(days=18)  # 2 January 2027: January's invoice is issued under the new due day
    api.post("/v1/clock/tick")
    assert [(i["period"], i["due_on"]) for i in invoices(api, eid)] == [
        ("2026-12", "2026-12-10"),  # issued before the change: unchanged
        ("2027-01", "2027-01-01"),
    ]


def test_the_fee_is_invoiced_during_a_suspension_for_non_payment(api: Api, clock: FakeClock) -> None:
    eid = api.create_engagement()["id"]  # December's fee due on 1 December, never paid
    clock.advance(days=8)  # 9 Dec: overdue since 2 Dec, grace over
    api.post("/v1/clock/tick")
    assert api.get(f"/v1/engagements/{eid}").json["state"] == "paused"
    clock.advance(days=24)  # 2 January 2027, still paused
    api.post("/v1/clock/tick")
    assert api.get(f"/v1/engagements/{eid}").json["state"] == "paused"
    assert [(i["period"], i["amount"]) for i in invoices(api, eid)] == [
        ("2026-12", "1200.00"),
        ("2027-01", "1200.00"),
    ]


def test_choosing_prepayment_by_amendment_quotes_the_new_clause_as_added(api: Api) -> None:
    eid = api.create_engagement()["id"]
    etag = api.get(f"/v1/engagements/{eid}").headers["ETag"]
    changed = api.patch(
        f"/v1/engagements/{eid}",
        json={"effective_on": "2026-12-15", "payment_terms": {"late_payment_policy": "require_prepayment"}},
        headers={"If-Match": etag},
    )
    assert changed.status_code == 200, changed.json
    letter = document_text(api, eid, "contract_amendment")
    # The clause exists only under the new policy: added as 9-bis, the signed numbering intact.
    assert "Articolo 9-bis, Pagamento anticipato dopo un ritardo (nuovo articolo" in letter
    assert "«Se una fattura" in letter and "Articolo 10" not in letter
