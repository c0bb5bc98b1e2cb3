"""The caller's API keys: list, create (the secret is shown once), revoke."""

from __future__ import annotations

from typing import Any

from flask.views import MethodView
from flask_smorest import Blueprint
from marshmallow import RAISE, Schema, fields

from service.api.auth import tenant_id
from service.api.common import runtime
from service.api.fields import ID, Line
from service.api.schemas import PageQuerySchema, StrictSchema, before_id, page_schema
from service.application import keys

blp = Blueprint("keys", __name__, url_prefix="/v1", description="Your API keys")


class KeySchema(Schema):
    id = fields.Integer()
    name = fields.String()
    prefix = fields.String(metadata={"description": "The key's first characters, to recognise it"})
    status = fields.String(metadata={"description": "active, expired or revoked"})
    created_at = fields.DateTime()
    last_used_at = fields.DateTime(allow_none=True, metadata={"description": "To the minute"})
    expires_at = fields.DateTime(allow_none=True)
    revoked_at = fields.DateTime(allow_none=True)


class NewKeySchema(KeySchema):
    key = fields.String(metadata={"description": "The secret: shown this once, stored only as a hash"})


class KeyCreateSchema(StrictSchema):
    name = Line(100, required=True, min_length=1, metadata={"example": "laptop"})
    expires_at = fields.AwareDateTime(
        load_default=None, allow_none=True, metadata={"description": "When it stops working; never if absent"}
    )


KeyPageSchema = page_schema("KeyPage", KeySchema)


@blp.route("/tenant/keys")
class Keys(MethodView):
    @blp.arguments(PageQuerySchema(), location="query", unknown=RAISE)
    @blp.response(200, KeyPageSchema)
    def get(self, query: dict[str, Any]) -> dict[str, Any]:
        """Every key of this account, newest first, revoked ones included; never the secrets."""
        items, next_cursor = keys.list_keys(
            runtime(), tenant_id(), before_id=before_id(query), limit=query["limit"]
        )
        return {"items": items, "next_cursor": str(next_cursor) if next_cursor else None}

    @blp.arguments(KeyCreateSchema())
    @blp.response(201, NewKeySchema)
    @blp.alt_response(422, description="Bad input, or an expiry in the past")
    def post(self, body: dict[str, Any]) -> tuple[dict[str, Any], int]:
        """Create a key; its secret is in this answer and nowhere else, ever."""
        return keys.create_key(runtime(), tenant_id(), body["name"], body["expires_at"]), 201


@blp.route(f"/tenant/keys/<{ID}:key_id>", methods=["DELETE"])
@blp.response(204)
@blp.alt_response(404, description="No such key on this account")
@blp.alt_response(409, description="It is the account's last working key")
def revoke(key_id: int) -> None:
    """Revoke a key: its next request answers 401, on every worker. The last working key stays."""
    keys.revoke_key(runtime(), key_id, tenant_id())
