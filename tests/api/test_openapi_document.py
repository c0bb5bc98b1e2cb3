"""openapi.yaml is generated from the schemas, committed, and matches the routes that exist."""

from __future__ import annotations

import re

import yaml
from flask import Flask

from tests.conftest import ROOT

# The JSON API is what the contract describes; the desk's pages and the static files are not API.
NOT_API = ("desk.", "static")


def committed() -> dict:
    return yaml.safe_load((ROOT / "openapi.yaml").read_text())


def test_committed_file_is_what_the_schemas_generate(app: Flask) -> None:
    generated = app.extensions["flask-smorest"]["apis"][""]["ext_obj"].spec.to_dict()
    assert committed() == yaml.safe_load(yaml.safe_dump(generated)), "run `make openapi` and commit"


def test_every_route_is_in_the_spec_and_every_spec_path_is_a_route(app: Flask) -> None:
    routes = set()
    for rule in app.url_map.iter_rules():
        if rule.endpoint.startswith(NOT_API):
            continue
        path = re.sub(r"<(?:[^:<>]+:)?([^<>]+)>", r"{\1}", rule.rule)
        routes |= {(path, method.lower()) for method in rule.methods - {"HEAD", "OPTIONS"}}
    documented = {
        (path, method)
        for path, item in committed()["paths"].items()
        for method in item
        if method != "parameters"
    }
    assert routes == documented
