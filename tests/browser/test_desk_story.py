"""The README's first story on the desk, in a browser, with no terminal: sign in through the
one-time link, create an engagement, ask for feedback, approve the letter, see it in the timeline,
record a payment, sign out. Every screen on the way passes an axe scan."""

from __future__ import annotations

import re

from flask import Flask
from playwright.sync_api import Page, expect

from tests.browser.conftest import serious_violations
from tests.conftest import Api

PASSWORD = "una frase lunga da ricordare"


def _scanned(page: Page, screen: str, seen: dict[str, list[str]]) -> None:
    seen[screen] = serious_violations(page)


def test_a_new_user_does_the_first_story_in_the_browser(
    app: Flask, api: Api, live_url: str, page: Page
) -> None:
    people = app.extensions["people"]
    user_id = people.create_user(api.tenant_id, "anna@bianchi.example", None)
    token = people.issue_signin_link(api.tenant_id, user_id)
    scans: dict[str, list[str]] = {}

    page.goto(f"{live_url}/app/login?token={token}")
    _scanned(page, "set password", scans)
    page.get_by_label("Nuova password").fill(PASSWORD)
    page.get_by_label("Ripeti la password").fill(PASSWORD)
    page.get_by_role("button", name="Salva e accedi").click()
    expect(page.get_by_role("heading", name="Oggi")).to_be_visible()
    _scanned(page, "today", scans)

    page.get_by_role("link", name="Incarichi", exact=True).click()
    _scanned(page, "engagements", scans)
    page.get_by_role("link", name="Nuovo incarico").click()
    _scanned(page, "new engagement", scans)
    page.get_by_label("Nome del cliente").fill("Bottega Rossi S.r.l.")
    page.get_by_label("E-mail del cliente").fill("giulia@bottegarossi.it")
    page.get_by_label("Compenso mensile").fill("1200.00")
    page.get_by_label("Data di inizio").fill("2026-12-01")
    page.get_by_label("Giorno del mese per il pagamento").fill("1")
    page.get_by_role("button", name="Crea e redigi il contratto").click()
    expect(page.get_by_role("heading", name="Bottega Rossi S.r.l.")).to_be_visible()
    expect(page.locator("#balance")).to_have_text(re.compile(r"1\.200,00"))
    _scanned(page, "engagement", scans)

    page.locator("#request_feedback-subject").fill("Piano editoriale di gennaio")
    page.get_by_role("button", name="Chiedi un riscontro al cliente").click()
    expect(
        page.locator("hgroup").get_by_text("In attesa del riscontro del cliente", exact=True)
    ).to_be_visible()
    # Fired through htmx: the page's main part swapped in place, its diagram drawn again.
    current = page.locator("#workflow-diagram svg g.node.current")
    expect(current).to_contain_text("In attesa del riscontro del cliente")
    _scanned(page, "engagement after a trigger", scans)

    page.get_by_role("link", name="Posta in uscita").click()
    _scanned(page, "outbox", scans)
    page.get_by_role("button", name="Approva e invia", exact=True).first.click()
    expect(page.get_by_text("Approvato: il servizio lo invia ora")).to_be_visible()  # in place (htmx)
    drafted = api.get("/v1/messages?status=approved").json["items"]
    assert len(drafted) == 1

    page.get_by_role("link", name="Incarichi", exact=True).click()
    page.get_by_role("link", name="Bottega Rossi S.r.l.").click()
    expect(page.locator("ol.timeline")).to_contain_text("approvato per l'invio")
    expect(page.locator("mark.verified")).to_be_visible()

    page.get_by_label("Importo", exact=True).fill("200.00")
    page.get_by_label("Ricevuto il").fill("2026-12-01")
    page.get_by_label("Riferimento").fill("Bonifico")
    page.get_by_role("button", name="Registra un pagamento").click()
    expect(page.locator("#balance")).to_have_text(re.compile(r"1\.000,00"))

    page.get_by_role("button", name="Esci").click()
    expect(page.get_by_role("heading", name="Accedi")).to_be_visible()
    _scanned(page, "sign in", scans)
    expect(page.get_by_text("Sei uscito.")).to_be_visible()
    page.goto(f"{live_url}/app/today")
    expect(page.get_by_role("heading", name="Sign in")).to_be_visible()  # the session ended

    assert {screen: found for screen, found in scans.items() if found} == {}
