"""The service's long-running processes (``PROCESSES``) and the command each runs: what the
supervisor (``service/supervisor.py``) starts, watches and starts again."""

from __future__ import annotations

import os
import shutil
import socket
import sys
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from service.config import ROOT
from service.documents.office import SERVER_TIMEOUT as OFFICE_TIMEOUT

BIN = Path(sys.executable).parent
GUNICORN_CONFIG = ROOT / "gunicorn.conf.py"
STATE_DIR = Path(os.environ.get("VAR_DIR", ROOT / "var"))  # the pid file and the first key
OFFICE_NICENESS = 10
# The warm LibreOffice: unoserver in its own venv (the Makefile's .venv-office, on the system
# Python that has LibreOffice's `uno`). Absent, the converter converts with a cold soffice.
UNOSERVER = Path(os.environ.get("UNOSERVER", ROOT / ".venv-office" / "bin" / "unoserver"))


@dataclass(frozen=True)
class Ports:
    web: int
    office: int  # the warm LibreOffice's XML-RPC port (unoserver)
    uno: int  # LibreOffice's own UNO socket, which unoserver drives

    @classmethod
    def around(cls, web: int) -> Ports:
        """The web port as asked; the office's two chosen free by the system, so that several
        services (tests, other checkouts) on one host never share a LibreOffice."""
        return cls(web, _free_port(), _free_port())


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _web(ports: Ports) -> list[str]:
    # gunicorn's control socket (for gunicornc) defaults to one path per user, which every other
    # gunicorn of that user takes over: beside this service's pid file, gunicornc reaches this one.
    control = STATE_DIR / "gunicorn.ctl"
    command = [str(BIN / "gunicorn"), "--bind", f"127.0.0.1:{ports.web}", "--control-socket", str(control)]
    if GUNICORN_CONFIG.exists():
        command += ["--config", str(GUNICORN_CONFIG)]
    else:
        command += ["--workers", "2"]
    # No access log unless asked for (GUNICORN_CMD_ARGS): the service logs each request as JSON.
    return [*command, "service:create_app()"]


def _flask(*arguments: str) -> Callable[[Ports], list[str]]:
    return lambda _ports: [str(BIN / "flask"), "--app", "service", *arguments]


def office_command(port: int, uno_port: int, profile: Path) -> list[str]:
    """The warm LibreOffice, niced: conversions are background work, and a request worker must
    win the CPU from them."""
    return [
        "nice", "-n", str(OFFICE_NICENESS), str(UNOSERVER),
        "--interface", "127.0.0.1", "--port", str(port), "--uno-port", str(uno_port),
        "--user-installation", str(profile.resolve()),
        "--conversion-timeout", str(OFFICE_TIMEOUT),
    ]  # fmt: skip


def _office(ports: Ports) -> list[str]:
    # A fresh profile per start: one LibreOffice per profile, and a killed one may leave its lock.
    for stale in STATE_DIR.glob("office-profile-*"):
        shutil.rmtree(stale, ignore_errors=True)
    return office_command(
        ports.office, ports.uno, Path(tempfile.mkdtemp(prefix="office-profile-", dir=STATE_DIR))
    )


def _converter(ports: Ports) -> list[str]:
    office = ["--office", f"127.0.0.1:{ports.office}"] if has_office() else []
    # Woken by each queued job (adapters/job_wake.py); the interval is only the safety net.
    return _flask("convert", "--every", "5", *office)(ports)


def has_office() -> bool:
    return UNOSERVER.exists() and shutil.which("soffice") is not None


@dataclass(frozen=True)
class Process:
    name: str
    command: Callable[[Ports], list[str]]  # given the ports to serve on
    helper: bool = False  # started once the web answers, in a process group of its own
    needed: Callable[[], bool] = lambda: True  # False: not started on this host
    binds_port: bool = False  # it cannot start while another process holds the web port


# Every long-running process of the service; a new one (e.g. a dispatcher) is one more line.
PROCESSES = (
    Process("web", _web, binds_port=True),
    Process("clock", _flask("tick", "--every", "60")),
    Process("dispatcher", _flask("deliver", "--every", "2")),  # webhooks and approved e-mails
    Process("office", _office, helper=True, needed=has_office),  # the warm LibreOffice
    Process("converter", _converter),  # makes the PDFs requests ask for, through the office
)
