"""If-Match on a transition (RFC 9110 §13.1.1): only the current version, as a strong tag, applies.

Each refused precondition changes nothing: the engagement keeps its version and record.
"""

from __future__ import annotations

import pytest

from tests.conftest import Api

REQUEST_FEEDBACK = {"trigger": "request_feedback", "data": {"subject": "Approve the plan"}}


@pytest.mark.parametrize(
    ("header", "why"),
    [
        pytest.param("garbage", "not an entity tag", id="not-an-entity-tag"),
        pytest.param('"abc"', "a tag that names no version", id="a-tag-that-names-no-version"),
        pytest.param(
            "{future}",
            "a version the engagement has not reached",
            id="a-version-the-engagement-has-not-reached",
        ),
        pytest.param("{stale}", "an older version", id="an-older-version"),
        pytest.param('W/"{current}"', "a weak tag: If-Match compares strongly", id="a-weak-tag"),
        pytest.param('"' + "9" * 19 + '"', "19 digits: beyond any version a BIGINT holds", id="19-digits"),
        pytest.param(
            '"' + "9" * 4000 + '"',
            "4,000 digits: near int()'s limit, still a 412 and not a 500",
            id="4000-digits",
        ),
        pytest.param(
            "{current}",
            "the version without quotes is not an entity tag",
            id="the-version-without-quotes-is-not-an-entity-tag",
        ),
    ],
)
def test_an_if_match_that_is_not_the_current_strong_tag_is_412_and_changes_nothing(
    api: Api, header: str, why: str
) -> None:
    e = api.create_engagement()
    version = e["version"]
    tag = header.format(current=version, future=f'"{version + 1}"', stale=f'"{version - 1}"')
    path = f"/v1/engagements/{e['id']}/transitions"
    response = api.post(path, json=REQUEST_FEEDBACK, headers={"If-Match": tag})
    assert response.status_code == 412, (why, response.json)
    assert response.content_type == "application/problem+json"
    after = api.get(f"/v1/engagements/{e['id']}")
    assert (after.json["state"], after.json["version"]) == ("active", version), why
    assert len(api.get(f"/v1/engagements/{e['id']}/events").json) == 3  # created, contract, invoice


def test_an_if_match_longer_than_any_header_may_be_is_431_and_changes_nothing(api: Api) -> None:
    e = api.create_engagement()
    path = f"/v1/engagements/{e['id']}/transitions"
    response = api.post(path, json=REQUEST_FEEDBACK, headers={"If-Match": '"' + "9" * 5000 + '"'})
    assert response.status_code == 431
    assert api.get(f"/v1/engagements/{e['id']}").json["version"] == e["version"]


@pytest.mark.parametrize("header", ['"{current}"', " * ", "*"])
def test_the_current_strong_tag_or_a_star_applies(api: Api, header: str) -> None:
    e = api.create_engagement()
    path = f"/v1/engagements/{e['id']}/transitions"
    tag = header.format(current=e["version"])
    response = api.post(path, json=REQUEST_FEEDBACK, headers={"If-Match": tag})
    assert response.status_code == 200, response.json
    assert response.json["engagement"]["state"] == "awaiting_feedback"
    assert response.headers["ETag"] == f'"{e["version"] + 1}"'
