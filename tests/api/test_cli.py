"""The command line: tenants create prints a key that works, as its last line."""

from __future__ import annotations

from flask import Flask


def test_tenants_create_prints_a_working_key_last(app: Flask) -> None:
    result = app.test_cli_runner().invoke(
        args=["tenants", "create", "Studio Verdi", "--sandbox", "--language", "it"]
    )
    assert result.exit_code == 0, result.output
    key = result.output.strip().splitlines()[-1]
    me = app.test_client().get("/v1/tenant", headers={"Authorization": f"Bearer {key}"})
    assert me.status_code == 200
    assert (me.json["name"], me.json["sandbox"], me.json["language"]) == ("Studio Verdi", True, "it")


def test_bootstrap_creates_a_key_only_on_first_start(app: Flask) -> None:
    runner = app.test_cli_runner()
    first = runner.invoke(args=["bootstrap"])
    key = first.output.strip().splitlines()[-1]
    assert app.test_client().get("/v1/tenant", headers={"Authorization": f"Bearer {key}"}).status_code == 200
    second = runner.invoke(args=["bootstrap"])
    assert "keys create --tenant" in second.output
    assert key not in second.output


def test_api_keys_are_stored_only_as_hashes(app: Flask) -> None:
    from sqlalchemy import text

    key = app.test_cli_runner().invoke(args=["tenants", "create", "X"]).output.strip().splitlines()[-1]
    with app.extensions["sql_engine"].connect() as connection:
        stored = [tuple(row) for row in connection.execute(text("SELECT prefix, key_hash FROM api_keys"))]
    assert all(key not in value for row in stored for value in row)


def test_a_tenant_name_with_a_line_break_or_a_bidi_control_is_refused(app: Flask) -> None:
    """The name is the From header's display name (issue 31): the CLI checks it as the API does."""
    runner = app.test_cli_runner()
    for name in ("Studio\r\nBcc: x@example.com", "Studio\nVerdi", "Studio\u202eidreV"):
        result = runner.invoke(args=["tenants", "create", name])
        assert result.exit_code == 2 and "one line of visible text" in result.output
    assert "Studio" not in runner.invoke(args=["tenants", "list"]).output
