"""The desk in a real browser: Debian's chromium driven by Playwright, against the app served on
loopback by a real HTTP server. A missing browser fails these tests; it never skips them."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page

from tests.acceptance.conftest import contract, mail  # noqa: F401  (the acceptance stories)
from tests.messages.conftest import plain_smtp  # noqa: F401

CHROMIUM = (
    "/usr/bin/chromium"  # scripts/system-packages.sh installs it; Playwright's own cannot be fetched here
)
SERIOUS = {"serious", "critical"}


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict[str, Any]) -> dict[str, Any]:
    assert Path(CHROMIUM).exists(), (
        f"{CHROMIUM} is missing: run scripts/system-packages.sh (Debian package chromium)"
    )
    flags = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update"]
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": [*flags, "--no-first-run"]}


def serious_violations(page: Page) -> list[str]:
    """What axe-core finds serious or critical on the page as it is now."""
    found = Axe().run(page).response["violations"]
    return [f"{v['id']}: {v['help']} ({len(v['nodes'])} nodes)" for v in found if v["impact"] in SERIOUS]
