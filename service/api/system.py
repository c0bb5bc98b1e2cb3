"""Unauthenticated operational routes: health and the API description."""

from __future__ import annotations

from pathlib import Path

from flask import Response, current_app
from flask_smorest import Blueprint
from marshmallow import Schema, fields
from sqlalchemy import text

blp = Blueprint("system", __name__, description="Health and the API description (no key)")
OPENAPI_FILE = Path(__file__).resolve().parents[2] / "openapi.yaml"


class HealthSchema(Schema):
    status = fields.String(metadata={"example": "ok"})


@blp.route("/healthz")
@blp.response(200, HealthSchema)
@blp.alt_response(503, description="The database does not answer")
@blp.doc(security=[])
def healthz() -> dict[str, str]:
    """200 when the database answers; otherwise a 503 problem."""
    with current_app.extensions["sql_engine"].connect() as connection:
        connection.execute(text("SELECT 1"))
    return {"status": "ok"}


@blp.route("/openapi.yaml")
@blp.response(200, {"type": "object"}, content_type="application/yaml")
@blp.doc(security=[])
def openapi() -> Response:
    """This API's OpenAPI document, as committed in the repository."""
    return Response(OPENAPI_FILE.read_bytes(), mimetype="application/yaml")
