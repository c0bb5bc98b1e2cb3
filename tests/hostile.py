"""Hostile strings: each must come back literally, or be refused with a 4xx naming its field."""

from __future__ import annotations

HOSTILE = (
    "Rossi & Figli <S.p.A.> \"quoted\" 'single'",
    "]]><![CDATA[x]]><w:p/></w:t>",
    "{{ 7*7 }}",
    "{% for x in range(3) %}loop{% endfor %}",
    "{{ ''.__class__.__mro__[1].__subclasses__() }}",
    "{%p if true %}docx tag{%p endif %}",
    "'; DROP TABLE engagements; --",
    "مرحبا بالعالم — שלום עולם",
    "\u202eevil reversed\u202c",
    "Café 😀 👩‍💻 🇮🇹 \u200b",
    "line one\nline two\ttabbed",
    "control \x00 \x07 \x1b",
    "lone surrogate \ud800",
    "x" * 10_000,
)
