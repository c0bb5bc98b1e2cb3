"""The client's portal under /p/<token>: what is asked of them, their letters and statement, and
their answers, each recorded as evidence (``application/portal_answers.py``).

No account and no sign-in: the link is the key, scoped to one engagement and one contact, expiring
and revocable (``application/portal_links.py``). Opening a page changes nothing, because mail
scanners open links; every answer is a POST with a CSRF token (the desk's Flask-WTF set-up).
"""

from __future__ import annotations

from flask import Flask

from service.desk.wording import DeskWording
from service.portal import accept, pages  # accept: its routes join the blueprint
from service.portal.pages import FOLDER, portal


def register_portal(app: Flask) -> None:
    """After the desk, whose CSRF protection and session cookie the portal's forms share."""
    app.extensions["portal_wording"] = DeskWording.load(FOLDER)
    app.register_blueprint(portal)


__all__ = ["accept", "pages", "register_portal"]
