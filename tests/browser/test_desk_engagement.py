"""The engagement page in a real browser: Mermaid draws the workflow with the current state marked
under the page's CSP (no violation reported), and the page passes an axe scan once drawn."""

from __future__ import annotations

from flask import Flask
from playwright.sync_api import Page, expect

from tests.api.test_offboarding_journeys import fire_ok
from tests.browser.conftest import serious_violations
from tests.conftest import Api

PASSWORD = "una frase lunga da ricordare"


def signed_in(app: Flask, api: Api, live_url: str, page: Page) -> None:
    app.extensions["people"].create_user(api.tenant_id, "anna@bianchi.example", PASSWORD)
    page.goto(f"{live_url}/app/login")
    page.get_by_label("E-mail").fill("anna@bianchi.example")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()


def test_the_diagram_is_drawn_with_the_current_state_and_the_page_passes_axe(
    app: Flask, api: Api, live_url: str, page: Page
) -> None:
    refused: list[str] = []
    page.on("console", lambda m: refused.append(m.text) if "Content Security Policy" in m.text else None)
    engagement_id = api.create_engagement()["id"]
    fire_ok(api, engagement_id, "begin_offboarding", reason="mutual", explanation="Budget cuts")
    signed_in(app, api, live_url, page)
    page.goto(f"{live_url}/app/engagements/{engagement_id}")
    drawing = page.locator("#workflow-diagram svg")
    expect(drawing).to_be_visible()
    expect(drawing.locator("g.node.current")).to_have_count(1)
    expect(drawing.locator("g.node.current")).to_contain_text("In chiusura")  # its label, not its name
    expect(page.get_by_role("heading", name="Lista di consegna")).to_be_visible()
    assert refused == []
    assert serious_violations(page) == []
