"""Page-layout pieces python-docx has no call for: fonts, fields, rows that never split.

Used by build_templates.py only; every function edits the document's XML in place.
"""

from __future__ import annotations

from docx.document import Document as DocxDocument
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Pt, RGBColor
from docx.table import Table
from docx.text.paragraph import Paragraph

# The PDF path (LibreOffice) has this font installed (scripts/system-packages.sh); it has the
# metrics of Calibri, so a page breaks in Word where it breaks in the PDF.
FONT = "Carlito"
GREY = RGBColor(0x55, 0x55, 0x55)
_THEME_ATTRIBUTES = ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme")


def use_font_everywhere(doc: DocxDocument) -> None:
    """Name FONT in the defaults and every style, dropping theme fonts (they take precedence)."""
    styles = doc.styles.element
    fonts = list(styles.iter(qn("w:rFonts")))
    for element in fonts:
        for attribute in _THEME_ATTRIBUTES:
            element.attrib.pop(qn(attribute), None)
        for attribute in ("w:ascii", "w:hAnsi", "w:cs"):
            element.set(qn(attribute), FONT)
    # List bullets: a bullet character from FONT, not Symbol's private-use glyph (which
    # LibreOffice draws from OpenSymbol, a second font in every PDF).
    numbering = doc.part.numbering_part.element
    for level in numbering.iter(qn("w:lvl")):
        fonts = level.find(f"{qn('w:rPr')}/{qn('w:rFonts')}")
        if fonts is not None and fonts.get(qn("w:ascii")) == "Symbol":
            level.find(qn("w:lvlText")).set(qn("w:val"), "•")
            for attribute in ("w:ascii", "w:hAnsi", "w:cs"):
                fonts.set(qn(attribute), FONT)


def keep(paragraph: Paragraph, with_next: bool = True) -> Paragraph:
    """Never alone at the foot of a page (with_next) nor split across two."""
    paragraph.paragraph_format.keep_with_next = with_next
    paragraph.paragraph_format.keep_together = True
    return paragraph


def small(paragraph: Paragraph, size: float = 9, grey: bool = True) -> Paragraph:
    for run in paragraph.runs:
        run.font.size = Pt(size)
        if grey:
            run.font.color.rgb = GREY
    return paragraph


def _field(paragraph: Paragraph, instruction: str) -> None:
    """A Word field (PAGE, NUMPAGES): begin, instruction, separate, a placeholder, end."""
    for kind, text in (("begin", None), (None, instruction), ("separate", None), (None, "1")):
        run = paragraph.add_run()._r
        if kind:
            char = OxmlElement("w:fldChar")
            char.set(qn("w:fldCharType"), kind)
            run.append(char)
        else:
            element = OxmlElement("w:instrText" if text == instruction else "w:t")
            element.set(qn("xml:space"), "preserve")
            element.text = text
            run.append(element)
    end = OxmlElement("w:fldChar")
    end.set(qn("w:fldCharType"), "end")
    paragraph.add_run()._r.append(end)


def page_number(paragraph: Paragraph) -> None:
    """ "1 / 2": this page's number over the document's page count."""
    _field(paragraph, " PAGE ")
    paragraph.add_run(" / ")
    _field(paragraph, " NUMPAGES ")


def bottom_border(paragraph: Paragraph) -> None:
    borders = OxmlElement("w:pBdr")
    line = OxmlElement("w:bottom")
    for key, value in (("w:val", "single"), ("w:sz", "4"), ("w:space", "4"), ("w:color", "999999")):
        line.set(qn(key), value)
    borders.append(line)
    paragraph._p.get_or_add_pPr().append(borders)


def row_property(row: object, name: str) -> None:
    """<w:cantSplit/> (a row never breaks across pages) or <w:tblHeader/> (repeats on each)."""
    tr_pr = row._tr.get_or_add_trPr()  # type: ignore[attr-defined]
    tr_pr.append(OxmlElement(f"w:{name}"))


def rows_stay_whole(grid: Table, header: bool = True) -> None:
    for row in grid.rows:
        row_property(row, "cantSplit")
    if header:
        row_property(grid.rows[0], "tblHeader")


def no_borders(grid: Table) -> None:
    properties = grid._tbl.tblPr
    borders = OxmlElement("w:tblBorders")
    for side in ("top", "left", "bottom", "right", "insideH", "insideV"):
        edge = OxmlElement(f"w:{side}")
        edge.set(qn("w:val"), "nil")
        borders.append(edge)
    properties.append(borders)
