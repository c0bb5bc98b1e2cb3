"""`make samples`: page 1 of a payment reminder and of the contract, in Italian and English, as
PNG under docs/samples/, rendered from the current templates and wording and converted the way
the PDF path converts (LibreOffice, the fonts scripts/system-packages.sh installs).

A reader of the repository sees what a client receives without running anything.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from service.documents import DocumentRenderer, DocumentRequest  # noqa: E402
from service.domain.billing import monthly_description  # noqa: E402
from service.domain.model import Engagement, Invoice, Tenant  # noqa: E402

OUT = ROOT / "docs" / "samples"
# Each letter on the day the service writes it: the contract when the engagement was created,
# the reminder the day after the December invoice fell due.
WRITTEN_AT = {
    "contract": datetime(2026, 9, 25, 10, tzinfo=UTC),
    "payment_reminder": datetime(2026, 12, 2, 9, 30, tzinfo=UTC),
}
KINDS = tuple(WRITTEN_AT)


def tenant(language: str) -> Tenant:
    if language == "it":
        return Tenant(
            name="Studio Aurora di Giulia Bianchi",
            language="it",
            sender_address="Via Roma 12\n20121 Milano (MI)",
            sender_email="ciao@studioaurora.example",
            vat_number="IT01234567890",
            pec="studioaurora@pec.example",
            signatory="Giulia Bianchi",
            city="Milano",
            iban="IT60X0542811101000000123456",
            id=1,
        )
    return Tenant(
        name="Aurora Studio Ltd",
        language="en",
        sender_address="12 Exmouth Market\nLondon EC1R 4QE",
        sender_email="hello@aurorastudio.example",
        vat_number="GB123456789",
        signatory="Jane Whitfield",
        city="London",
        iban="GB33BUKB20201555555555",
        id=1,
    )


def engagement(language: str) -> Engagement:
    italian = language == "it"
    e = Engagement(
        tenant_id=1,
        client_name="Bottega Rossi S.r.l." if italian else "Harbour Lane Bakery Ltd",
        client_email="amministrazione@bottegarossi.example" if italian else "accounts@harbourlane.example",
        client_contact_name="Marco Rossi" if italian else "Sarah Collins",
        client_address="Corso Italia 5\n10121 Torino (TO)" if italian else "4 Harbour Lane\nBristol BS1 4RN",
        client_vat_number="IT09876543210" if italian else "GB987654321",
        client_legal_representative="Marco Rossi" if italian else "",
        language=language,
        currency="EUR" if italian else "GBP",
        monthly_fee=Decimal("1200.00"),
        start_date=date(2026, 10, 1),
        due_day=1,
        grace_days=7,
        response_days=3,
        reminders_before_offboarding=2,
        revision_rounds=2,
        created_at=datetime(2026, 9, 25, 10, tzinfo=UTC),
        workflow_version="1",
        jurisdiction="IT" if italian else "GB",
        services=(
            ["Piano editoriale mensile", "Gestione della community", "Report mensile dei risultati"]
            if italian
            else ["Monthly editorial calendar", "Community management", "Monthly results report"]
        ),
        accounts=[
            {"platform": "Instagram", "handle": "@bottegarossi" if italian else "@harbourlane"},
            {"platform": "Facebook", "handle": "Bottega Rossi" if italian else "Harbour Lane Bakery"},
        ],
        id=1,
    )
    for month, paid in ((11, True), (12, False)):
        period = f"2026-{month:02d}"
        e.invoices.append(
            Invoice(
                description=monthly_description(e, period),
                amount=Decimal("1200.00"),
                due_on=date(2026, month, 1),
                issued_at=datetime(2026, month - 1, 25, 10, tzinfo=UTC),
                period=period,
                paid_amount=Decimal("1200.00") if paid else Decimal("0"),
                number=f"2026-00{month}",
                id=month,
            )
        )
    return e


def main(out: Path = OUT) -> None:
    renderer = DocumentRenderer()
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="samples-") as tmp:
        work = Path(tmp)
        files = []
        for kind in KINDS:
            for language in ("it", "en"):
                payload = {"trigger": kind, "data": {}}
                request = DocumentRequest(
                    kind, engagement(language), tenant(language), WRITTEN_AT[kind], payload
                )
                path = work / f"{kind}-{language}.docx"
                path.write_bytes(renderer.render(request).content)
                files.append(path)
        profile = f"-env:UserInstallation={(work / 'profile').as_uri()}"
        command = ["soffice", profile, "--headless", "--convert-to", "pdf", "--outdir", str(work)]
        subprocess.run([*command, *map(str, files)], check=True, capture_output=True, timeout=300)
        for path in files:
            target = out / path.stem
            pdf = path.with_suffix(".pdf")
            subprocess.run(
                ["pdftoppm", "-r", "80", "-png", "-f", "1", "-l", "1", "-singlefile", str(pdf), str(target)],
                check=True,
            )
            print(f"wrote {target}.png")


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else OUT)
