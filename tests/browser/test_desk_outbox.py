"""A draft's page in a real browser: it says who the letter is for and what approving does, the
draft is edited through its form, and the page passes an axe scan."""

from __future__ import annotations

from flask import Flask
from playwright.sync_api import Page, expect

from tests.browser.conftest import serious_violations
from tests.browser.test_desk_engagement import signed_in
from tests.conftest import Api


def test_a_draft_is_read_in_context_and_edited(app: Flask, api: Api, live_url: str, page: Page) -> None:
    engagement = api.create_engagement()
    api.fire(engagement["id"], "request_feedback", subject="Piano di gennaio")
    [draft] = api.get("/v1/messages?status=draft").json["items"]
    signed_in(app, api, live_url, page)
    page.goto(f"{live_url}/app/messages/{draft['id']}")
    expect(page.get_by_text(f"Per {engagement['client']['name']}")).to_be_visible()
    assert serious_violations(page) == []
    page.get_by_label("Testo del messaggio").fill("Ciao Giulia, ecco il piano.")
    page.get_by_role("button", name="Salva la bozza").click()
    expect(page.locator("pre.letter")).to_have_text("Ciao Giulia, ecco il piano.")
    assert api.get(f"/v1/messages/{draft['id']}").json["body"] == "Ciao Giulia, ecco il piano."


def test_one_click_approval_in_place_then_several_at_once(
    app: Flask, api: Api, live_url: str, page: Page
) -> None:
    refused: list[str] = []
    page.on("console", lambda m: refused.append(m.text) if "Content Security Policy" in m.text else None)
    for topic in ("Piano di gennaio", "Piano di febbraio", "Piano di marzo"):
        api.fire(api.create_engagement()["id"], "request_feedback", subject=topic)
    first, *others = api.get("/v1/messages?status=draft").json["items"]
    signed_in(app, api, live_url, page)
    page.goto(f"{live_url}/app/outbox")
    assert serious_violations(page) == []
    page.evaluate("window.notReloaded = true")  # gone if the click loaded a new page
    page.locator(f"#message-{first['id']}").get_by_role("button", name="Approva e invia").click()
    expect(page.locator(f"#message-{first['id']}")).to_contain_text("Approvato: il servizio lo invia ora")
    assert page.evaluate("window.notReloaded") is True  # htmx swapped the message in place
    assert serious_violations(page) == []
    for message in others:
        page.locator(f"#pick-{message['id']}").check()
    page.get_by_role("button", name="Approva e invia quelli spuntati").click()
    expect(page.get_by_role("heading", name="Che cosa è successo ai messaggi approvati")).to_be_visible()
    assert serious_violations(page) == []
    assert {api.get(f"/v1/messages/{m['id']}").json["status"] for m in (first, *others)} == {"approved"}
    assert refused == []
