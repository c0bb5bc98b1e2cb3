"""Render documents with docxtpl in a sandbox, from templates checked once at start-up."""

from __future__ import annotations

import hashlib
import re
import unicodedata
from datetime import date
from functools import cache
from io import BytesIO
from pathlib import Path
from typing import Any

from docxtpl import DocxTemplate
from jinja2 import TemplateError
from markupsafe import Markup

from service.documents.base import DocContext
from service.documents.compiled import CompiledTemplate, UnsupportedTemplate
from service.documents.formatting import Formatter
from service.documents.kinds import KINDS, STANDARD_LETTER, TEMPLATE_SHAPES, registered_kinds
from service.documents.placeholders import with_marked_sender
from service.documents.reports import onerous_clauses
from service.documents.request import DocumentRequest
from service.documents.safety import ensure_legal, make_environment
from service.documents.shapes import Common, as_context, context_keys
from service.documents.wording import WordingError, load_wording
from service.domain.model import LANGUAGES, Document
from service.domain.yaml_files import read_yaml

BUILTIN_TEMPLATES_DIR = Path(__file__).resolve().parents[2] / "contract_templates"


@cache
def builtin_kinds() -> frozenset[str]:
    """The kinds of the built-in templates and wording, as ``DocumentRenderer().kinds`` has them
    (without loading the templates): what the OpenAPI document lists."""
    with (BUILTIN_TEMPLATES_DIR / "wording" / f"{LANGUAGES[0]}.yaml").open(encoding="utf-8") as file:
        return registered_kinds(read_yaml(file)["notices"])


class DocumentSetupError(RuntimeError):
    """A template or wording file cannot be used; the message names the file and the problem."""


def _slug(text: str, fallback: str = "document", limit: int = 40) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")[:limit].strip("-") or fallback


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


class DocumentRenderer:
    """Loads templates and wording once; compiles each template on its first render."""

    def __init__(self, templates_dir: Path | None = None) -> None:
        self.templates_dir = templates_dir or BUILTIN_TEMPLATES_DIR
        self._env = make_environment()
        self._templates: dict[str, bytes] = {}
        # Lazily: start-up (and every test app) pays only for the checks, not the compile.
        self._compiled: dict[str, CompiledTemplate | None] = {}
        for name, shape in TEMPLATE_SHAPES.items():
            path = self._resolve(name)
            self._templates[name] = path.read_bytes()
            self._check(path, shape)
        wording_dir = self.templates_dir / "wording"
        if not wording_dir.is_dir():
            wording_dir = BUILTIN_TEMPLATES_DIR / "wording"
        try:
            self._wording = load_wording(wording_dir, self._env)
        except WordingError as exc:
            raise DocumentSetupError(str(exc)) from exc
        # Every language holds the same keys (checked on load), so any one lists the letters.
        letters = next(iter(self._wording.values())).raw("notices")
        self.kinds: frozenset[str] = registered_kinds(letters)

    def _resolve(self, name: str) -> Path:
        # A user may override only some templates; the others come from the built-in set.
        path = self.templates_dir / name
        return path if path.is_file() else BUILTIN_TEMPLATES_DIR / name

    def _check(self, path: Path, shape: type[Common]) -> None:
        try:
            template = DocxTemplate(BytesIO(self._templates[path.name]))
            used = template.get_undeclared_template_variables(jinja_env=self._env)
        except TemplateError as exc:
            raise DocumentSetupError(f"Template {path}: invalid tag: {exc}") from exc
        except Exception as exc:  # python-docx raises several kinds for a broken file
            raise DocumentSetupError(f"Template {path} is not a readable .docx: {exc}") from exc
        unknown = sorted(used - context_keys(shape))
        if unknown:
            raise DocumentSetupError(
                f"Template {path} uses variable(s) {', '.join(unknown)} that its builder does not "
                f"provide; available: {', '.join(sorted(context_keys(shape)))}."
            )

    def kind_name(self, kind: str, language: str) -> str:
        """The kind as a reader calls it ("Sollecito di pagamento"); a letter added only in the
        wording without a name keeps its kind."""
        names = self._wording[language].raw("document_names")
        return str(names.get(kind) or kind.replace("_", " "))

    def kind_slug(self, kind: str, language: str) -> str:
        return _slug(self.kind_name(kind, language), fallback=kind.replace("_", "-"), limit=60)

    def message_for(
        self, request: DocumentRequest, portal_url: str = "", portal_until: date | None = None
    ) -> tuple[str, str]:
        """(subject, plain-text body) of the e-mail that carries this notice, in its language;
        with a portal link, the paragraph that offers it."""
        _, context = self.context_for(request)
        wording = self._wording[request.engagement.language]
        subject = str(context.get("subject") or context.get("title") or request.kind)
        # Wording renders for XML (values escaped); an e-mail is plain text, so undo that.
        subject = Markup(subject).unescape()
        formatter = Formatter(request.engagement.language, request.engagement.currency)
        values = {
            "portal_url": portal_url,
            "portal_until": formatter.date(portal_until) if portal_until else "",
            "contact": request.engagement.contact_greeted_as,
            "client": request.engagement.client_name,
            "subject": subject,
            "today": formatter.date(request.day),
            "sender": request.tenant.signatory or request.tenant.name,
        }
        said = wording.texts("messages.body", **values)
        paragraphs = [Markup(p).unescape() for p in said if p.strip()]  # an unused paragraph says nothing
        return subject, "\n\n".join(paragraphs) + "\n"

    def onerous_clauses(self, request: DocumentRequest) -> list[dict[str, str]]:
        """The contract's clauses of art. 1341-1342 c.c., numbered as ``request`` would print them."""
        language = request.engagement.language
        return onerous_clauses(
            DocContext(with_marked_sender(request, self._wording[language]), self._wording[language])
        )

    def plain(self, language: str, key: str, **values: Any) -> list[str]:
        """A wording entry (one text or a list) as plain text: for e-mails and the sealed page."""
        raw = self._wording[language].raw(key)
        texts = raw if isinstance(raw, list) else [raw]
        return [Markup(self._wording[language].render(text, values)).unescape() for text in texts]

    def context_for(self, request: DocumentRequest) -> tuple[str, dict[str, Any]]:
        """The template name and the checked context a request renders with."""
        if request.kind not in self.kinds:
            raise ValueError(f"Unknown document kind '{request.kind}'.")
        if request.now.tzinfo is None:
            raise ValueError("DocumentRequest.now must be timezone-aware (UTC).")
        language = request.engagement.language
        if language not in self._wording:
            raise ValueError(f"No wording for language '{language}'.")
        template_name, build = KINDS.get(request.kind, STANDARD_LETTER)
        request = with_marked_sender(request, self._wording[language])
        context = as_context(build(DocContext(request, self._wording[language])))
        ensure_legal(context, request.kind)  # the API validates input; this is the backstop
        return template_name, context

    def render_plain(self, template_name: str, context: dict[str, Any]) -> bytes:
        """Plain docxtpl: the reference the fast path must match, and its fallback."""
        document = DocxTemplate(BytesIO(self._templates[template_name]))
        document.render(context, jinja_env=self._env)
        buffer = BytesIO()
        document.save(buffer)
        return buffer.getvalue()

    def _render_bytes(self, template_name: str, context: dict[str, Any]) -> bytes:
        if template_name not in self._compiled:
            try:
                compiled = CompiledTemplate(self._templates[template_name], self._env)
            except UnsupportedTemplate:
                compiled = None
            self._compiled[template_name] = compiled
        compiled = self._compiled[template_name]
        if compiled is None:
            return self.render_plain(template_name, context)
        return compiled.render(context)

    def render(self, request: DocumentRequest) -> Document:
        """The document, not yet attached to its engagement and cause (the caller does that)."""
        template_name, context = self.context_for(request)
        template_bytes = self._templates[template_name]
        content = self._render_bytes(template_name, context)
        language = request.engagement.language
        return Document(
            kind=request.kind,
            language=language,
            template_name=template_name,
            template_sha256=_sha256(template_bytes),
            filename=f"{self.kind_slug(request.kind, language)}.docx",
            content=content,
            sha256=_sha256(content),
            created_at=request.now,
        )
