"""Settings in a real browser: reached from the menu, a key created and shown once, an axe scan."""

from __future__ import annotations

from flask import Flask
from playwright.sync_api import Page, expect

from tests.browser.conftest import serious_violations
from tests.browser.test_desk_engagement import signed_in
from tests.conftest import Api


def test_settings_create_a_key_shown_once_and_pass_axe(
    app: Flask, api: Api, live_url: str, page: Page
) -> None:
    signed_in(app, api, live_url, page)
    page.get_by_role("link", name="Impostazioni").click()
    expect(page.get_by_role("heading", name="Impostazioni", level=1)).to_be_visible()
    assert serious_violations(page) == []
    page.get_by_label("Nome di una nuova chiave").fill("telefono")
    page.get_by_role("button", name="Crea una chiave").click()
    key = page.locator("#new-key").inner_text()
    assert api.client.get("/v1/tenant", headers={"Authorization": f"Bearer {key}"}).status_code == 200
    assert serious_violations(page) == []
    page.get_by_role("button", name="Revoca la chiave telefono").click()
    expect(page.locator("#new-key")).to_have_count(0)
    assert api.client.get("/v1/tenant", headers={"Authorization": f"Bearer {key}"}).status_code == 401
