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
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Cm, Pt
from docx.text.paragraph import Paragraph
from docx_layout import (
    GREY,
    bottom_border,
    keep,
    no_borders,
    page_number,
    rows_stay_whole,
    small,
    use_font_everywhere,
)

OUT = Path(__file__).resolve().parents[1] / "contract_templates"


def new_document() -> DocxDocument:
    doc = Document()
    use_font_everywhere(doc)
    style = doc.styles["Normal"]
    style.font.size = Pt(10.5)
    style.paragraph_format.space_after = Pt(6)
    style.paragraph_format.line_spacing = 1.1
    for name, size in (("Title", 20), ("Heading 1", 14), ("Heading 2", 11.5)):
        doc.styles[name].font.size = Pt(size)
    doc.styles["Heading 2"].paragraph_format.space_before = Pt(10)
    doc.styles["Heading 2"].paragraph_format.space_after = Pt(3)
    for section in doc.sections:
        section.left_margin = section.right_margin = Cm(2.2)
        section.top_margin, section.bottom_margin = Cm(2.0), Cm(2.0)
        section.header_distance = section.footer_distance = Cm(1.0)
        letterhead(section)
    # Fixed metadata: rebuilding must not change the bytes users have already reviewed.
    doc.core_properties.author = ""
    doc.core_properties.title = ""
    return doc


def letterhead(section: object) -> None:
    """Page 1: the sender's letterhead, one paragraph; later pages: the name alone. Every page:
    its number over the page count ("1 / 2")."""
    section.different_first_page_header_footer = True  # type: ignore[attr-defined]
    first = section.first_page_header.paragraphs[0]  # type: ignore[attr-defined]
    name = first.add_run("{{ sender.name }}")
    name.bold, name.font.size = True, Pt(13)
    lines = first.add_run("{{ sender.letterhead }}")
    lines.font.size, lines.font.color.rgb = Pt(8.5), GREY
    bottom_border(first)
    later = section.header.paragraphs[0]  # type: ignore[attr-defined]
    later.add_run("{{ sender.name }}")
    small(later, 8.5)
    for footer in (section.footer, section.first_page_footer):  # type: ignore[attr-defined]
        paragraph = footer.paragraphs[0]
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        page_number(paragraph)
        small(paragraph, 8.5)


def para(doc: DocxDocument, text: str, style: str | None = None, **font: bool) -> Paragraph:
    paragraph = doc.add_paragraph(style=style)
    run = paragraph.add_run(text)
    run.bold = font.get("bold")
    run.italic = font.get("italic")
    if font.get("right"):
        paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    return paragraph


def each(doc: DocxDocument, items: str, text: str = "{{ item }}", style: str | None = None) -> None:
    """One paragraph per list element: docxtpl drops the {%p %} paragraphs themselves."""
    para(doc, f"{{%p for item in {items} %}}")
    para(doc, text, style)
    para(doc, "{%p endfor %}")


def each_keeping_last(doc: DocxDocument, items: str, style: str | None = None) -> None:
    """As ``each``, the last element kept on the page of what follows (the signature)."""
    para(doc, f"{{%p for item in {items} %}}")
    para(doc, "{%p if loop.last %}")
    keep(para(doc, "{{ item }}", style))
    para(doc, "{%p else %}")
    para(doc, "{{ item }}", style)
    para(doc, "{%p endif %}")
    para(doc, "{%p endfor %}")


def table(
    doc: DocxDocument,
    headers: list[str],
    rows: str,
    cells: list[str],
    with_next: bool = False,
    widths: list[float] | None = None,
    empty: str | None = None,
) -> None:
    """A header row repeated on every page, then one row per element of ``rows`` ({%tr %} rows
    vanish on render); no row breaks across pages. ``with_next``: the table stays on the page
    of the paragraph after it (no spacer paragraph in between). With ``empty``: the table only
    when ``rows`` has any, else that sentence (never a header over nothing)."""
    if empty:
        para(doc, f"{{%p if {rows} %}}")
    grid = doc.add_table(rows=4, cols=len(headers), style="Table Grid")
    for cell, header in zip(grid.rows[0].cells, headers, strict=True):
        cell.paragraphs[0].add_run(f"{{{{ labels.{header} }}}}").bold = True
    grid.rows[1].cells[0].text = f"{{%tr for row in {rows} %}}"
    for cell, value in zip(grid.rows[2].cells, cells, strict=True):
        cell.text = f"{{{{ row.{value} }}}}"
    grid.rows[3].cells[0].text = "{%tr endfor %}"
    rows_stay_whole(grid)
    if widths:  # centimetres per column; the text width is 16.6 cm
        grid.autofit = False
        for column, width in zip(grid.columns, widths, strict=True):
            column.width = Cm(width)
        for row in grid.rows:
            for cell, width in zip(row.cells, widths, strict=True):
                cell.width = Cm(width)
    for row in grid.rows:
        for cell in row.cells:
            for paragraph in cell.paragraphs:
                paragraph.paragraph_format.space_after = Pt(2)
                paragraph.paragraph_format.keep_with_next = with_next
                for run in paragraph.runs:
                    run.font.size = Pt(9.5)
    if not with_next:
        doc.add_paragraph()
    if empty:
        para(doc, "{%p else %}")
        para(doc, f"{{{{ {empty} }}}}")
        para(doc, "{%p endif %}")


def addressee(doc: DocxDocument) -> None:
    """The addressee block, one paragraph in the right half of the page, then "place, date"."""
    block = doc.add_paragraph()
    block.paragraph_format.left_indent = Cm(9)
    block.paragraph_format.space_before = Pt(12)
    block.paragraph_format.space_after = Pt(18)
    block.add_run("{{ recipient.heading }}").bold = True
    block.add_run("{{ recipient.block }}")
    keep(para(doc, "{{ date }}", right=True))


def parties(doc: DocxDocument) -> None:
    """The two parties side by side, each one paragraph with line breaks."""
    grid = doc.add_table(rows=1, cols=2)
    no_borders(grid)
    for cell, who, details in zip(
        grid.rows[0].cells,
        ("{{ labels.provider }}: {{ sender.name }}", "{{ labels.client }}: {{ recipient.name }}"),
        ("{{ sender.details }}", "{{ recipient.details }}"),
        strict=True,
    ):
        paragraph = cell.paragraphs[0]
        paragraph.add_run(who).bold = True
        paragraph.add_run(details).font.size = Pt(9.5)
    rows_stay_whole(grid, header=False)
    doc.add_paragraph()


def signature(doc: DocxDocument) -> None:
    """The closing and the signature, kept with the paragraph before them."""
    keep(para(doc, "{{ closing }}")).paragraph_format.space_after = Pt(24)
    keep(para(doc, "{{ sender.signatory }}", bold=True))
    keep(para(doc, "{{ sender.name }}"), with_next=False)


def letter() -> DocxDocument:
    doc = new_document()
    addressee(doc)
    subject = para(doc, "{{ labels.subject }}: {{ subject }}", bold=True)
    subject.paragraph_format.space_before = Pt(6)
    keep(subject)
    para(doc, "{{ salutation }}")
    each(doc, "body")
    each(doc, "items", style="List Bullet")
    each_keeping_last(doc, "after_items")
    keep(para(doc, "{{ citation }}", italic=True))
    keep(para(doc, "{{ clause_quote }}", "Quote"))
    signature(doc)
    accept_here(doc)
    return doc


def accept_here(doc: DocxDocument) -> None:
    """A proposal's acceptance block (per accettazione), kept on one page; nothing otherwise."""
    para(doc, "{%p if acceptance %}")
    title = keep(para(doc, "{{ acceptance.title }}", bold=True))
    title.paragraph_format.space_before = Pt(30)
    para(doc, "{%p for item in acceptance.lines %}")
    line = keep(para(doc, "{{ item }}"))
    line.paragraph_format.space_before = Pt(10)
    para(doc, "{%p endfor %}")
    para(doc, "{%p endif %}")


def sign_here(doc: DocxDocument, columns: list[tuple[str, str]]) -> None:
    """A signature block per party: who, name, role, place and date, signature; one piece."""
    keep(doc.add_paragraph())  # room above the block, on its page
    grid = doc.add_table(rows=5, cols=len(columns))
    no_borders(grid)
    grid.alignment = WD_TABLE_ALIGNMENT.CENTER
    lines = [
        ("{{ %s }}", True),
        ("{{ labels.name }}: {{ signatories.%s.name }}", False),
        ("{{ labels.role }}: {{ signatories.%s.role }}", False),
        ("{{ labels.place_date }}: " + "_" * 26, False),
        ("{{ labels.signature }}: " + "_" * 28, False),
    ]
    for row, (text, bold) in zip(grid.rows, lines, strict=True):
        for cell, (label, who) in zip(row.cells, columns, strict=True):
            filled = text % (label if bold else who) if "%s" in text else text
            paragraph = cell.paragraphs[0]
            paragraph.add_run(filled).bold = bold
            paragraph.paragraph_format.space_before = Pt(10 if not bold else 0)
            keep(paragraph, with_next=row is not grid.rows[-1])
    rows_stay_whole(grid, header=False)


def contract() -> DocxDocument:
    doc = new_document()
    para(doc, "{{ title }}", "Title")
    parties(doc)
    para(doc, "{{ intro }}")
    para(doc, "{{ labels.services }}", "Heading 2")
    para(doc, "{{ services_intro }}")
    each(doc, "services", style="List Bullet")
    para(doc, "{{ labels.accounts }}", "Heading 2")
    para(doc, "{%p if accounts %}")
    keep(para(doc, "{{ accounts_intro }}"))
    para(doc, "{%p endif %}")
    table(doc, ["platform", "handle"], "accounts", ["platform", "handle"], empty="accounts_empty")
    para(doc, "{%p for clause in clauses %}")
    para(doc, "{{ clause.number }}. {{ clause.title }}", "Heading 2")
    para(doc, "{{ clause.text }}")
    para(doc, "{%p endfor %}")
    keep(para(doc, "{{ signatures }}")).paragraph_format.space_before = Pt(12)
    sign_here(doc, [("labels.signature_provider", "provider"), ("labels.signature_client", "client")])
    para(doc, "{%p if onerous_approval %}")
    approval = keep(para(doc, "{{ onerous_approval }}"))
    approval.paragraph_format.space_before = Pt(18)
    keep(para(doc, "{{ labels.signature_client }}", bold=True))
    keep(para(doc, "{{ labels.place_date }}: " + "_" * 26))
    para(doc, "{{ labels.signature }}: " + "_" * 28).paragraph_format.space_before = Pt(10)
    para(doc, "{%p endif %}")
    annex = para(doc, "{{ annex.title }}", "Heading 1")
    annex.paragraph_format.page_break_before = True
    each(doc, "annex.paragraphs")
    para(doc, "{%p if accounts %}")
    keep(para(doc, "{{ annex.accounts_intro }}"))
    table(doc, ["platform", "handle"], "accounts", ["platform", "handle"])
    para(doc, "{%p endif %}")
    each(doc, "annex.after")
    return doc


def final_report() -> DocxDocument:
    doc = new_document()
    para(doc, "{{ title }}", "Title")
    addressee(doc)
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
        with_next=True,
        empty="payments_empty",
    )
    totals = keep(para(doc, "{{ totals }}", bold=True))
    totals.paragraph_format.space_before = Pt(10)
    keep(para(doc, "{{ citation }}", italic=True), with_next=False)
    return doc


def handover_checklist() -> DocxDocument:
    """A receipt both parties sign: each step with the day it was done."""
    doc = new_document()
    para(doc, "{{ title }}", "Title")
    addressee(doc)
    para(doc, "{{ intro }}")
    columns = ["account", "action", "status", "reason", "completed_on"]
    headers = ["handle", "action", "status", "reason", "completed_on"]
    table(doc, headers, "rows", columns, widths=[3.4, 5.0, 2.6, 3.0, 2.6], empty="rows_empty")
    keep(para(doc, "{{ note }}"))
    keep(para(doc, "{{ citation }}", italic=True))
    sign_here(doc, [("labels.delivered_by", "provider"), ("labels.received_by", "client")])
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
