"""`make run` is one supervisor process: it serves, prints the first key last, stops whole on
SIGTERM, starts a process that dies again, and stops whole (non-zero, saying why) only when the
service cannot run.

Real processes: make, the supervisor, gunicorn and its workers, the clock, in a session of
their own so that the test can tell whether any of them is left.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import socket
import stat
import subprocess
import threading
import urllib.request
from pathlib import Path

import psycopg

from service.supervisor import UNUSABLE_LIMIT
from tests.conftest import POSTGRES_URL, ROOT, engagement_body, throwaway_postgresql
from tests.processes import free_port, poll

STOP_WITHIN = 10  # seconds, as the issue promises


class Running:
    """A command in its own session, its merged output collected line by line."""

    def __init__(self, command: list[str], tmp_path: Path, port: int, **more_env: str) -> None:
        env = {
            **os.environ,
            "DATABASE_URL": f"sqlite:///{tmp_path / 'service.sqlite3'}",
            "VAR_DIR": str(tmp_path),
            "PORT": str(port),
            **more_env,
        }
        self.process = subprocess.Popen(
            command, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
            start_new_session=True,
        )  # fmt: skip
        self.lines: list[str] = []
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self.lines.append(line.rstrip("\n"))

    def wait_for(self, text: str) -> None:
        poll(lambda: any(text in line for line in self.lines) or self.process.poll() is not None)
        assert any(text in line for line in self.lines), "\n".join(self.lines)

    def group_is_gone(self) -> bool:
        try:
            os.killpg(self.process.pid, 0)
        except ProcessLookupError:
            return True
        return False

    def left(self) -> dict[int, str]:
        """Every live process of the session (the office's own process group included)."""
        return session_processes(self.process.pid)

    def kill_leftovers(self) -> None:
        for pid in self.left():
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
        self.process.wait(timeout=30)


def session_processes(session: int) -> dict[int, str]:
    """pid -> command name of each process in ``session`` that has not exited (zombies aside)."""
    found = {}
    for stat_file in Path("/proc").glob("[0-9]*/stat"):
        with contextlib.suppress(OSError):
            # pid (comm) state ppid pgrp session ...: comm may hold spaces, so split after it
            pid, rest = stat_file.read_text().split(" (", 1)
            name, fields = rest.rsplit(") ", 1)
            state, _ppid, _group, sid = fields.split()[:4]
            if int(sid) == session and state != "Z":
                found[int(pid)] = name
    return found


def _get(port: int, path: str, key: str) -> int:
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}{path}", headers={"Authorization": f"Bearer {key}"}
    )
    with urllib.request.urlopen(request, timeout=30) as response:
        return response.status


def test_make_run_prints_the_key_last_and_stops_whole_on_sigterm(tmp_path: Path) -> None:
    port = free_port()
    run = Running(["make", "--no-print-directory", "run", f"PORT={port}"], tmp_path, port)
    try:
        run.wait_for("/app/login?token=")
        key, link = run.lines[-3], run.lines[-1]
        # The key, then only the desk's one-time sign-in link, after the server's own lines.
        assert key.startswith("eng_"), run.lines
        assert link.startswith(f"http://127.0.0.1:{port}/app/login?token="), run.lines
        assert any("Booting worker" in line for line in run.lines[:-3])
        with urllib.request.urlopen(link, timeout=30) as page:  # it asks the user to set a password
            assert 'name="repeat"' in page.read().decode()
        key_file = tmp_path / "first-api-key.txt"
        assert key_file.read_text().strip() == key
        assert stat.S_IMODE(key_file.stat().st_mode) == 0o600

        assert _get(port, "/v1/tenant", key) == 200
        poll(lambda: any('"/v1/tenant"' in line for line in run.lines))
        # One line per request, the service's JSON; gunicorn's own access line is off.
        request_lines = [line for line in run.lines if line.startswith("{") and "/v1/tenant" in line]
        assert len(request_lines) == 1 and json.loads(request_lines[0])["status"] == 200

        os.kill(run.process.pid, signal.SIGTERM)  # make's pid: make hands it to the supervisor
        run.process.wait(timeout=STOP_WITHIN)
        poll(run.group_is_gone, attempts=20)  # gunicorn, its workers and the clock too
        assert not (tmp_path / "service.pid").exists()
    finally:
        run.kill_leftovers()

    again = Running(["make", "--no-print-directory", "run", f"PORT={port}"], tmp_path, port)
    try:
        again.wait_for("Serving on")
        assert any("flask --app service keys create --tenant 1" in line for line in again.lines)
        assert not any(line.startswith("eng_") for line in again.lines)
        os.killpg(again.process.pid, signal.SIGINT)  # Ctrl-C: the terminal signals the whole group
        again.process.wait(timeout=STOP_WITHIN)
    finally:
        again.kill_leftovers()


def test_each_killed_process_is_started_again_and_the_api_keeps_answering(tmp_path: Path) -> None:
    """One tenant's data that crashes the dispatcher (issue 31, finding 1) must not take the API
    of every tenant down: every child, the web server itself included, is started again."""
    port = free_port()
    flask = str(ROOT / ".venv" / "bin" / "flask")
    # No warm office: its restart is the test below, and it is slow to start and stop.
    command = [flask, "--app", "service", "serve", "--port", str(port)]
    run = Running(command, tmp_path, port, UNOSERVER=str(tmp_path / "no-unoserver"))
    try:
        run.wait_for("eng_")
        key = (tmp_path / "first-api-key.txt").read_text().strip()
        for name in ("clock", "dispatcher", "converter", "web"):
            first = _pid_of(run, name)
            os.kill(first, signal.SIGKILL)
            run.wait_for(f"{name} exited with status -9; starting it again")
            poll(lambda name=name: len([line for line in run.lines if f"started {name} (pid" in line]) == 2)
            assert _pid_of(run, name, after=1) != first
            poll(lambda: _answers(port, key))
            assert run.process.poll() is None  # the service went on
    finally:
        os.killpg(run.process.pid, signal.SIGTERM)
        run.process.wait(timeout=STOP_WITHIN + 5)
        run.kill_leftovers()


def _answers(port: int, key: str) -> bool:
    try:
        return _get(port, "/v1/tenant", key) == 200
    except OSError:
        return False


def test_the_service_stops_and_says_why_when_its_database_does_not_answer(tmp_path: Path) -> None:
    """The one reason to stop: a dead process cannot be started again because the service
    itself cannot run. PostgreSQL refuses new connections to the database, then a child dies."""
    port = free_port()
    flask = str(ROOT / ".venv" / "bin" / "flask")
    with throwaway_postgresql("supervisor") as url:
        command = [flask, "--app", "service", "serve", "--port", str(port)]
        run = Running(command, tmp_path, port, DATABASE_URL=url, UNOSERVER=str(tmp_path / "no-unoserver"))
        name = url.rpartition("/")[2]
        try:
            run.wait_for("Serving on")
            with psycopg.connect(POSTGRES_URL, autocommit=True) as admin:
                admin.execute(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS false')
                admin.execute(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s", (name,)
                )
            os.kill(_pid_of(run, "clock"), signal.SIGKILL)
            assert run.process.wait(timeout=UNUSABLE_LIMIT + STOP_WITHIN + 10) == 1
            said = [line for line in run.lines if "the service cannot run" in line]
            assert said and "the database does not answer" in said[0] and name in said[0], run.lines[-20:]
            poll(run.group_is_gone, attempts=20)
        finally:
            run.kill_leftovers()
            with psycopg.connect(POSTGRES_URL, autocommit=True) as admin:
                admin.execute(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS true')


def _control_workers(var: Path) -> set[int]:
    """The worker pids gunicornc reports through the control socket in ``var``."""
    answer = subprocess.run(
        [str(ROOT / ".venv" / "bin" / "gunicornc"), "-s", str(var / "gunicorn.ctl"), "-c", "show workers", "-j"],
        capture_output=True, text=True, timeout=10,
    )  # fmt: skip
    assert answer.returncode == 0, answer.stdout + answer.stderr
    return {worker["pid"] for worker in json.loads(answer.stdout)["workers"]}


def test_two_services_on_one_host_each_answer_on_their_own_control_socket(tmp_path: Path) -> None:
    """gunicorn's default control socket is one per user: a second service would take it over,
    and gunicornc would then reload or stop the wrong one. Each keeps its own beside its pid file."""
    flask = str(ROOT / ".venv" / "bin" / "flask")
    first_var, second_var = tmp_path / "first", tmp_path / "second"
    runs: list[Running] = []
    try:
        for var in (first_var, second_var):
            var.mkdir()
            port = free_port()
            command = [flask, "--app", "service", "serve", "--port", str(port)]
            # No warm office: its LibreOffice is not what this is about, and it is slow to start and stop.
            runs.append(Running(command, var, port, UNOSERVER=str(tmp_path / "no-unoserver")))
        first, second = runs
        for run, var in zip(runs, (first_var, second_var), strict=True):
            run.wait_for("Control socket listening")
            poll(lambda var=var: bool(_control_workers(var)))  # its workers have been forked
            assert _control_workers(var) <= set(run.left())  # and they are this service's own

        os.kill(first.process.pid, signal.SIGTERM)
        first.process.wait(timeout=STOP_WITHIN)
        assert not (first_var / "gunicorn.ctl").exists()
        # The second's socket survived the first's stop, and still reaches the second.
        still = _control_workers(second_var)
        assert still and still <= set(second.left())
    finally:
        for run in runs:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(run.process.pid, signal.SIGTERM)
            run.kill_leftovers()


def test_a_killed_supervisor_takes_every_process_with_it(tmp_path: Path) -> None:
    """SIGKILL gives the supervisor no chance to stop anything: the kernel signals its children
    (PR_SET_PDEATHSIG), and the office passes it on to LibreOffice in its own process group."""
    port = free_port()
    flask = str(ROOT / ".venv" / "bin" / "flask")
    run = Running([flask, "--app", "service", "serve", "--port", str(port)], tmp_path, port)
    try:
        run.wait_for("Serving on")
        # unoserver passes the signal on once its start-up (seven seconds of sleeps) is over;
        # during it, it would linger until its own attempts to reach LibreOffice ran out.
        office_log = tmp_path / "office.log"
        poll(lambda: office_log.exists() and "Server PID" in office_log.read_text())
        names = set(run.left().values())
        assert {"gunicorn", "flask", "unoserver", "soffice.bin"} <= names, names

        os.kill(run.process.pid, signal.SIGKILL)
        run.process.wait(timeout=5)
        poll(lambda: not run.left(), attempts=20 * STOP_WITHIN)
        with socket.socket() as probe:
            # As gunicorn binds (SO_REUSEADDR: the port's closed connections may linger in
            # TIME_WAIT); this fails only while something still listens there.
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            probe.bind(("127.0.0.1", port))
            probe.listen()
    finally:
        run.kill_leftovers()


def _pid_of(run: Running, name: str, after: int = 0) -> int:
    """The pid of the (after+1)-th start of ``name`` logged by the supervisor."""
    starts = [json.loads(line) for line in run.lines if f"started {name} (pid" in line]
    return int(starts[after]["message"].split("pid ")[1].rstrip(")"))


def _pdf(port: int, key: str, document_id: int) -> bytes:
    """Ask for the PDF, then follow the 202's Location until it redirects to the stored file."""
    headers = {"Authorization": f"Bearer {key}"}
    url = f"http://127.0.0.1:{port}/v1/documents/{document_id}/content?format=pdf"
    with urllib.request.urlopen(urllib.request.Request(url, headers=headers), timeout=30) as first:
        if first.status == 200:
            return first.read()
        assert first.status == 202
        location = first.headers["Location"]
    body: list[bytes] = []

    def ready() -> bool:  # urllib follows the 303 to the content by itself
        request = urllib.request.Request(f"http://127.0.0.1:{port}{location}", headers=headers)
        with urllib.request.urlopen(request, timeout=30) as answer:
            if answer.status == 200:
                body.append(answer.read())
            return answer.status == 200

    poll(ready)
    return body[0]


def test_a_dead_office_is_started_again_and_pdfs_are_still_made(tmp_path: Path) -> None:
    port = free_port()
    flask = str(ROOT / ".venv" / "bin" / "flask")
    run = Running([flask, "--app", "service", "serve", "--port", str(port)], tmp_path, port)
    try:
        run.wait_for("Serving on")
        run.wait_for("eng_")
        key = (tmp_path / "first-api-key.txt").read_text().strip()
        headers = {"Authorization": f"Bearer {key}", "Content-Type": "application/json"}
        created = urllib.request.Request(
            f"http://127.0.0.1:{port}/v1/engagements",
            data=json.dumps(engagement_body()).encode(),
            headers=headers,
        )
        with urllib.request.urlopen(created, timeout=30) as answer:
            engagement = json.load(answer)["id"]
        listed = urllib.request.Request(
            f"http://127.0.0.1:{port}/v1/engagements/{engagement}/documents", headers=headers
        )
        with urllib.request.urlopen(listed, timeout=30) as answer:
            [contract] = json.load(answer)

        first_office = _pid_of(run, "office")
        os.kill(first_office, signal.SIGKILL)
        run.wait_for("office exited with status -9; starting it again")
        poll(lambda: len([line for line in run.lines if "started office (pid" in line]) == 2)
        assert _pid_of(run, "office", after=1) != first_office
        assert run.process.poll() is None  # the rest of the service went on
        assert _pdf(port, key, contract["id"]).startswith(b"%PDF")
    finally:
        os.killpg(run.process.pid, signal.SIGTERM)
        run.process.wait(timeout=STOP_WITHIN + 5)
        run.kill_leftovers()
