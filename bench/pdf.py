"""PDF figures: a warm conversion against a cold soffice, and GET latency while PDFs are made.

1. The same contract .docx converted by the warm LibreOffice (unoserver, started with the
   supervisor's command, niced, through ``OfficeConverter``) and by a cold ``soffice
   --convert-to pdf`` with a fresh profile (``pdf.convert_to_pdf``, what every request paid
   before, not niced), rounds alternating.
2. The service under gunicorn (SQLite) with its converter process and the warm office: four
   clients each ask for the PDF of a document never converted (202), poll its Location until
   the 303, and start again with the next document, so four PDFs are always in flight; one more
   client reads ``GET /v1/engagements/{id}`` in a loop. Its p99 is compared with the same loop
   on the same server with no PDF asked for, in the same run.
"""

from __future__ import annotations

import http.client
import os
import signal
import socket
import statistics
import subprocess
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import text

from bench.common import ROOT, Seeded, database, seed, timed
from bench.http_load import gunicorn
from service import create_app
from service.adapters.database import close_connections
from service.adapters.orm import documents as documents_table
from service.documents.office import OfficeConverter
from service.documents.pdf import convert_to_pdf
from service.processes import UNOSERVER, office_command

PDF_CLIENTS = 4
DOCUMENTS = 400  # more than the loaded window can convert: every PDF asked for is a new one
POLL_SECONDS = 0.25  # tougher on the web workers than the Retry-After of 1 s the service gives


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextmanager
def office() -> Iterator[str]:
    """The warm LibreOffice, as the supervisor starts it; its XML-RPC address."""
    if not UNOSERVER.exists():
        raise RuntimeError(f"{UNOSERVER} is missing: make .venv-office/bin/unoserver")
    port, uno_port = _free_port(), _free_port()
    with tempfile.TemporaryDirectory(prefix="bench-office-") as profile:
        command = office_command(port, uno_port, Path(profile))
        process = subprocess.Popen(
            command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, process_group=0
        )
        try:
            deadline = time.monotonic() + 60
            while socket.socket().connect_ex(("127.0.0.1", port)) != 0:
                if time.monotonic() > deadline or process.poll() is not None:
                    raise RuntimeError("unoserver did not start")
                time.sleep(0.2)
            yield f"127.0.0.1:{port}"
        finally:
            os.killpg(process.pid, signal.SIGKILL)  # LibreOffice and all, as the supervisor stops it
            process.wait(timeout=20)


def _a_contract(seeded: Seeded) -> tuple[bytes, int]:
    """The seeded engagement's contract, and its document id."""
    app = create_app({"DATABASE_URL": seeded.url, "TESTING": True})
    with app.extensions["sql_engine"].connect() as connection:
        row = connection.execute(text("SELECT id, content FROM documents ORDER BY id LIMIT 1")).one()
    close_connections(app)
    return bytes(row.content), int(row.id)


def warm_and_cold(address: str, docx: bytes, rounds: int = 3) -> tuple[float, float]:
    """(warm, cold) median seconds per conversion of the same .docx."""
    converter = OfficeConverter(address)
    converter.convert(docx)  # the office's first document loads the filters: not counted
    warm: list[float] = []
    cold: list[float] = []
    for _ in range(rounds):
        warm += [timed(lambda: converter.convert(docx)) for _ in range(2)]
        cold.append(timed(lambda: convert_to_pdf(docx)))
    assert converter.cold_count == 0, "the warm office did not answer"
    return statistics.median(warm), statistics.median(cold)


def _copy_documents(url: str, first: int, count: int) -> list[int]:
    app = create_app({"DATABASE_URL": url, "TESTING": True})
    engine = app.extensions["sql_engine"]
    with engine.begin() as connection:
        columns = [column.name for column in documents_table.c if column.name != "id"]
        listed = ", ".join(columns)
        for _ in range(count):
            connection.execute(
                text(f"INSERT INTO documents ({listed}) SELECT {listed} FROM documents WHERE id = :id"),
                {"id": first},
            )
        ids = [
            row[0]
            for row in connection.execute(text("SELECT id FROM documents WHERE id > :id"), {"id": first})
        ]
    close_connections(app)
    return ids


class _Reader(threading.Thread):
    """GET /v1/engagements/{id} in a loop until stopped; each latency in seconds."""

    def __init__(self, port: int, seeded: Seeded, engagement: int) -> None:
        super().__init__(daemon=True)
        self.port, self.headers, self.path = port, seeded.headers, f"/v1/engagements/{engagement}"
        self.latencies: list[float] = []
        self.stop = threading.Event()

    def run(self) -> None:
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        while not self.stop.is_set():
            started = time.perf_counter()
            connection.request("GET", self.path, headers=self.headers)
            answer = connection.getresponse()
            answer.read()
            self.latencies.append(time.perf_counter() - started)
            assert answer.status == 200, answer.status


class _PdfClient(threading.Thread):
    """Asks for one new document's PDF after another, polling each until it is made."""

    def __init__(self, port: int, seeded: Seeded, documents: Iterator[int], lock: threading.Lock) -> None:
        super().__init__(daemon=True)
        self.port, self.headers, self.documents, self.lock = port, seeded.headers, documents, lock
        self.made = 0
        self.stop = threading.Event()

    def run(self) -> None:
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        while not self.stop.is_set():
            with self.lock:
                document = next(self.documents)
            path = f"/v1/documents/{document}/content?format=pdf"
            while not self.stop.is_set():
                connection.request("GET", path, headers=self.headers)
                answer = connection.getresponse()
                body = answer.read()
                if answer.status == 200:
                    assert body.startswith(b"%PDF")
                    self.made += 1
                    break
                assert answer.status in (202, 303), (answer.status, body[:200])
                path = answer.getheader("Location") or path
                if answer.status == 202:
                    self.stop.wait(POLL_SECONDS)


def _p99_ms(latencies: list[float]) -> float:
    ordered = sorted(latencies)
    return ordered[min(len(ordered) - 1, int(0.99 * len(ordered)))] * 1000


@contextmanager
def converter_process(url: str, address: str, every: str) -> Iterator[None]:
    """The service's converter process (`flask convert`) on ``url`` with the warm office at
    ``address``, polling every ``every`` seconds at most; stopped on the way out."""
    converter = subprocess.Popen(
        [str(ROOT / ".venv" / "bin" / "flask"), "--app", "service", "convert", "--every", every,
         "--office", address],
        cwd=ROOT, env={**os.environ, "DATABASE_URL": url},
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        yield
    finally:
        converter.send_signal(signal.SIGTERM)
        converter.wait(timeout=30)


def get_while_converting(address: str, seconds: float = 12) -> dict[str, float]:
    """p99 of GET /v1/engagements/{id}: alone, then with four PDFs always in flight."""
    with database("sqlite") as url:
        seeded = seed(url, 50)
        _, first_document = _a_contract(seeded)
        documents = iter(_copy_documents(url, first_document, DOCUMENTS))
        with converter_process(url, address, "0.2"), gunicorn("service:create_app()", url) as port:
            warm_up = _Reader(port, seeded, seeded.ready[0])  # both workers' first requests
            warm_up.start()
            time.sleep(2)
            warm_up.stop.set()
            warm_up.join()
            alone = _Reader(port, seeded, seeded.ready[0])
            alone.start()
            time.sleep(seconds / 3)
            alone.stop.set()
            alone.join()
            lock = threading.Lock()
            clients = [_PdfClient(port, seeded, documents, lock) for _ in range(PDF_CLIENTS)]
            for client in clients:
                client.start()
            time.sleep(1)  # every client has its first PDF in flight
            loaded = _Reader(port, seeded, seeded.ready[1])
            loaded.start()
            time.sleep(seconds)
            loaded.stop.set()
            loaded.join()
            for client in clients:
                client.stop.set()
            for client in clients:
                client.join(timeout=60)
    return {
        "loaded_p99_ms": _p99_ms(loaded.latencies),
        "loaded_median_ms": statistics.median(loaded.latencies) * 1000,
        "alone_p99_ms": _p99_ms(alone.latencies),
        "alone_median_ms": statistics.median(alone.latencies) * 1000,
        "pdfs_made": float(sum(client.made for client in clients)),
        "seconds": seconds,
    }


def figures() -> tuple[tuple[float, float], dict[str, float]]:
    """((warm, cold) seconds, the GET latencies under PDF load); one office for both."""
    with office() as address, database("sqlite") as url:
        docx, _ = _a_contract(seed(url, 1))
        conversions = warm_and_cold(address, docx)
        latency = get_while_converting(address)
    return conversions, latency


if __name__ == "__main__":
    print(figures())
