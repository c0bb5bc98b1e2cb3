"""The warm LibreOffice for real: unoserver from .venv-office (`make test` builds it), a PDF made
through the API's flow and read back with pdftotext; and the cold fallback when it is away."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from service.application.pdfs import convert_next
from service.application.runtime import Runtime
from service.documents.office import OfficeConverter
from service.domain.pdfs import ConversionFailed
from service.processes import UNOSERVER, office_command
from tests.conftest import Api
from tests.processes import free_port, poll


def _text(pdf: bytes, tmp_path: Path) -> str:
    path = tmp_path / "out.pdf"
    path.write_bytes(pdf)
    return subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout


# Session-wide: the suite runs each backend's tests in turn, so a module-wide office was started
# three times here (~5 s each); it is stateless between conversions.
@pytest.fixture(scope="session")
def office(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    if not UNOSERVER.exists():
        pytest.fail(f"{UNOSERVER} is missing: `make .venv-office/bin/unoserver` (needs python3-uno)")
    port, uno_port = free_port(), free_port()
    profile = tmp_path_factory.mktemp("office-profile")
    process = subprocess.Popen(
        office_command(port, uno_port, profile),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        process_group=0,
    )

    def listening() -> bool:
        assert process.poll() is None, "unoserver exited"
        with socket.socket() as probe:
            return probe.connect_ex(("127.0.0.1", port)) == 0

    try:
        poll(listening)
        yield f"127.0.0.1:{port}"
    finally:
        os.killpg(process.pid, signal.SIGKILL)  # LibreOffice and all: nothing of ours in it
        process.wait(timeout=30)


def test_the_warm_office_makes_the_pdf_the_api_then_serves(
    api: Api, runtime: Runtime, office: str, tmp_path: Path
) -> None:
    engagement = api.create_engagement()
    [contract] = api.get(f"/v1/engagements/{engagement['id']}/documents").json
    assert api.get(f"/v1/documents/{contract['id']}/content?format=pdf").status_code == 202
    converter = OfficeConverter(office)
    done = convert_next(runtime, converter)
    assert done is not None and done.status == "ready", done
    assert (converter.warm_count, converter.cold_count) == (1, 0)
    pdf = api.get(f"/v1/documents/{contract['id']}/content?format=pdf")
    assert pdf.status_code == 200 and pdf.data.startswith(b"%PDF")
    assert "Bottega Rossi S.r.l." in _text(pdf.data, tmp_path)


def test_garbage_is_a_conversion_failure_from_the_warm_office(office: str) -> None:
    with pytest.raises(ConversionFailed):
        OfficeConverter(office).convert(b"PK\x03\x04 not really a word file")


def test_with_no_office_listening_it_converts_cold(api: Api, runtime: Runtime, tmp_path: Path) -> None:
    engagement = api.create_engagement()
    [contract] = api.get(f"/v1/engagements/{engagement['id']}/documents").json
    api.get(f"/v1/documents/{contract['id']}/content?format=pdf")
    converter = OfficeConverter(f"127.0.0.1:{free_port()}")  # nothing there
    done = convert_next(runtime, converter)
    assert done is not None and done.status == "ready", done
    assert (converter.warm_count, converter.cold_count) == (0, 1)
    pdf = api.get(f"/v1/documents/{contract['id']}/content?format=pdf").data
    assert "Bottega Rossi S.r.l." in _text(pdf, tmp_path)
