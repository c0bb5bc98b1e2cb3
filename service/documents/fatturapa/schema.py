"""The official FatturaPA schema, vendored beside this module with the W3C signature schema it
imports (``VENDORED.toml`` pins both sha256): loaded once, from these files only, never the network."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import xmlschema

HERE = Path(__file__).resolve().parent
SCHEMA = HERE / "Schema_VFPR12_v1.2.3.xsd"


@cache
def _schema() -> xmlschema.XMLSchema10:
    # "sandbox": only files under this folder may be read, so the import resolves locally.
    return xmlschema.XMLSchema10(str(SCHEMA), allow="sandbox", base_url=str(HERE))


def problems(document: bytes) -> list[str]:
    """Every reason the schema refuses ``document`` (empty: the file is valid)."""
    return [f"{error.path}: {error.reason}" for error in _schema().iter_errors(document.decode("utf-8"))]
