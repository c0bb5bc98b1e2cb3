"""Text that tests feed every free-text field, in two lists.

``LEGITIMATE``: what real clients are called and write. Every free-text field must take each
string (2xx) and give it back literally, in the answer, the record and the documents.
``MAY_BE_REFUSED``: text a field may refuse with a 422 naming it (a 400 for a body that is not
valid UTF-8 text at all); if it is taken, it too comes back literally.
"""

from __future__ import annotations

from typing import Any

import yaml

from tests.conftest import ROOT

SPEC = yaml.safe_load((ROOT / "openapi.yaml").read_text())


def resolve(schema: dict[str, Any]) -> dict[str, Any]:
    """A schema of openapi.yaml with its references followed, as a field's checks read it."""
    while "$ref" in schema:
        schema = SPEC["components"]["schemas"][schema["$ref"].rsplit("/", 1)[-1]]
    if "allOf" in schema and len(schema["allOf"]) == 1:
        return resolve(schema["allOf"][0])
    return schema


LEGITIMATE = (
    "Rossi & Figli",
    "Rossi & Figli <S.p.A.> \"quoted\" 'single'",
    "]]><![CDATA[x]]><w:p/></w:t>",
    "{{ 7*7 }}",
    "{% for x in range(3) %}loop{% endfor %}",
    "{{ ''.__class__.__mro__[1].__subclasses__() }}",
    "{%p if true %}docx tag{%p endif %}",
    "'; DROP TABLE engagements; --",
    "مرحبا بالعالم — שלום עולם",  # Arabic and Hebrew: right to left
    "شركة روسي وأبناؤه",
    "Café 😀 👩‍💻 🇮🇹",  # a joined emoji sequence and a flag
    "株式会社ロッシ 北京市朝阳区 서울",  # Japanese, Chinese, Korean
)

MAY_BE_REFUSED = (
    "\u202eevil reversed\u202c zero\u200bwidth",  # invisible formatting characters
    "line one\nline two\ttabbed",
    "control \x00 \x07 \x1b",
    "lone surrogate \ud800",
    "x" * 10_000,
)
