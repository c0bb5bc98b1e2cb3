"""`make samples`, the desk's part: PNGs of Today, an engagement's page and the outbox under
docs/samples/, as a freelancer sees them in Debian's chromium, on a throwaway SQLite database
with a fixed clock (1 December 2026, 10:00 in Rome) and one Italian account's data."""

from __future__ import annotations

import sys
import tempfile
import threading
from datetime import UTC, datetime
from pathlib import Path

from flask import Flask
from playwright.sync_api import sync_playwright
from werkzeug.serving import make_server

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from service import create_app  # noqa: E402
from service.adapters.migrations import upgrade  # noqa: E402
from service.api.schemas import EngagementCreateSchema  # noqa: E402
from service.application.documents import list_documents  # noqa: E402
from service.application.engagements import create_engagement  # noqa: E402
from service.application.pdfs import convert_until_idle, pdf_of  # noqa: E402
from service.application.tenants import create_tenant, update_tenant  # noqa: E402
from service.application.transitions import fire_transition  # noqa: E402
from service.documents.pdf import convert_to_pdf  # noqa: E402

OUT = ROOT / "docs" / "samples"
NOW = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
PASSWORD = "una frase lunga da ricordare"
CHROMIUM_FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run"]
CLIENTS = [
    ("Bottega Rossi S.r.l.", "giulia@bottegarossi.it", "1200.00"),
    ("Ferramenta Neri & Figli", "amministrazione@ferramentaneri.it", "850.00"),
    ("Caffè Aurora", "info@caffeaurora.it", "600.00"),
]


def seeded_app(folder: Path) -> tuple[Flask, int]:
    url = f"sqlite:///{folder / 'samples.sqlite3'}"
    upgrade(url)
    app = create_app(
        {
            "DATABASE_URL": url,
            "TESTING": True,
            "CLOCK": lambda: NOW,
            "MESSAGE_PDF_COPY": False,
            "RECORD_SIGNING_KEY": folder / "record.key",
            "DESK_SECRET_KEY_FILE": folder / "desk.key",
            "PREVIEW_CACHE_DIR": folder / "previews",
        }
    )
    rt = app.extensions["runtime"]
    tenant, _ = create_tenant(rt, "Studio Aurora di Giulia Bianchi", language="it")
    update_tenant(
        rt,
        tenant.id,
        {"sender_address": "Via Roma 12, 20121 Milano", "sender_email": "ciao@studioaurora.example",
         "signatory": "Giulia Bianchi"},
    )  # fmt: skip
    ids = []
    for name, email, fee in CLIENTS:
        terms = EngagementCreateSchema().load(
            {"client": {"name": name, "email": email}, "currency": "EUR", "monthly_fee": fee,
             "start_date": "2026-12-01", "payment_terms": {"due_day": 5}, "language": "it",
             "services": ["Piano editoriale Instagram", "Report mensile"]}
        )  # fmt: skip
        ids.append(create_engagement(rt, tenant.id, terms)["id"])
    fire_transition(
        rt, tenant.id, ids[0], "request_feedback", data={"subject": "Piano di gennaio"}, note=None
    )
    # The first engagement's letters as PDFs (LibreOffice, as the converter process would make
    # them), so that its page and the outbox show their first pages rather than placeholders.
    for document in list_documents(rt, tenant.id, ids[0]):
        pdf_of(rt, tenant.id, document["id"])
    convert_until_idle(rt, ColdOffice())
    app.extensions["people"].create_user(tenant.id, "giulia@studioaurora.example", PASSWORD)
    return app, ids[0]


# A full-page picture shows what lies below the window too: load the lazy first pages there now.
LOAD_EVERY_PICTURE = """Promise.all([...document.images].map(img => {
  img.loading = "eager";
  return img.complete ? null : new Promise(done => { img.onload = img.onerror = done; });
}))"""


class ColdOffice:
    def convert(self, docx: bytes) -> bytes:
        return convert_to_pdf(docx)


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as folder:
        app, engagement_id = seeded_app(Path(folder))
        server = make_server("127.0.0.1", 0, app, threaded=True)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        base = f"http://127.0.0.1:{server.server_port}"
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_FLAGS)
            page = browser.new_page(viewport={"width": 1200, "height": 900})
            page.goto(f"{base}/app/login")
            page.get_by_label("E-mail").fill("giulia@studioaurora.example")
            page.get_by_label("Password").fill(PASSWORD)
            page.get_by_role("button").last.click()
            page.wait_for_url("**/app/today")
            for name, path in (
                ("desk-today", "/app/today"),
                ("desk-engagement", f"/app/engagements/{engagement_id}"),
                ("desk-outbox", "/app/outbox"),
            ):
                page.goto(base + path)
                page.evaluate(LOAD_EVERY_PICTURE)
                page.screenshot(path=str(OUT / f"{name}.png"), full_page=True)
                print(f"wrote docs/samples/{name}.png")
            browser.close()
        server.shutdown()


if __name__ == "__main__":
    main()
