"""GET /docs: the API reference for people, from openapi.yaml, with every file it loads served here."""

from __future__ import annotations

from html.parser import HTMLParser

from flask.testing import FlaskClient

from service.api.system import DOCS_POLICY


class Loads(HTMLParser):
    """What a page makes the browser fetch or run: script and stylesheet addresses, inline code."""

    def __init__(self) -> None:
        super().__init__()
        self.scripts: list[str] = []
        self.styles: list[str] = []
        self.inline: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        named = dict(attrs)
        if "style" in named or any(name.startswith("on") for name in named):
            self.inline.append(f"<{tag}> with {sorted(named)}")
        if tag == "script":
            self._in_script = True
            self.scripts.append(named.get("src") or "")
        elif tag == "link" and named.get("rel") == "stylesheet":
            self.styles.append(named.get("href") or "")
        elif tag == "style":
            self.inline.append("<style>")

    def handle_endtag(self, tag: str) -> None:
        self._in_script = self._in_script and tag != "script"

    def handle_data(self, data: str) -> None:
        if self._in_script and data.strip():
            self.inline.append(f"<script>{data.strip()[:40]}")


def _page(client: FlaskClient) -> Loads:
    response = client.get("/docs")  # no key
    assert response.status_code == 200 and response.mimetype == "text/html"
    loads = Loads()
    loads.feed(response.get_data(as_text=True))
    return loads


def test_the_reference_needs_no_key_and_allows_only_this_origin(client: FlaskClient) -> None:
    response = client.get("/docs")
    assert response.status_code == 200
    policy = response.headers["Content-Security-Policy"]
    assert policy == DOCS_POLICY
    directives = dict(d.strip().split(" ", 1) for d in policy.split(";"))
    assert directives["default-src"] == "'self'"
    # Only Swagger UI's data: icons beyond this origin: no inline or evaluated code, no other host.
    assert directives["img-src"] == "'self' data:"
    assert "script-src" not in directives and "style-src" not in directives
    assert directives["frame-ancestors"] == "'none'"


def test_every_script_and_style_the_page_loads_is_served_from_here(client: FlaskClient) -> None:
    loads = _page(client)
    assert loads.inline == []  # the policy would block it: nothing inline
    assert len(loads.scripts) >= 2 and len(loads.styles) >= 1  # Swagger UI and its set-up
    for address, mimetype in [
        *((a, "text/javascript") for a in loads.scripts),
        *((a, "text/css") for a in loads.styles),
    ]:
        assert address.startswith("/") and not address.startswith("//"), address
        response = client.get(address)
        assert response.status_code == 200, address
        assert response.mimetype == mimetype and response.content_length, address


def test_swagger_ui_reads_this_service_s_document_and_asks_no_other_host(client: FlaskClient) -> None:
    [setup] = [a for a in _page(client).scripts if "vendor" not in a]
    script = client.get(setup).get_data(as_text=True)
    assert 'url: "/openapi.yaml"' in script
    assert "validatorUrl: null" in script  # else it sends the document to validator.swagger.io
    assert "http://" not in script and "https://" not in script
    assert client.get("/openapi.yaml").status_code == 200
