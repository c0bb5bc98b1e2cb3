"""An integrator's first hour (issue 37): the README's two commands generate a Python client from the
committed openapi.yaml with openapi-python-client (the pinned dev dependency) and call the API; the
client then drives a whole story over real HTTP on loopback.

The server is werkzeug's, in a thread, serving the test's own app: real sockets and HTTP, with the
test's pinned clock and on both backends (a gunicorn subprocess would run on the wall clock).
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from importlib import import_module
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import ROOT, Api, engagement_body, openapi_operations

PACKAGE = "engagement_service_client"
CONFIG = "openapi-python-client.yaml"
BIN = Path(sys.executable).parent  # openapi-python-client, the ruff of its post-hooks, python
# Proxies that lead nowhere: were the generator to fetch anything, it would fail.
NO_NETWORK = {key: "http://127.0.0.1:9" for key in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY")}


def integrate_section() -> str:
    return (ROOT / "README.md").read_text().split("\n## Integrate\n", 1)[1].split("\n## ", 1)[0]


def integrate_commands() -> list[str]:
    """The README's commands under "Integrate", as a reader copies them."""
    block = re.search(r"^```sh\n(.*?)^```", integrate_section(), re.S | re.M)
    assert block, "README.md: the Integrate section has lost its commands"
    return [line for line in block.group(1).splitlines() if line.strip()]


@dataclass(frozen=True)
class Generated:
    folder: Path
    output: str


def generate(folder: Path, *, with_config: bool = True) -> Generated:
    """Run the README's generate command in ``folder``, beside copies of the two files it names."""
    shutil.copy(ROOT / "openapi.yaml", folder)
    shutil.copy(ROOT / CONFIG, folder)
    command = integrate_commands()[0]
    assert command.startswith("openapi-python-client generate") and f"--config {CONFIG}" in command
    if not with_config:
        command = command.replace(f" --config {CONFIG}", "")
    done = subprocess.run(
        ["bash", "-c", command],
        cwd=folder,
        env={**os.environ, "PATH": f"{BIN}:{os.environ['PATH']}", "NO_PROXY": "", **NO_NETWORK},
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    return Generated(folder, done.stdout + done.stderr)


def generated_operations(generated: Generated) -> int:
    return len([p for p in (generated.folder / PACKAGE / "api").glob("*/*.py") if p.name != "__init__.py"])


@pytest.fixture(scope="session")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Generated]:
    made = generate(tmp_path_factory.mktemp("client"))
    sys.path.insert(0, str(made.folder))
    try:
        yield made
    finally:
        sys.path.remove(str(made.folder))


def operation(name: str) -> Any:
    return import_module(f"{PACKAGE}.api.{name}")


def test_every_operation_is_generated_with_no_warning(generated: Generated) -> None:
    assert "warning" not in generated.output.lower(), generated.output
    assert generated_operations(generated) == len(openapi_operations())


def test_the_readme_installs_the_generator_version_the_tests_pin() -> None:
    [pinned] = re.findall(r'"(openapi-python-client==[0-9.]+)"', (ROOT / "pyproject.toml").read_text())
    assert re.findall(r"openapi-python-client==[0-9.]+", integrate_section()) == [pinned]


def test_a_generator_at_its_defaults_skips_no_operation(tmp_path: Path) -> None:
    """Without our config, binary answers are left out (the README says how to fetch them), but
    no operation is: the PEC receipt upload is generated from its multipart/form-data body."""
    plain = generate(tmp_path, with_config=False)
    assert "will not be generated" not in plain.output, plain.output
    assert generated_operations(plain) == len(openapi_operations())
    receipts = (
        tmp_path / PACKAGE / "api" / "messages" / "post_v1_messages_message_id_receipts.py"
    ).read_text()
    assert '_kwargs["files"] = body.to_multipart()' in receipts


def test_the_generated_client_drives_a_story_over_http(generated: Generated, live_url: str, api: Api) -> None:
    models = import_module(f"{PACKAGE}.models")
    client = import_module(PACKAGE).AuthenticatedClient(
        base_url=live_url, token=api.key, raise_on_unexpected_status=True
    )

    created = operation("engagements.post_v1_engagements").sync_detailed(
        client=client, body=models.EngagementCreate.from_dict(engagement_body())
    )
    assert created.status_code == 201 and created.headers["Location"].endswith(f"/{created.parsed.id}")
    engagement_id = created.parsed.id
    assert created.parsed.state == "active"

    possible = operation("transitions.get_v1_engagements_engagement_id_transitions").sync(
        engagement_id, client=client
    )
    statuses = {status.trigger: status for status in possible.transitions}
    assert statuses["request_feedback"].allowed
    assert [field.name for field in statuses["request_feedback"].needs] == ["subject"]

    fire = operation("transitions.post_v1_engagements_engagement_id_transitions").sync
    asked = fire(
        engagement_id,
        client=client,
        body=models.TransitionRequest.from_dict(
            {"trigger": "request_feedback", "data": {"subject": "Piano editoriale di gennaio"}}
        ),
    )
    assert asked.engagement.state == "awaiting_feedback"
    assert [document.kind.value for document in asked.documents] == ["feedback_request"]
    answered = fire(engagement_id, client=client, body=models.TransitionRequest(trigger="receive_feedback"))
    assert answered.engagement.state == "active"

    documents = operation("documents.get_v1_engagements_engagement_id_documents").sync(
        engagement_id, client=client
    )
    assert [d.kind.value for d in documents] == ["contract", "feedback_request"]
    contract = documents[0]
    downloaded = operation("documents.get_v1_documents_document_id_content").sync(contract.id, client=client)
    data = downloaded.payload.read()
    assert data.startswith(b"PK") and hashlib.sha256(data).hexdigest() == contract.sha256

    record = operation("engagements.get_v1_engagements_engagement_id_events").sync(
        engagement_id, client=client
    )
    verified = operation("engagements.get_v1_engagements_engagement_id_events_verify").sync(
        engagement_id, client=client
    )
    assert verified.valid is True
    assert (verified.count, verified.head) == (len(record), record[-1].hash_)
    assert [entry.type_.value for entry in record][-1] == "transition"


def test_the_readme_call_command_answers(generated: Generated, live_url: str, api: Api) -> None:
    api.create_engagement()
    (generated.folder / "var").mkdir(exist_ok=True)
    (generated.folder / "var" / "first-api-key.txt").write_text(api.key)
    done = subprocess.run(
        ["bash", "-c", integrate_commands()[1]],
        cwd=generated.folder,
        env={**os.environ, "PATH": f"{BIN}:{os.environ['PATH']}", "PORT": live_url.rpartition(":")[2]},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("EngagementPage(") and "Bottega Rossi S.r.l." in done.stdout
