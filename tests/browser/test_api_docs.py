"""The API reference at /docs, in a browser: Swagger UI draws every operation of openapi.yaml under
the page's Content-Security-Policy, and nothing is fetched from another host."""

from __future__ import annotations

from playwright.sync_api import ConsoleMessage, Page, Request

from tests.conftest import openapi_operations


def test_the_reference_draws_every_operation_with_nothing_from_elsewhere(live_url: str, page: Page) -> None:
    errors: list[str] = []  # a blocked script, style or image is a console error
    fetched: list[str] = []
    page.on("console", lambda message: _keep_errors(message, errors))
    page.on("request", lambda request: _keep_url(request, fetched))
    page.goto(f"{live_url}/docs")
    page.locator(".opblock").first.wait_for()
    assert page.locator(".opblock").count() == len(openapi_operations())
    assert errors == []
    assert [url for url in fetched if not url.startswith((live_url, "data:"))] == []


def _keep_errors(message: ConsoleMessage, errors: list[str]) -> None:
    if message.type == "error":
        errors.append(message.text)


def _keep_url(request: Request, fetched: list[str]) -> None:
    fetched.append(request.url)
