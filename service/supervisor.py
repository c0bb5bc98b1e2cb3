"""`flask --app service serve` (what `make run` execs): one process that owns the service.

After the schema is brought up to date and the first start's tenant created (service.cli), it
runs each process of ``PROCESSES`` as its child and forwards SIGTERM/SIGINT to all of them. A child
that dies is started again, after a delay that doubles with each quick death (``RESTART_DELAY`` up
to ``MAX_RESTART_DELAY``): one tenant's data that crashes the dispatcher must not stop the API of
every tenant. The service stops whole (non-zero, the reason logged) only when it cannot run: the
database does not answer, or the web port is taken, for ``UNUSABLE_LIMIT`` while a child waits to
start again; a supervisor above it (systemd, a container runtime, ``timeout``) then sees one
process that stops whole, and why.
"""

from __future__ import annotations

import contextlib
import ctypes
import logging
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable
from pathlib import Path
from types import FrameType

from service.application.tenants import how_to_set_sender
from service.processes import PROCESSES, STATE_DIR, Ports, Process

logger = logging.getLogger(__name__)
PID_FILE = STATE_DIR / "service.pid"
FIRST_KEY_FILE = STATE_DIR / "first-api-key.txt"
STOP_TIMEOUT = 9.0  # seconds the children get to finish before they are killed
POLL = 0.1
RESTART_DELAY = 1.0  # a dead child is started again after this, doubled after each quick death
MAX_RESTART_DELAY = 30.0
STEADY = 60.0  # seconds a child must have run for its next death to count as a first one
UNUSABLE_LIMIT = 15.0  # seconds the database or the port may fail before the service stops
PR_SET_PDEATHSIG = 1  # prctl(2): the signal the kernel sends a process when its parent dies


class Supervisor:
    def __init__(
        self, processes: tuple[Process, ...], port: int, cannot_run: Callable[[], str | None] = lambda: None
    ) -> None:
        self.processes = tuple(process for process in processes if process.needed())
        self.ports = Ports.around(port)
        self.port = port
        self.cannot_run = cannot_run  # why the service cannot run now (its database), or None
        self.children: dict[str, subprocess.Popen[bytes]] = {}
        self.started_at: dict[str, float] = {}
        self.restart_at: dict[str, float] = {}  # dead children and when they may start again
        self.delay: dict[str, float] = {}
        self.unusable_since: float | None = None
        self.stopping: int | None = None  # the signal that asked us to stop
        self.unrunnable: str | None = None  # why the service stopped itself

    def start(self) -> None:
        """The essential processes; the helpers wait for ``start_helpers``."""
        for sig in (signal.SIGTERM, signal.SIGINT):
            signal.signal(sig, self._forward)
        for process in self.processes:
            if not process.helper:
                self._spawn(process)

    def start_helpers(self) -> None:
        """The helpers (the office), once the web answers: LibreOffice's start-up is heavy and
        need not compete with the workers'."""
        for process in self.processes:
            if process.helper and process.name not in self.children:
                self._spawn(process)

    def _spawn(self, process: Process) -> None:
        self.started_at[process.name] = time.monotonic()
        ending = _ends_with(os.getpid())
        if not process.helper:
            self.children[process.name] = subprocess.Popen(process.command(self.ports), preexec_fn=ending)
        else:
            # A process group of its own, so that what it started (the office's soffice) ends
            # with it and does not outlive it holding its ports; its chatter goes to a file.
            with (STATE_DIR / f"{process.name}.log").open("ab") as log:
                self.children[process.name] = subprocess.Popen(
                    process.command(self.ports),
                    process_group=0,
                    stdout=log,
                    stderr=subprocess.STDOUT,
                    preexec_fn=ending,
                )
        logger.info("started %s (pid %s)", process.name, self.children[process.name].pid)

    def restart_dead(self) -> None:
        """Start again each child that has died, once its delay is over and the service can
        run; sets ``unrunnable`` when it has not been able to for UNUSABLE_LIMIT."""
        now = time.monotonic()
        for process in self.processes:
            child = self.children.get(process.name)
            if child is None or child.poll() is None:
                continue
            name = process.name
            if name not in self.restart_at:
                quick = now - self.started_at[name] < STEADY
                delay = (
                    min(self.delay.get(name, RESTART_DELAY / 2) * 2, MAX_RESTART_DELAY)
                    if quick
                    else RESTART_DELAY
                )
                self.delay[name], self.restart_at[name] = delay, now + delay
                logger.warning(
                    "%s exited with status %s; starting it again in %gs", name, child.returncode, delay
                )
            if now < self.restart_at[name]:
                continue
            problem = self.cannot_run() or (_port_taken(self.port) if process.binds_port else None)
            if problem is not None:
                self.unusable_since = self.unusable_since or now
                if now - self.unusable_since >= UNUSABLE_LIMIT:
                    self.unrunnable = problem
                continue
            self.unusable_since = None
            del self.restart_at[name]
            if process.helper:
                _kill_group(child)
            self._spawn(process)

    def _forward(self, sig: int, _frame: FrameType | None) -> None:
        self.stopping = sig
        self._signal_all(sig)

    def _signal_all(self, sig: int) -> None:
        for process in self.processes:
            child = self.children.get(process.name)
            if child is None:
                continue
            if process.helper:
                _kill_group(child)  # holds nothing of ours: a job it had goes back when its lease ends
            elif child.poll() is None:
                child.send_signal(sig)

    def running(self) -> bool:
        """Not asked to stop, and able to run; restarts the dead meanwhile."""
        if self.stopping is None and self.unrunnable is None:
            self.restart_dead()
        return self.stopping is None and self.unrunnable is None

    def wait(self) -> int:
        """Run until asked to stop or unable to run; then stop every child. The exit status."""
        while self.running():
            time.sleep(POLL)
        status = 0
        if self.unrunnable is not None:
            logger.error("the service cannot run: %s; stopping it", self.unrunnable)
            status = 1
            self._signal_all(signal.SIGTERM)
        self._reap()
        return status

    def _reap(self) -> None:
        deadline = time.monotonic() + STOP_TIMEOUT
        while any(c.poll() is None for c in self.children.values()) and time.monotonic() < deadline:
            time.sleep(POLL)
        for name, child in self.children.items():
            if child.poll() is None:
                logger.error("%s did not stop within %ss; killing it", name, STOP_TIMEOUT)
                child.kill()
                child.wait()
        for process in self.processes:
            if process.helper and process.name in self.children:
                _kill_group(self.children[process.name])

    def serving(self) -> bool:
        """True once a worker answers (False if the service cannot run: the loop then says why)."""
        while self.running():
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{self.port}/healthz", timeout=2):
                    return True
            except OSError:
                time.sleep(POLL)
        return False


def supervise(
    port: int,
    first_key: str | None,
    say: Callable[[str], None],
    cannot_run: Callable[[], str | None],
    processes: tuple[Process, ...] = PROCESSES,
    after_key: tuple[str, ...] = (),
) -> int:
    """Run the processes until told to stop or the service cannot run (``cannot_run``: why the
    database does not answer, or None); the first start's key is printed once the server
    answers, after its own start-up lines, followed only by ``after_key`` (the desk's sign-in
    link)."""
    key = first_key
    STATE_DIR.mkdir(exist_ok=True)
    if key is not None:
        _write_private(FIRST_KEY_FILE, key + "\n")
    supervisor = Supervisor(processes, port, cannot_run)
    PID_FILE.write_text(f"{os.getpid()}\n")
    try:
        supervisor.start()
        serving = supervisor.serving()
        supervisor.start_helpers()
        if serving:
            say(f"Serving on http://127.0.0.1:{port} (pid {os.getpid()}; Ctrl-C or `make stop` stops it).")
            if key is not None:
                # One write, so that no child's log line lands between these and the key.
                lines = how_to_set_sender(f"http://127.0.0.1:{port}", f"$(cat {FIRST_KEY_FILE})")
                lines.append(f"Your API key, also saved in {FIRST_KEY_FILE} (owner-only): shown only now.")
                say("\n".join([*lines, key, *after_key]))
        elif key is not None:
            say(f"The first API key is saved in {FIRST_KEY_FILE} (owner-only).")
        return supervisor.wait()
    finally:
        PID_FILE.unlink(missing_ok=True)


def _write_private(path: Path, text: str) -> None:
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    os.fchmod(descriptor, 0o600)  # also when the file was there already
    with os.fdopen(descriptor, "w") as file:
        file.write(text)


def _ends_with(supervisor: int) -> Callable[[], None] | None:
    """What a child runs before its command, on Linux: the kernel sends it SIGTERM should the
    supervisor die without stopping it (SIGKILL, a crash), so that nothing of the service
    (gunicorn on its port, the office, which passes the signal on to LibreOffice) outlives it."""
    if not sys.platform.startswith("linux"):
        return None
    prctl = ctypes.CDLL(None, use_errno=True).prctl

    def end_with_supervisor() -> None:
        prctl(PR_SET_PDEATHSIG, signal.SIGTERM)
        if os.getppid() != supervisor:  # it died before the request took hold
            os.kill(os.getpid(), signal.SIGTERM)

    return end_with_supervisor


def _port_taken(port: int) -> str | None:
    """Why the web cannot listen on ``port`` (another process holds it), or None."""
    with socket.socket() as probe:
        # As gunicorn binds: SO_REUSEADDR, so the port's closed connections in TIME_WAIT do not count.
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind(("127.0.0.1", port))
        except OSError as exc:
            return f"port {port} is taken by another process ({exc.strerror})"
    return None


def _kill_group(child: subprocess.Popen[bytes]) -> None:
    """End whatever is left of a dead restartable child's own process group."""
    with contextlib.suppress(ProcessLookupError, PermissionError):  # nothing left
        os.killpg(child.pid, signal.SIGKILL)
