"""The mailbox and webhook settings in a real browser: reached from the settings, a PEC mailbox
saved, an endpoint added with its secret shown once, its delivery log with a failed try and the
retry, each screen passing an axe scan."""

from __future__ import annotations

import os

import pytest
from flask import Flask
from playwright.sync_api import Page, expect

from service.application.dispatcher import deliver_until_idle
from service.application.runtime import Runtime
from tests.bodies import PUBLIC_HOOK_URL
from tests.browser.conftest import serious_violations
from tests.browser.test_desk_engagement import signed_in
from tests.conftest import Api
from tests.desk.test_settings_integrations import RefusingReceiver

SHOTS = os.environ.get("DESK_SHOTS")  # a folder: each screen's picture, to look at


def _shot(page: Page, name: str) -> None:
    if SHOTS:
        page.screenshot(path=os.path.join(SHOTS, f"{name}.png"), full_page=True)


def test_mailbox_and_webhooks_are_set_and_pass_axe(
    app: Flask, api: Api, live_url: str, page: Page, runtime: Runtime, monkeypatch: pytest.MonkeyPatch
) -> None:
    signed_in(app, api, live_url, page)
    page.get_by_role("link", name="Impostazioni").click()
    page.get_by_role("link", name="la tua casella di posta (SMTP o PEC)").click()
    assert serious_violations(page) == []
    page.get_by_label("Server (host)").fill("smtps.pec.example.it")
    page.get_by_label("Porta").fill("465")
    page.get_by_label("Sicurezza").select_option("tls")
    page.get_by_label("Nome utente", exact=True).fill("studio@pec.example.it")
    page.get_by_label("Password", exact=True).fill("segreta-della-pec")
    page.get_by_label("Tipo di casella").select_option("pec")
    page.get_by_role("button", name="Salva la casella").click()
    expect(page.locator("#mail-saved")).to_contain_text("studio@pec.example.it")
    assert serious_violations(page) == []
    _shot(page, "settings-mail")

    page.goto(f"{live_url}/app/settings/webhooks")
    assert serious_violations(page) == []
    page.get_by_label("Indirizzo (URL)").fill(PUBLIC_HOOK_URL)
    page.get_by_label("tutti gli eventi").check()
    page.get_by_role("button", name="Aggiungi l'indirizzo").click()
    expect(page.locator("#new-secret code")).to_contain_text("whsec_")
    assert serious_violations(page) == []
    _shot(page, "settings-webhooks")

    monkeypatch.setattr(runtime, "webhook_http", RefusingReceiver())
    api.create_engagement()
    deliver_until_idle(runtime)
    page.get_by_role("link", name=PUBLIC_HOOK_URL).click()
    expect(page.locator("#new-secret")).to_have_count(0)  # shown once: not on the endpoint's page
    expect(
        page.get_by_role("cell", name="non riuscita")
        .or_(page.get_by_role("cell", name="in attesa di invio"))
        .first
    ).to_be_visible()
    assert serious_violations(page) == []
    _shot(page, "settings-webhook")
    page.get_by_role("button", name="Riprova ora").first.click()
    expect(page.get_by_role("heading", name="Registro delle consegne, dalla più recente")).to_be_visible()
    page.get_by_role("button", name="Cambia il segreto").click()
    expect(page.locator("#new-secret code")).to_contain_text("whsec_")
    assert serious_violations(page) == []
