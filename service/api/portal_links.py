"""Links to the client's portal: issue one (its URL shown once), list them, revoke one."""

from __future__ import annotations

from typing import Any

from flask.views import MethodView
from flask_smorest import Blueprint
from marshmallow import Schema, fields

from service.api.auth import tenant_id
from service.api.common import runtime
from service.api.fields import ID, EmailAddress
from service.api.schemas import StrictSchema
from service.application import portal_links

blp = Blueprint("portal_links", __name__, url_prefix="/v1", description="The client's portal links")


class PortalLinkSchema(Schema):
    id = fields.Integer()
    engagement_id = fields.Integer()
    contact = fields.String(metadata={"description": "The address on file the link was made for"})
    status = fields.String(metadata={"description": "active, expired or revoked"})
    created_at = fields.DateTime()
    expires_at = fields.DateTime()
    revoked_at = fields.DateTime(allow_none=True)


class NewPortalLinkSchema(PortalLinkSchema):
    url = fields.String(
        metadata={"description": "The link with its token: shown this once, stored only as a hash"}
    )


class PortalLinkCreateSchema(StrictSchema):
    contact = EmailAddress(
        load_default=None,
        metadata={"description": "client_email or client_pec of the engagement; default the e-mail"},
    )


@blp.route(f"/engagements/<{ID}:engagement_id>/portal-links")
class PortalLinks(MethodView):
    @blp.response(200, PortalLinkSchema(many=True))
    def get(self, engagement_id: int) -> list[dict[str, Any]]:
        """The engagement's portal links, newest first; never their tokens."""
        return portal_links.list_links(runtime(), tenant_id(), engagement_id)

    @blp.arguments(PortalLinkCreateSchema())
    @blp.response(201, NewPortalLinkSchema)
    @blp.alt_response(404, description="No such engagement on this account")
    @blp.alt_response(422, description="The contact is not an address the engagement holds")
    def post(self, body: dict[str, Any], engagement_id: int) -> tuple[dict[str, Any], int]:
        """Issue a link to the portal for one contact; it expires 30 days from now, or 30 days after
        the latest deadline it serves (an open feedback request, an unpaid invoice)."""
        issued = portal_links.create_link(runtime(), tenant_id(), engagement_id, body["contact"])
        return issued, 201


@blp.route(f"/engagements/<{ID}:engagement_id>/portal-links/<{ID}:link_id>", methods=["DELETE"])
@blp.response(204)
@blp.alt_response(404, description="No such link on this engagement")
def revoke(engagement_id: int, link_id: int) -> None:
    """Revoke a link: the portal shows nothing through it from its next request on."""
    portal_links.revoke_link(runtime(), tenant_id(), engagement_id, link_id)
