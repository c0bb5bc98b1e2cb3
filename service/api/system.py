"""Unauthenticated operational routes: health, the API description and its reference for people."""

from __future__ import annotations

from pathlib import Path

from flask import Response, current_app
from flask_smorest import Blueprint
from marshmallow import Schema, fields
from sqlalchemy import text

blp = Blueprint("system", __name__, description="Health, the API description and its reference (no key)")
OPENAPI_FILE = Path(__file__).resolve().parents[2] / "openapi.yaml"
# Outside the static folder: the page is served only by docs(), with its policy.
DOCS_PAGE = Path(__file__).with_name("docs.html")
# Everything from this origin, nothing inline, nothing from another host. Swagger UI's only extra
# need: its stylesheet draws its icons as data: SVG and PNG images.
DOCS_POLICY = (
    "default-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; "
    "form-action 'none'; frame-ancestors 'none'"
)


class HealthSchema(Schema):
    status = fields.String(metadata={"example": "ok"})


@blp.route("/healthz")
@blp.response(200, HealthSchema)
@blp.doc(security=[])
def healthz() -> dict[str, str]:
    """200 while the process serves: answered from memory (unauthenticated and unlimited, so it
    must cost nothing). Whether the database answers is ``/readyz``."""
    return {"status": "ok"}


@blp.route("/readyz")
@blp.response(200, HealthSchema)
@blp.alt_response(503, description="The database does not answer")
@blp.doc(security=[])
def readyz() -> dict[str, str]:
    """200 when the database answers; otherwise a 503 problem (take this instance out of rotation)."""
    with current_app.extensions["sql_engine"].connect() as connection:
        connection.execute(text("SELECT 1"))
    return {"status": "ok"}


@blp.route("/openapi.yaml")
@blp.response(200, {"type": "object"}, content_type="application/yaml")  # a YAML mapping
@blp.doc(security=[])
def openapi() -> Response:
    """This API's OpenAPI document, as committed in the repository."""
    return Response(OPENAPI_FILE.read_bytes(), mimetype="application/yaml")


@blp.route("/docs")
@blp.response(200, {"type": "string"}, content_type="text/html")
@blp.doc(security=[])
def docs() -> Response:
    """The API reference for people: this document drawn by Swagger UI, served from here."""
    response = Response(DOCS_PAGE.read_bytes(), mimetype="text/html")
    response.headers["Content-Security-Policy"] = DOCS_POLICY
    return response
