"""Build the .docx templates in contract_templates/ with python-docx.

The committed files are what users open in Word to add a letterhead; rerun this script only
to reset them. Every visible word comes from the wording files through ``labels`` and the
builders, so one layout serves both languages.
"""

from __future__ import annotations

import sys
from pathlib import Path

from docx import Document
from docx.document import Document as DocxDocument
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Cm, Pt

OUT = Path(__file__).resolve().parents[1] / "contract_templates"


def new_document() -> DocxDocument:
    doc = Document()
    style = doc.styles["Normal"]
    style.font.name = "Calibri"
    style.font.size = Pt(11)
    for section in doc.sections:
        section.left_margin = section.right_margin = Cm(2.2)
    # Fixed metadata: rebuilding must not change the bytes users have already reviewed.
    doc.core_properties.author = ""
    doc.core_properties.title = ""
    return doc


def para(doc: DocxDocument, text: str, style: str | None = None, **font: bool) -> None:
    paragraph = doc.add_paragraph(style=style)
    run = paragraph.add_run(text)
    run.bold = font.get("bold")
    run.italic = font.get("italic")
    if font.get("right"):
        paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT


def each(doc: DocxDocument, items: str, text: str = "{{ item }}", style: str | None = None) -> None:
    """One paragraph per list element: docxtpl drops the {%p %} paragraphs themselves."""
    para(doc, f"{{%p for item in {items} %}}")
    para(doc, text, style)
    para(doc, "{%p endfor %}")


def table(
    doc: DocxDocument, headers: list[str], rows: str, cells: list[str], empty: str | None = None
) -> None:
    """A header row, then one row per element of ``rows`` ({%tr %} rows vanish on render).
    With ``empty``: the table only when ``rows`` has any, else that sentence (never a header
    over nothing)."""
    if empty:
        para(doc, f"{{%p if {rows} %}}")
    grid = doc.add_table(rows=4, cols=len(headers), style="Table Grid")
    for cell, header in zip(grid.rows[0].cells, headers, strict=True):
        cell.paragraphs[0].add_run(f"{{{{ labels.{header} }}}}").bold = True
    grid.rows[1].cells[0].text = f"{{%tr for row in {rows} %}}"
    for cell, value in zip(grid.rows[2].cells, cells, strict=True):
        cell.text = f"{{{{ row.{value} }}}}"
    grid.rows[3].cells[0].text = "{%tr endfor %}"
    doc.add_paragraph()
    if empty:
        para(doc, "{%p else %}")
        para(doc, f"{{{{ {empty} }}}}")
        para(doc, "{%p endif %}")


def parties(doc: DocxDocument) -> None:
    para(doc, "{{ sender.name }}", bold=True)
    each(doc, "sender.lines")
    para(doc, "")
    para(doc, "{{ recipient.name }}", bold=True)
    each(doc, "recipient.lines")
    para(doc, "{{ date }}", right=True)


def letter() -> DocxDocument:
    doc = new_document()
    parties(doc)
    para(doc, "{{ labels.subject }}: {{ subject }}", bold=True)
    para(doc, "{{ salutation }}")
    each(doc, "body")
    each(doc, "items", style="List Bullet")
    each(doc, "after_items")
    para(doc, "{{ citation }}", italic=True)
    para(doc, "{{ clause_quote }}", "Quote")
    para(doc, "{{ closing }}")
    para(doc, "")
    para(doc, "{{ sender.signatory }}", bold=True)
    para(doc, "{{ sender.name }}")
    return doc


def contract() -> DocxDocument:
    doc = new_document()
    para(doc, "{{ title }}", "Title")
    parties(doc)
    para(doc, "{{ intro }}")
    para(doc, "{{ labels.services }}", "Heading 2")
    para(doc, "{{ services_intro }}")
    each(doc, "services", style="List Bullet")
    para(doc, "{{ labels.accounts }}", "Heading 2")
    para(doc, "{{ accounts_intro }}")
    table(doc, ["platform", "handle"], "accounts", ["platform", "handle"], empty="accounts_empty")
    para(doc, "{%p for clause in clauses %}")
    para(doc, "{{ clause.number }}. {{ clause.title }}", "Heading 2")
    para(doc, "{{ clause.text }}")
    para(doc, "{%p endfor %}")
    para(doc, "{{ signatures }}")
    grid = doc.add_table(rows=3, cols=2)
    labels = ["{{ labels.signature_provider }}", "{{ labels.signature_client }}"]
    names = ["{{ sender.signatory }}", "{{ recipient.name }}"]
    for row, texts in zip(grid.rows, [labels, names, ["_" * 28] * 2], strict=True):
        for cell, text in zip(row.cells, texts, strict=True):
            cell.text = text
    return doc


def final_report() -> DocxDocument:
    doc = new_document()
    para(doc, "{{ title }}", "Title")
    parties(doc)
    para(doc, "{{ intro }}")
    para(doc, "{{ suspensions }}")
    para(doc, "{{ labels.work_title }}", "Heading 2")
    table(
        doc,
        ["month", "category", "entries", "hours", "work_done"],
        "work_rows",
        ["month", "category", "entries", "hours", "summary"],
        empty="work_empty",
    )
    each(doc, "work_months")
    para(doc, "{%p if work_total %}")
    para(doc, "{{ work_total }}", bold=True)
    para(doc, "{%p endif %}")
    para(doc, "{{ labels.delays_title }}", "Heading 2")
    table(
        doc,
        ["feedback_subject", "requested_on", "due_on", "answered_on", "days_late"],
        "delay_rows",
        ["subject", "requested", "due", "answered", "days_late"],
        empty="delays_empty",
    )
    para(doc, "{%p if delay_rows %}")
    para(doc, "{{ delays_total }}")
    para(doc, "{%p endif %}")
    para(doc, "{{ labels.invoices_title }}", "Heading 2")
    fields = ["invoice", "due_date", "amount", "paid", "outstanding"]
    table(
        doc,
        fields,
        "invoice_rows",
        ["description", "due", "amount", "paid", "outstanding"],
        empty="invoices_empty",
    )
    para(doc, "{{ labels.payments_title }}", "Heading 2")
    table(
        doc,
        ["received_on", "reference", "amount"],
        "payment_rows",
        ["received", "reference", "amount"],
        empty="payments_empty",
    )
    para(doc, "{{ totals }}", bold=True)
    para(doc, "{{ citation }}", italic=True)
    return doc


def handover_checklist() -> DocxDocument:
    doc = new_document()
    para(doc, "{{ title }}", "Title")
    parties(doc)
    para(doc, "{{ intro }}")
    columns = ["account", "action", "status", "reason"]
    table(doc, ["handle", "action", "status", "reason"], "rows", columns, empty="rows_empty")
    para(doc, "{{ note }}")
    para(doc, "{{ citation }}", italic=True)
    return doc


BUILDERS = {
    "letter.docx": letter,
    "contract.docx": contract,
    "final_report.docx": final_report,
    "handover_checklist.docx": handover_checklist,
}


def main(out: Path = OUT) -> None:
    out.mkdir(parents=True, exist_ok=True)
    for name, build in BUILDERS.items():
        build().save(out / name)
        print(f"wrote {out / name}")


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else OUT)
