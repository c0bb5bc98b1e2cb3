"""Documents' first pages in a real browser: the placeholder, then the picture (loaded under the
page's CSP), on the engagement page and in the outbox, each screen passing an axe scan."""

from __future__ import annotations

from flask import Flask
from playwright.sync_api import Page, expect

from service.application.pdfs import convert_until_idle
from service.application.runtime import Runtime
from tests.browser.conftest import serious_violations
from tests.browser.test_desk_engagement import signed_in
from tests.browser.test_desk_integrations import _shot
from tests.conftest import Api
from tests.desk.test_previews import Converter


def test_the_first_page_replaces_its_placeholder_once_the_pdf_is_made(
    app: Flask, api: Api, live_url: str, page: Page, runtime: Runtime
) -> None:
    refused: list[str] = []
    page.on("console", lambda m: refused.append(m.text) if "Content Security Policy" in m.text else None)
    engagement_id = api.create_engagement()["id"]
    api.fire(engagement_id, "request_feedback", subject="Piano di gennaio")
    signed_in(app, api, live_url, page)
    page.goto(f"{live_url}/app/engagements/{engagement_id}")
    expect(page.locator("li.document .placeholder").first).to_be_visible()
    assert serious_violations(page) == []
    convert_until_idle(runtime, Converter())
    page.reload()
    first_page = page.locator("li.document img").first
    expect(first_page).to_be_visible()
    first_page.scroll_into_view_if_needed()  # the picture loads lazily
    drawn = "img => img.complete && img.naturalWidth > 0"  # a picture, not a broken link
    page.wait_for_function(drawn, arg=first_page.element_handle(), timeout=5000)
    assert serious_violations(page) == []
    page.locator("#documents").scroll_into_view_if_needed()
    _shot(page, "engagement-documents")
    page.goto(f"{live_url}/app/outbox")
    expect(page.locator(".attachment img")).to_be_visible()
    assert serious_violations(page) == []
    _shot(page, "outbox-attachment")
    assert refused == []
