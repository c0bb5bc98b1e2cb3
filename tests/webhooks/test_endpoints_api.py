"""The webhook endpoint routes: the secret shown once, changes, deletion, and refused targets."""

from __future__ import annotations

import re

import pytest

from service.adapters.webhook_http import WebhookHttp
from tests.conftest import Api
from tests.webhooks.conftest import subscribe


def test_the_secret_is_shown_once_at_creation(api: Api, open_targets: WebhookHttp) -> None:
    created = api.post(
        "/v1/webhook-endpoints",
        json={"url": "http://127.0.0.1:9/hooks", "events": ["engagement.transitioned"], "description": "CRM"},
    )
    assert created.status_code == 201
    assert created.json["secret"].startswith("whsec_")
    assert created.headers["Location"].endswith(f"/v1/webhook-endpoints/{created.json['id']}")
    shown = api.get(created.headers["Location"]).json
    listed = api.get("/v1/webhook-endpoints").json
    assert "secret" not in shown and all("secret" not in e for e in listed)
    assert shown["events"] == ["engagement.transitioned"] and shown["description"] == "CRM"
    assert shown["enabled"] is True


def test_patch_changes_the_endpoint_and_delete_removes_it(api: Api, open_targets: WebhookHttp) -> None:
    endpoint = subscribe(api, "http://127.0.0.1:9/hooks")
    path = f"/v1/webhook-endpoints/{endpoint['id']}"
    changed = api.patch(path, json={"events": ["invoice.issued", "payment.received"], "enabled": False})
    assert changed.status_code == 200
    assert changed.json["events"] == ["invoice.issued", "payment.received"] and not changed.json["enabled"]
    assert api.patch(path, json={"enabled": True}).json["enabled"] is True
    assert api.client.delete(path, headers=api.headers).status_code == 204
    assert api.get(path).status_code == 404


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"url": "ftp://example.com/x", "events": ["*"]}, "url"),
        ({"url": "not a url", "events": ["*"]}, "url"),
        ({"url": "https://example.com/x", "events": ["engagement.exploded"]}, "events.0"),
        ({"url": "https://example.com/x", "events": []}, "events"),
        ({"url": "https://example.com/x", "events": ["*", "*"]}, "events"),
        ({"url": "https://example.com/x"}, "events"),
        ({"url": "https://example.com/x", "events": ["*"], "secret": "whsec_mine"}, "secret"),
    ],
)
def test_invalid_endpoints_are_refused_naming_the_field(api: Api, body: dict, field: str) -> None:
    response = api.post("/v1/webhook-endpoints", json=body)
    assert response.status_code == 422, response.json
    assert field in response.json["errors"]


# One URL per refused address class; each resolves (as a literal) without any DNS.
REFUSED = {
    "loopback v4": "http://127.0.0.1:8080/hooks",
    "loopback v6": "http://[::1]/hooks",
    "loopback by name": "http://localhost/hooks",
    "private 10/8": "http://10.1.2.3/hooks",
    "private 172.16/12": "https://172.16.5.4/hooks",
    "private 192.168/16": "http://192.168.1.10/hooks",
    "private v6 (ULA)": "http://[fd12:3456::1]/hooks",
    "link-local v4": "http://169.254.10.20/hooks",
    "link-local v6": "http://[fe80::1]/hooks",
    "metadata (AWS, GCP, Azure)": "http://169.254.169.254/latest/meta-data/",
    "metadata (AWS IPv6)": "http://[fd00:ec2::254]/latest/meta-data/",
    "metadata (Alibaba, shared space)": "http://100.100.100.200/latest/meta-data/",
    "unspecified": "http://0.0.0.0/hooks",
    # IPv6 forms that carry an IPv4 address are judged by it (issue 31).
    "6to4 carrying loopback": "http://[2002:7f00:1::]/hooks",
    "6to4 carrying private": "http://[2002:a00:1::]/hooks",
    "NAT64 carrying metadata": "http://[64:ff9b::a9fe:a9fe]/latest/meta-data/",
    "Teredo carrying loopback": "http://[2001:0:4136:e378:8000:63bf:80ff:fffe]/hooks",
}


@pytest.mark.parametrize("url", REFUSED.values(), ids=REFUSED.keys())
def test_ssrf_each_non_public_address_class_is_refused_at_creation(api: Api, url: str) -> None:
    response = api.post("/v1/webhook-endpoints", json={"url": url, "events": ["*"]})
    assert response.status_code == 422, response.json
    assert "cannot receive webhooks" in response.json["errors"]["url"][0]
    assert api.get("/v1/webhook-endpoints").json == []


def test_ssrf_a_url_moved_onto_a_private_address_is_refused(api: Api, open_targets: WebhookHttp) -> None:
    endpoint = subscribe(api, "http://127.0.0.1:9/hooks")
    open_targets.allow_private = False  # the deployment's setting, as without the override
    response = api.patch(f"/v1/webhook-endpoints/{endpoint['id']}", json={"url": "http://10.0.0.8/x"})
    assert response.status_code == 422 and "url" in response.json["errors"]


def test_ssrf_dns_that_changes_to_a_private_address_is_refused_at_delivery() -> None:
    answers = {"hooks.example.com": ["93.184.216.34"]}
    http = WebhookHttp(resolver=lambda host, port: answers[host])
    http.check("https://hooks.example.com/in")  # public at registration
    answers["hooks.example.com"] = ["93.184.216.34", "10.0.0.7"]  # then rebinds
    answer = http.post("https://hooks.example.com/in", b"{}", {})
    assert answer.status_code is None
    assert answer.error is not None and "10.0.0.7" in answer.error and answer.error.startswith("refused")
    http.close()


@pytest.mark.parametrize("carrier", ["2002:5db8:d822::", "64:ff9b::5db8:d822", "::ffff:93.184.216.34"])
def test_an_ipv6_form_carrying_a_public_address_is_taken(carrier: str) -> None:
    http = WebhookHttp(resolver=lambda host, port: [carrier])
    http.check("https://carried.example.com/in")
    http.close()


@pytest.mark.parametrize(
    ("carrier", "inner"),
    [
        ("2002:7f00:1::", "127.0.0.1"),
        ("::ffff:a00:1", "10.0.0.1"),
        ("64:ff9b::a9fe:a9fe", "169.254.169.254"),
    ],
)
def test_a_name_resolving_to_a_form_carrying_a_private_address_is_refused_naming_both(
    carrier: str, inner: str
) -> None:
    http = WebhookHttp(resolver=lambda host, port: [carrier])
    with pytest.raises(ValueError, match=f"{re.escape(carrier)}, which carries {re.escape(inner)}, a "):
        http.check("http://carrier.example.com/in")
    http.close()


def test_ssrf_a_name_resolving_to_a_v4_mapped_loopback_is_refused() -> None:
    http = WebhookHttp(resolver=lambda host, port: ["::ffff:127.0.0.1"])
    with pytest.raises(ValueError, match="loopback"):
        http.check("http://mapped.example.com/in")
    http.close()


def test_the_override_lets_a_loopback_receiver_in(api: Api, open_targets: WebhookHttp) -> None:
    assert open_targets.allow_private
    assert (
        api.post("/v1/webhook-endpoints", json={"url": REFUSED["loopback v4"], "events": ["*"]}).status_code
        == 201
    )
