"""API keys: several per account, named, expiring, revocable; the last one cannot be lost."""

from __future__ import annotations

from flask import Flask

from tests.conftest import Api, FakeClock


def _as(api: Api, key: str) -> Api:
    return Api(api.client, key, api.tenant_id)


def test_a_new_key_is_shown_once_and_works_beside_the_first(api: Api) -> None:
    created = api.post("/v1/tenant/keys", json={"name": "laptop"})
    assert created.status_code == 201, created.json
    secret = created.json["key"]
    assert created.json["prefix"] == secret[:12] and created.json["status"] == "active"
    assert _as(api, secret).get("/v1/tenant").json["id"] == api.tenant_id
    listed = api.get("/v1/tenant/keys").json
    assert [k["name"] for k in listed["items"]] == ["laptop", "first key"]
    assert listed["next_cursor"] is None
    assert secret not in str(listed) and "key" not in listed["items"][0]


def test_a_revoked_key_answers_401_on_its_next_request(api: Api) -> None:
    spare = api.post("/v1/tenant/keys", json={"name": "spare"}).json
    assert api.get("/v1/engagements").status_code == 200
    first_id = next(k["id"] for k in api.get("/v1/tenant/keys").json["items"] if k["name"] == "first key")
    assert api.client.delete(f"/v1/tenant/keys/{first_id}", headers=api.headers).status_code == 204
    assert api.get("/v1/engagements").status_code == 401
    listed = _as(api, spare["key"]).get("/v1/tenant/keys").json["items"]
    assert {k["name"]: k["status"] for k in listed} == {"spare": "active", "first key": "revoked"}


def test_the_last_working_key_cannot_be_deleted(api: Api, clock: FakeClock) -> None:
    [only] = api.get("/v1/tenant/keys").json["items"]
    refused = api.client.delete(f"/v1/tenant/keys/{only['id']}", headers=api.headers)
    assert refused.status_code == 409
    assert "last working key" in refused.json["detail"]
    # An expired key is no spare: the first one is still the last that works.
    expiring = api.post("/v1/tenant/keys", json={"name": "short", "expires_at": "2026-12-01T10:00:00Z"})
    assert expiring.status_code == 201
    clock.advance(hours=2)
    assert api.client.delete(f"/v1/tenant/keys/{only['id']}", headers=api.headers).status_code == 409
    assert api.get("/v1/tenant").status_code == 200


def test_an_expired_key_answers_401_and_an_expiry_in_the_past_is_refused(api: Api, clock: FakeClock) -> None:
    past = api.post("/v1/tenant/keys", json={"name": "old", "expires_at": "2026-11-30T09:00:00Z"})
    assert past.status_code == 422 and "expires_at" in past.json["errors"]
    key = api.post("/v1/tenant/keys", json={"name": "day", "expires_at": "2026-12-02T09:00:00Z"}).json["key"]
    assert _as(api, key).get("/v1/tenant").status_code == 200
    clock.advance(days=1)
    assert _as(api, key).get("/v1/tenant").status_code == 401
    statuses = {k["name"]: k["status"] for k in api.get("/v1/tenant/keys").json["items"]}
    assert statuses["day"] == "expired"


def test_last_used_is_kept_to_the_minute_with_one_write_a_minute(api: Api, clock: FakeClock) -> None:
    def last_used() -> str:
        return next(k for k in api.get("/v1/tenant/keys").json["items"])["last_used_at"]

    first = last_used()
    assert first == "2026-12-01T09:00:00+00:00"
    clock.advance(seconds=59)
    assert last_used() == first  # within the minute: not written again
    clock.advance(seconds=2)
    assert last_used() == "2026-12-01T09:01:01+00:00"


def test_keys_are_listed_a_page_at_a_time(api: Api) -> None:
    for n in range(3):
        api.post("/v1/tenant/keys", json={"name": f"key {n}"})
    first = api.get("/v1/tenant/keys?limit=2").json
    assert [k["name"] for k in first["items"]] == ["key 2", "key 1"]
    rest = api.get(f"/v1/tenant/keys?limit=2&cursor={first['next_cursor']}").json
    assert [k["name"] for k in rest["items"]] == ["key 0", "first key"]
    assert rest["next_cursor"] is None


def test_a_lost_first_key_is_recovered_through_the_cli(app: Flask) -> None:
    runner = app.test_cli_runner()
    created = runner.invoke(args=["tenants", "create", "Studio Verdi"])
    tenant_id = int(created.output.split("Created tenant ", 1)[1].split()[0])
    # The key is lost: nothing of it is kept. The operator finds the tenant and issues another.
    listing = runner.invoke(args=["tenants", "list"]).output.splitlines()
    row = next(line for line in listing if line.endswith("Studio Verdi"))
    assert row.split()[:3] == [str(tenant_id), "no", "0"]
    issued = runner.invoke(args=["keys", "create", "--tenant", str(tenant_id), "--name", "recovered"])
    assert issued.exit_code == 0, issued.output
    key = issued.output.strip().splitlines()[-1]
    me = app.test_client().get("/v1/tenant", headers={"Authorization": f"Bearer {key}"})
    assert (me.status_code, me.json["name"]) == (200, "Studio Verdi")
    # And the lost key can be revoked by the operator, now that another works.
    keys = app.test_client().get("/v1/tenant/keys", headers={"Authorization": f"Bearer {key}"}).json
    lost = next(k for k in keys["items"] if k["name"] == "first key")
    revoked = runner.invoke(args=["keys", "revoke", str(lost["id"])])
    assert revoked.exit_code == 0 and "is revoked" in revoked.output
    recovered = next(k for k in keys["items"] if k["name"] == "recovered")
    last = runner.invoke(args=["keys", "revoke", str(recovered["id"])])
    assert last.exit_code != 0 and "last working key" in last.output


def test_keys_create_for_an_unknown_tenant_says_where_to_look(app: Flask) -> None:
    result = app.test_cli_runner().invoke(args=["keys", "create", "--tenant", "999"])
    assert result.exit_code != 0 and "tenants list" in result.output


def test_every_start_says_how_to_get_a_key_for_the_existing_tenant(app: Flask) -> None:
    runner = app.test_cli_runner()
    first = runner.invoke(args=["bootstrap"]).output
    tenant_id = int(first.split("sandbox tenant ", 1)[1].split()[0])
    again = runner.invoke(args=["bootstrap"]).output
    assert f"flask --app service keys create --tenant {tenant_id}" in again
    assert first.strip().splitlines()[-1] not in again
