"""A docx template prepared once per process, so that each document costs one Jinja render.

Plain docxtpl reopens the whole package for every document (parsing ~800 kB of styles),
rewrites the tags with its regular expressions, compiles the result with Jinja, then
re-serialises and re-compresses every part. Only the parts that hold tags change between
documents, so here docxtpl's own preprocessing and the Jinja compile run once; each document
renders those parts with the same docxtpl steps (listing, table fix, docPr ids) and appends
them to a zip that already holds the compressed unchanged parts. The part contents are
byte-identical to plain docxtpl (tests/integration/documents/test_documents_fast_path.py).
"""

from __future__ import annotations

import re
import zipfile
from io import BytesIO
from typing import Any

from docx import Document
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.coreprops import CoreProperties
from docx.opc.oxml import serialize_part_xml
from docx.oxml.ns import nsmap, qn
from docx.oxml.parser import parse_xml
from docxtpl import DocxTemplate
from jinja2 import Environment, Template
from lxml import etree

# The core properties docxtpl renders (DocxTemplate.render_properties).
PROPERTIES = ("author", "comments", "identifier", "language", "subject", "title")
_FOOTNOTES = "application/vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml"
# A fixed timestamp makes equal documents equal bytes; python-docx stamps the current time.
_EPOCH = (1980, 1, 1, 0, 0, 0)


class UnsupportedTemplate(Exception):
    """The template uses a feature this fast path does not reproduce exactly (footnotes)."""


def _source(env: Environment, xml: str) -> Template:
    # The same line-splitting docxtpl applies before compiling (render_xml_part).
    return env.from_string(re.sub(r"<w:p([ >])", r"\n<w:p\1", xml))


def _unsplit(xml: str) -> str:
    # docxtpl's post-render text fixes, in its order.
    xml = re.sub(r"\n<w:p([ >])", r"<w:p\1", xml)
    return xml.replace("{_{", "{{").replace("}_}", "}}").replace("{_%", "{%").replace("%_}", "%}")


def _entry(name: str) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name, date_time=_EPOCH)
    info.compress_type = zipfile.ZIP_DEFLATED
    return info


class CompiledTemplate:
    """One template: compiled Jinja for each tagged part, and the zip of the untouched parts."""

    def __init__(self, data: bytes, env: Environment) -> None:
        # patch_xml, resolve_listing and fix_tables are pure text/XML helpers on the instance.
        self._tools = DocxTemplate(BytesIO(data))
        docx = Document(BytesIO(data))
        package = docx.part.package
        if any(part.content_type == _FOOTNOTES for part in package.iter_parts()):
            raise UnsupportedTemplate("footnotes")
        self._document_name = docx.part.partname.membername
        self._document_xml = docx.part.blob
        self._body = _source(env, self._patched(docx.element.body))
        self._headers_footers: dict[str, Template] = {}
        for rel in docx.part.rels.values():
            if rel.reltype in (RT.HEADER, RT.FOOTER) and rel.target_part.blob:
                part = rel.target_part
                self._headers_footers[part.partname.membername] = _source(
                    env, self._patched(parse_xml(part.blob))
                )
        core = docx.core_properties
        self._core_name = package._core_properties_part.partname.membername
        self._core_xml = serialize_part_xml(core._element)
        self._properties = {name: env.from_string(getattr(core, name)) for name in PROPERTIES}
        self._base = self._static_parts(data)

    def _patched(self, element: Any) -> str:
        return self._tools.patch_xml(etree.tostring(element, encoding="unicode", pretty_print=False))

    def _static_parts(self, data: bytes) -> bytes:
        """Every part except the rendered ones, as python-docx writes them, compressed once."""
        saved = BytesIO()
        DocxTemplate(BytesIO(data)).save(saved)
        rendered = {self._document_name, self._core_name, *self._headers_footers}
        base = BytesIO()
        with zipfile.ZipFile(saved) as source, zipfile.ZipFile(base, "w") as target:
            for name in source.namelist():
                if name not in rendered:
                    target.writestr(_entry(name), source.read(name))
        return base.getvalue()

    def render(self, context: dict[str, Any]) -> bytes:
        parts = {
            self._document_name: self._render_document(context),
            self._core_name: self._render_properties(context),
        }
        for name, template in self._headers_footers.items():
            xml = self._tools.resolve_listing(_unsplit(template.render(context)))
            parts[name] = serialize_part_xml(parse_xml(xml.encode("utf-8")))
        buffer = BytesIO(self._base)
        buffer.seek(0, 2)
        with zipfile.ZipFile(buffer, "a") as archive:
            for name, blob in parts.items():
                archive.writestr(_entry(name), blob)
        return buffer.getvalue()

    def _render_document(self, context: dict[str, Any]) -> bytes:
        xml = self._tools.resolve_listing(_unsplit(self._body.render(context)))
        body = self._tools.fix_tables(xml)
        # docxtpl renumbers every drawing id from 1001 so pictures in loops stay unique.
        for number, element in enumerate(body.xpath("//wp:docPr", namespaces=nsmap), start=1001):
            element.attrib["id"] = str(number)
        root = parse_xml(self._document_xml)
        root.replace(root.find(qn("w:body")), body)
        return serialize_part_xml(root)

    def _render_properties(self, context: dict[str, Any]) -> bytes:
        # Set on a fresh copy of the core part, as docxtpl sets them through python-docx.
        properties = CoreProperties(parse_xml(self._core_xml))
        for name, template in self._properties.items():
            setattr(properties, name, template.render(context))
        return serialize_part_xml(properties._element)
