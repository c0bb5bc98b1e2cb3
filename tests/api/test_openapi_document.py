"""openapi.yaml is generated from the schemas, committed, and matches the routes that exist."""

from __future__ import annotations

import re

import yaml
from flask import Flask
from openapi_spec_validator import OpenAPIV30SpecValidator

from tests.conftest import ROOT, openapi_operations

# Not API operations: the static files (what /docs and the desk load), the desk's own pages and
# the client's portal.
EXEMPT = re.compile(r"static|desk\..+|portal\..+")


def committed() -> dict:
    return yaml.safe_load((ROOT / "openapi.yaml").read_text())


def test_committed_file_is_what_the_schemas_generate(app: Flask) -> None:
    generated = app.extensions["flask-smorest"]["apis"][""]["ext_obj"].spec.to_dict()
    assert committed() == yaml.safe_load(yaml.safe_dump(generated)), "run `make openapi` and commit"


def test_every_route_is_in_the_spec_and_every_spec_path_is_a_route(app: Flask) -> None:
    routes = set()
    for rule in app.url_map.iter_rules():
        if EXEMPT.fullmatch(rule.endpoint):
            continue
        path = re.sub(r"<(?:[^:<>]+:)?([^<>]+)>", r"{\1}", rule.rule)
        routes |= {(path, method.lower()) for method in rule.methods - {"HEAD", "OPTIONS"}}
    assert routes == set(openapi_operations())


def test_the_committed_file_is_a_valid_openapi_3_0_document() -> None:
    errors = [
        f"{'/'.join(map(str, error.absolute_path))}: {error.message[:300]}"
        for error in OpenAPIV30SpecValidator(committed()).iter_errors()
    ]
    assert errors == []


def test_every_response_has_a_description() -> None:
    """OpenAPI 3.0 requires one; generators refuse the whole document without it (issue 37)."""
    document = committed()
    shared = document["components"]["responses"]
    missing = [
        f"{method.upper()} {path} {status}"
        for path, item in document["paths"].items()
        for method, operation in item.items()
        if method != "parameters"
        for status, response in operation["responses"].items()
        if not shared.get(response.get("$ref", "").rpartition("/")[2], response).get("description")
    ]
    assert missing == []
