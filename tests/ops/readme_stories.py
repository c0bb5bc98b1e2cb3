"""The README's shell stories as steps a test can run: each fenced ``sh`` block, cut after every
``# → STATUS [JSON]`` comment, the comment saying what the step's requests answer.

    curl -s $API/v1/engagements/$ID/events/verify -H "$H"
    # → 200 {"valid": true}

A step's every ``curl`` must answer STATUS; when JSON follows, the step makes one request and its
answer holds that JSON (objects compared key by key, recursively; anything else exactly). A
block preceded by ``<!-- readme-test: skip (why) -->`` is not run (it needs something of the
reader's own: a reachable receiver, a PEC receipt, a shell on the server).
"""

from __future__ import annotations

import json
import re
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ARROW = "# →"
SKIP = "<!-- readme-test: skip"
FENCE = re.compile(r"^```sh\n(.*?)^```", re.S | re.M)

# Every curl the stories run goes through this: its headers and body are kept per step.
PRELUDE = r"""
curl() {
  local out
  out=$(mktemp "$README_STEPS/$README_STEP.XXXXXX")
  command curl -D "$out.headers" "$@" | tee "$out.body"
}
"""


@dataclass(frozen=True)
class Step:
    line: int  # in README.md, where the step starts
    script: str
    status: int | None
    expected: Any = None


def steps(readme: str) -> tuple[list[Step], int]:
    """The steps of every block that runs, in order, and how many blocks are skipped."""
    found: list[Step] = []
    skipped = 0
    for block in FENCE.finditer(readme):
        before = readme[: block.start()].rstrip().splitlines()
        if before and before[-1].startswith(SKIP):
            skipped += 1
            continue
        first_line = readme.count("\n", 0, block.start()) + 2
        found += _cut(block.group(1), first_line)
    return found, skipped


def _cut(block: str, first_line: int) -> list[Step]:
    cut: list[Step] = []
    lines: list[str] = []
    start = first_line
    for number, line in enumerate(block.splitlines(), start=first_line):
        if not lines:
            start = number
        lines.append(line)
        if ARROW in line:
            status, expected = _expectation(line.split(ARROW, 1)[1], number)
            text = "\n".join(lines)
            # One request per step, so each has its answer written under it; a loop may make more.
            assert text.count("curl ") <= 1 or re.search(r"^\s*for .*; do$", text, re.M), (
                f"README.md:{start}: several requests before one '{ARROW}': give each its own"
            )
            cut.append(Step(start, text, status, expected))
            lines = []
    rest = "\n".join(lines)
    if rest.strip():
        assert "curl " not in rest, f"README.md:{start}: a request without '{ARROW} STATUS' after it"
        cut.append(Step(start, rest, None))
    return cut


def _expectation(text: str, number: int) -> tuple[int, Any]:
    match = re.match(r"\s*(\d{3})\b(.*)", text)
    assert match, f"README.md:{number}: '{ARROW}' must be followed by a status code"
    rest = match.group(2)
    brace = rest.find("{")
    expected = json.JSONDecoder().raw_decode(rest[brace:])[0] if brace >= 0 else None
    return int(match.group(1)), expected


def script(found: list[Step]) -> str:
    parts = [PRELUDE]
    for index, step in enumerate(found):
        parts.append(f"README_STEP={index}\n{step.script}\n")
    return "\n".join(parts)


@dataclass(frozen=True)
class Answer:
    status: int
    body: bytes


def answers(steps_dir: Path, index: int) -> list[Answer]:
    """What each request of step ``index`` answered (the last response of each, after any 100)."""
    found = []
    for headers in sorted(steps_dir.glob(f"{index}.*.headers")):
        statuses = re.findall(r"^HTTP/[\d.]+ (\d{3})", headers.read_text(errors="replace"), re.M)
        body = Path(str(headers).removesuffix(".headers") + ".body").read_bytes()
        found.append(Answer(int(statuses[-1]) if statuses else 0, body))
    return found


def holds(expected: Any, actual: Any) -> bool:
    if isinstance(expected, dict):
        return isinstance(actual, dict) and all(
            k in actual and holds(v, actual[k]) for k, v in expected.items()
        )
    return bool(expected == actual)


def run(
    found: list[Step], cwd: Path, env: dict[str, str], timeout: float, prefix: tuple[str, ...] = ()
) -> subprocess.CompletedProcess[str]:
    """Every step in one bash, as a reader's terminal; ``prefix`` runs it on a faked day."""
    steps_dir = cwd / "steps"
    steps_dir.mkdir(exist_ok=True)
    return subprocess.run(
        [*prefix, "bash", "-c", script(found)],
        cwd=cwd,
        env={**env, "README_STEPS": str(steps_dir)},
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def problems(found: list[Step], steps_dir: Path) -> list[str]:
    """Each step whose requests did not answer as its comment says, with what they answered."""
    wrong = []
    for index, step in enumerate(found):
        got = answers(steps_dir, index)
        if step.status is None:
            continue
        where = f"README.md:{step.line}:\n{step.script}\n"
        if not got:
            wrong.append(f"{where}  made no request")
            continue
        for answer in got:
            if answer.status != step.status:
                wrong.append(f"{where}  answered {answer.status}: {answer.body[:600]!r}")
        if step.expected is not None:
            if len(got) != 1:
                wrong.append(f"{where}  {len(got)} requests: the JSON it promises needs exactly one")
                continue
            try:
                body = json.loads(got[0].body)
            except ValueError:
                body = None
            if not holds(step.expected, body):
                wrong.append(f"{where}  answer {got[0].body[:600]!r} does not hold {step.expected}")
    return wrong
