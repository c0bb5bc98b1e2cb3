"""The engagement page shows what the API knows, read by the same use cases: the workflow diagram,
the statement, the forecast, the records, the handover checklist, and the evidence export."""

from __future__ import annotations

import html
import re
import zipfile
from io import BytesIO

from tests.api.test_fatturapa_sdi import first_invoice, italian, upload_receipt
from tests.api.test_offboarding_journeys import fire_ok
from tests.conftest import Api, FakeClock
from tests.desk.conftest import Desk
from tests.unit.documents.sdi_samples import rejected


def _digits(text: str) -> str:
    return re.sub(r"\D", "", text)


def _edges(diagram: str) -> list[str]:
    return re.findall(r"^ +(\S+ --> \S+)", diagram, re.M)


def test_the_diagram_is_the_apis_own_text_with_the_current_state_marked_and_labelled(
    desk: Desk, api: Api
) -> None:
    engagement_id = api.create_engagement()["id"]
    api.fire(engagement_id, "request_feedback", subject="Piano")
    text = api.get(f"/v1/workflow/diagram?engagement={engagement_id}").get_data(as_text=True)
    assert "class awaiting_feedback current" in text
    page = desk.get(f"/app/engagements/{engagement_id}").get_data(as_text=True)
    drawn = re.search(r'<pre class="mermaid" id="workflow-diagram">(.*?)</pre>', page, re.S)
    assert drawn
    desk_text = html.unescape(drawn.group(1))
    # The same drawing: the same edges and the same state marked; only what a person reads differs.
    assert _edges(desk_text) == _edges(text) and "class awaiting_feedback current" in desk_text
    assert 'state "In attesa del riscontro del cliente" as awaiting_feedback' in desk_text
    assert "awaiting_feedback --> active: Registra il riscontro del cliente" in desk_text


def test_only_the_diagram_page_loads_mermaid_and_allows_inline_styles_never_inline_scripts(
    desk: Desk, api: Api
) -> None:
    engagement_id = api.create_engagement()["id"]
    answer = desk.get(f"/app/engagements/{engagement_id}")
    policy = answer.headers["Content-Security-Policy"]
    assert policy.startswith("default-src 'self'") and policy.endswith("; style-src 'self' 'unsafe-inline'")
    assert "script-src" not in policy and "unsafe-eval" not in policy  # scripts: default-src 'self'
    page = answer.get_data(as_text=True)
    assert "vendor/mermaid/mermaid.min.js" in page and "desk-diagram.js" in page
    assert re.findall(r"<script(?![^>]*\bsrc=)[^>]*>", page) == []  # no inline script at all
    today = desk.get("/app/today")
    assert "unsafe-inline" not in today.headers["Content-Security-Policy"]
    assert "mermaid" not in today.get_data(as_text=True)


def test_the_statement_shows_interest_by_rate_period_as_the_api_states_it(
    desk: Desk, api: Api, clock: FakeClock, user_email: str
) -> None:
    engagement_id = api.create_engagement()["id"]  # the December fee is due today
    clock.advance(days=45)
    assert desk.sign_in(user_email).status_code == 303  # the session has long ended
    stated = api.get(f"/v1/engagements/{engagement_id}/statement").json
    [line] = stated["invoices"]
    assert line["days_late"] > 0 and line["rate_periods"]
    page = desk.get(f"/app/engagements/{engagement_id}").get_data(as_text=True)
    total = re.search(r'<dd id="interest-total">([^<]*)</dd>', page)
    assert total and _digits(total.group(1)) == _digits(stated["interest_total"])
    for period in line["rate_periods"]:
        assert f"{period['rate']} %" in page
    assert f"{line['days_late']} giorni di ritardo" in page  # the account speaks Italian


def test_the_forecast_lists_what_the_clock_will_do_if_nothing_changes(desk: Desk, api: Api) -> None:
    engagement_id = api.create_engagement()["id"]
    forecast = api.get(f"/v1/engagements/{engagement_id}/forecast?until=2027-03-01").json
    page = desk.get(f"/app/engagements/{engagement_id}").get_data(as_text=True)
    section = page[page.index('id="forecast"') : page.index('id="work"')]
    for step in forecast["steps"]:
        assert f'datetime="{step["at"].replace("Z", "+00:00")}"' in section, step
    assert forecast["steps"], "the engagement's fees and reminders are foreseen"


def test_work_log_incidents_and_approval_rounds_are_listed(desk: Desk, api: Api) -> None:
    e = api.create_engagement()["id"]
    api.post(f"/v1/engagements/{e}/work-log", json={"date": "2026-11-30", "summary": "Calendario <feed>"})
    incident = {
        "kind": "micromanagement",
        "occurred_on": "2026-11-30",
        "description": "Ogni storia rimandata",
    }
    api.post(f"/v1/engagements/{e}/incidents", json=incident)
    api.post(f"/v1/engagements/{e}/approvals", json={"item": "Post di Natale"})
    page = desk.get(f"/app/engagements/{e}").get_data(as_text=True)
    for shown in ("Calendario &lt;feed&gt;", "Ogni storia rimandata", "Post di Natale"):
        assert shown in page


def test_the_handover_checklist_completes_and_waives_items_as_the_api_does(desk: Desk, api: Api) -> None:
    e = api.create_engagement()["id"]
    fire_ok(api, e, "begin_offboarding", reason="mutual", explanation="Budget cuts")
    items = [i for i in api.get(f"/v1/engagements/{e}/handover").json if not i["grants_access"]]
    first, second = items[0], items[1]
    page = f"/app/engagements/{e}"
    no_reason = desk.post(f"{page}/handover/{first['id']}", {"action": "waive"}, page=page)
    assert no_reason.status_code == 422
    assert "reason: Say why this item is waived" in no_reason.get_data(as_text=True)
    assert desk.post(f"{page}/handover/{first['id']}", {"action": "complete"}, page=page).status_code == 303
    waived = desk.post(
        f"{page}/handover/{second['id']}", {"action": "waive", "reason": "Non serve"}, page=page
    )
    assert waived.status_code == 303
    after = {i["id"]: i for i in api.get(f"/v1/engagements/{e}/handover").json}
    assert after[first["id"]]["status"] == "completed"
    assert (after[second["id"]]["status"], after[second["id"]]["reason"]) == ("waived", "Non serve")
    again = desk.post(f"{page}/handover/{first['id']}", {"action": "complete"}, page=page)
    assert again.status_code == 409  # already resolved: said, nothing changed


def test_access_is_not_handed_over_from_the_desk_while_money_is_owed(desk: Desk, api: Api) -> None:
    e = api.create_engagement()["id"]
    fire_ok(api, e, "begin_offboarding", reason="mutual", explanation="Budget cuts")
    access = next(i for i in api.get(f"/v1/engagements/{e}/handover").json if i["grants_access"])
    page = f"/app/engagements/{e}"
    refused = desk.post(f"{page}/handover/{access['id']}", {"action": "complete"}, page=page)
    assert refused.status_code == 409
    assert (
        next(i for i in api.get(f"/v1/engagements/{e}/handover").json if i["id"] == access["id"])["status"]
        == "open"
    )


def test_the_evidence_export_downloads_the_same_zip_as_the_api(desk: Desk, api: Api) -> None:
    e = api.create_engagement()["id"]
    page = desk.get(f"/app/engagements/{e}").get_data(as_text=True)
    assert f'href="/app/engagements/{e}/export"' in page
    answer = desk.get(f"/app/engagements/{e}/export")
    assert answer.status_code == 200 and answer.mimetype == "application/zip"
    names = set(zipfile.ZipFile(BytesIO(answer.data)).namelist())
    assert names == set(zipfile.ZipFile(BytesIO(api.get(f"/v1/engagements/{e}/export").data)).namelist())
    assert "manifest.json" in names


def test_another_accounts_handover_item_is_not_found_under_ones_own_engagement(
    desk: Desk, api: Api, other_api: Api
) -> None:
    mine = api.create_engagement()["id"]
    fire_ok(api, mine, "begin_offboarding", reason="mutual", explanation="Budget cuts")
    theirs = other_api.create_engagement()["id"]
    fire_ok(other_api, theirs, "begin_offboarding", reason="mutual", explanation="Budget cuts")
    item = other_api.get(f"/v1/engagements/{theirs}/handover").json[0]
    page = f"/app/engagements/{mine}"
    answer = desk.post(f"{page}/handover/{item['id']}", {"action": "waive", "reason": "x"}, page=page)
    assert answer.status_code == 404
    assert other_api.get(f"/v1/engagements/{theirs}/handover").json[0]["status"] == "open"


def test_each_invoice_shows_its_sdi_status_with_a_rejections_codes(desk: Desk, api: Api) -> None:
    plain = api.create_engagement()["id"]
    assert "SdI" not in desk.get(f"/app/engagements/{plain}").get_data(as_text=True)  # no tax profile
    italian(api)
    engagement_id, invoice = first_invoice(api)
    page = desk.get(f"/app/engagements/{engagement_id}").get_data(as_text=True)
    assert "SdI (fattura elettronica)" in page and "Nessuna ricevuta registrata" in page
    assert (
        upload_receipt(
            api, engagement_id, invoice["id"], rejected(f"IT01234567890_{invoice['id']:05d}.xml", "7001")
        ).status_code
        == 201
    )
    page = desk.get(f"/app/engagements/{engagement_id}").get_data(as_text=True)
    assert "Scartata dallo SdI (codici di errore 00404, 00423)" in page
