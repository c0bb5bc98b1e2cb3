"""The README's stories run as written, in order, top to bottom, on a fresh `make run`: each
request answers what its `# →` comment says (issue 16). A real make, supervisor, gunicorn and
clock, on a free port with a SQLite file of the test's own; the commands run in bash with curl
and jq, as a reader would run them from the repository's root.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import urllib.request
from pathlib import Path

import pytest

from tests.conftest import ROOT
from tests.ops import readme_stories
from tests.ops.test_supervisor import Running
from tests.processes import free_port

README = ROOT / "README.md"


def test_the_readme_is_cut_into_steps_that_each_say_what_they_answer() -> None:
    found, skipped = readme_stories.steps(README.read_text())
    requests = [s for s in found if "curl " in s.script]
    assert len(requests) >= 50 and all(s.status is not None for s in requests)
    # The make commands, cron, operator CLI, a webhook receiver, a PEC receipt, and the generated
    # client's two commands (tests/integration/test_generated_client.py runs those).
    assert skipped <= 6
    walk_through = next(i for i, s in enumerate(found) if "/v1/engagements -H" in s.script)
    sender = next(i for i, s in enumerate(found) if "-X PATCH $API/v1/tenant" in s.script)
    assert sender < walk_through  # who the letters are from, before the first letter


def test_a_broken_promise_is_reported_with_its_line(tmp_path: Path) -> None:
    # The checker itself can fail: a status and a value that the answers do not hold.
    text = '```sh\ncurl -s http://127.0.0.1:9/nothing\n# → 200 {"valid": true}\n```\n'
    found, _ = readme_stories.steps(text)
    (tmp_path / "steps").mkdir()
    (tmp_path / "steps" / "0.abc.headers").write_text("HTTP/1.1 404 Not Found\r\n\r\n")
    (tmp_path / "steps" / "0.abc.body").write_text('{"valid": false}')
    status, value = readme_stories.problems(found, tmp_path / "steps")
    assert status.startswith("README.md:2:") and "answered 404" in status
    assert "does not hold {'valid': True}" in value
    assert readme_stories.holds({"a": {"b": 1}}, {"a": {"b": 1, "c": 2}, "d": 3})
    assert not readme_stories.holds({"a": {"b": 1}}, {"a": {"b": 2}})


def _tenant(port: int, key: str) -> dict[str, str]:
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}/v1/tenant", headers={"Authorization": f"Bearer {key}"}
    )
    with urllib.request.urlopen(request, timeout=30) as response:
        return json.loads(response.read())


# The second day the stories run on: CI's second date (`make test-on`'s default), the morning
# Europe's clocks go forward.
FAR_DAY = "2029-03-25 00:59:00"


@pytest.mark.parametrize("server_day", [None, FAR_DAY], ids=["today", "far-day"])
def test_the_readme_stories_run_top_to_bottom_on_a_fresh_make_run(
    tmp_path: Path, server_day: str | None
) -> None:
    """First on the real date, with no faked time: what a reader gets today. The stories are
    dated from 30 November 2026 and hold on any day because `make run`'s sandbox lives on their
    calendar (its clock starts there). Then with the server and the reader's terminal on a far
    day (libfaketime), as CI's second date runs the suite: nothing in them may depend on the day
    they were written."""
    found, _ = readme_stories.steps(README.read_text())
    port = free_port()
    var = tmp_path / "var"  # the reader's var/, beside the commands' working directory
    var.mkdir()
    # On the far day the reader's terminal lives on it too (a key's expiry is "a year from today").
    on_day = () if server_day is None else ("env", "TZ=UTC", "faketime", "-f", f"@{server_day}")
    run = Running([*on_day, "make", "--no-print-directory", "run", f"PORT={port}"], var, port)
    try:
        run.wait_for("eng_")
        key = next(line for line in reversed(run.lines) if line.startswith("eng_"))  # last: test_supervisor
        # Before the key, the exact request that sets the sender details: it works as printed.
        [at] = [i for i, line in enumerate(run.lines) if line.strip().startswith("curl -s -X PATCH")]
        printed = run.lines[at].strip()
        assert at < len(run.lines) - 1 and "/v1/tenant" in printed
        subprocess.run(["bash", "-c", printed], check=True, capture_output=True, timeout=30)
        assert _tenant(port, key)["signatory"] == "Anna Bianchi"

        env = {**os.environ, "PORT": str(port)}
        done = readme_stories.run(found, tmp_path, env, timeout=240, prefix=on_day)
        wrong = readme_stories.problems(found, tmp_path / "steps")
        assert not wrong, "\n\n".join(wrong) + "\n\nstderr:\n" + done.stderr[-3000:]
        assert any(p.suffix == ".zip" for p in tmp_path.iterdir())  # the export, saved by -OJ
    finally:  # how fast it stops is test_supervisor's business; here it only has to go
        if run.process.poll() is None:
            # To the whole session: faketime forks make rather than exec it, so a signal to its
            # pid alone would leave make and the supervisor running, to be killed uncleanly below
            # (and the warm LibreOffice, in its own process group, with nobody left to end it).
            # Without faketime the session's leader is make itself, and this is the same signal.
            os.killpg(run.process.pid, signal.SIGTERM)
            with contextlib.suppress(subprocess.TimeoutExpired):
                run.process.wait(timeout=60)
        run.kill_leftovers()
