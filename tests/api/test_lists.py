"""The lists people look for, each paged the same way: payments, documents across engagements,
engagements by client name and by health."""

from __future__ import annotations

from tests.conftest import Api, FakeClock, engagement_body


def _client(name: str) -> dict[str, str]:
    return {**engagement_body()["client"], "name": name}


def test_payments_are_listed_newest_first_a_page_at_a_time(api: Api) -> None:
    eid = api.create_engagement()["id"]
    for reference in ("first", "second", "third"):
        body = {"amount": "100.00", "received_on": "2026-12-01", "reference": reference}
        assert api.post(f"/v1/engagements/{eid}/payments", json=body).status_code == 201
    page = api.get(f"/v1/engagements/{eid}/payments?limit=2").json
    assert [p["reference"] for p in page["items"]] == ["third", "second"]
    assert page["items"][0]["amount"] == "100.00"
    rest = api.get(f"/v1/engagements/{eid}/payments?limit=2&cursor={page['next_cursor']}").json
    assert ([p["reference"] for p in rest["items"]], rest["next_cursor"]) == (["first"], None)


def test_documents_across_engagements_by_kind_engagement_and_period(api: Api, clock: FakeClock) -> None:
    december = api.create_engagement(client=_client("December Ltd"))["id"]
    clock.advance(days=35)  # 5 January 2027
    january = api.create_engagement(client=_client("January Ltd"), start_date="2027-01-05")["id"]
    assert api.fire(january, "request_feedback", subject="Plan").status_code == 200

    def listed(query: str) -> list[tuple[int, str]]:
        return [(d["engagement_id"], d["kind"]) for d in api.get(f"/v1/documents?{query}").json["items"]]

    assert listed("") == [(january, "feedback_request"), (january, "contract"), (december, "contract")]
    assert listed("kind=contract") == [(january, "contract"), (december, "contract")]
    assert listed(f"engagement={december}") == [(december, "contract")]
    assert listed("since=2027-01-05") == [(january, "feedback_request"), (january, "contract")]
    assert listed("until=2027-01-04") == [(december, "contract")]
    assert listed("since=2026-12-02&until=2027-01-04") == []
    [one] = api.get("/v1/documents?limit=1").json["items"]
    assert one == api.get(f"/v1/documents/{one['id']}").json  # the size too, without the bytes read
    backwards = api.get("/v1/documents?since=2027-01-05&until=2027-01-04")
    assert backwards.status_code == 422 and "until" in backwards.json["errors"]
    assert api.get("/v1/documents?kind=no_such_kind").status_code == 422


def test_documents_are_paged_with_the_same_cursor(api: Api) -> None:
    for n in range(3):
        api.create_engagement(client=_client(f"Client {n}"))
    first = api.get("/v1/documents?limit=2").json
    second = api.get(f"/v1/documents?limit=2&cursor={first['next_cursor']}").json
    ids = [d["id"] for d in first["items"] + second["items"]]
    assert ids == sorted(ids, reverse=True) and len(set(ids)) == 3 and second["next_cursor"] is None


def test_engagements_are_found_by_client_name_ignoring_case_and_accents(api: Api) -> None:
    ids = {
        name: api.create_engagement(client=_client(name))["id"]
        for name in ("Città Nuova S.r.l.", "Bottega Rossi", "CAFÉ DE L'ÉTÉ", "100% Organic")
    }

    def found(client: str) -> list[int]:
        return [e["id"] for e in api.get("/v1/engagements", query_string={"client": client}).json["items"]]

    assert found("citta") == [ids["Città Nuova S.r.l."]]
    assert found("CITTÀ NUOVA") == [ids["Città Nuova S.r.l."]]
    assert found("rossi") == [ids["Bottega Rossi"]]
    assert found("café de l'ete") == [ids["CAFÉ DE L'ÉTÉ"]]
    assert found("%") == [ids["100% Organic"]]  # a wildcard character is just a character
    assert found("_") == []
    assert found("nobody") == []


def test_engagements_that_need_action_are_listed_by_health(api: Api, clock: FakeClock) -> None:
    late = api.create_engagement(client=_client("Late Payer"))["id"]
    clock.advance(days=20)  # December's fee unpaid beyond the grace period: work pauses
    api.post("/v1/clock/tick")
    assert api.get(f"/v1/engagements/{late}").json["state"] == "paused"
    fine = api.create_engagement(client=_client("Good Payer"), start_date="2026-12-21")["id"]

    def found(query: str) -> list[int]:
        return [e["id"] for e in api.get(f"/v1/engagements?{query}").json["items"]]

    assert found("health=act") == [late]
    assert found("health=ok") == [fine]
    assert found("health=act&client=good") == []
    assert api.get("/v1/engagements?health=bad").status_code == 422
