"""`make test` on a fresh machine: the system packages are installed where allowed, and named
in one line, before anything runs, where not.

A fresh machine is staged with stand-ins for dpkg-query (nothing installed), id and apt-get
placed first on PATH; the script and make are the real ones.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

from tests.conftest import ROOT

SCRIPT = ROOT / "scripts" / "system-packages.sh"
PACKAGES = [
    "libreoffice-writer-nogui",
    "fonts-crosextra-carlito",
    "fonts-crosextra-caladea",
    "fonts-liberation2",
    "poppler-utils",
    "curl",
    "jq",
    "faketime",
    "python3-uno",
    "chromium",
]


def _fresh_machine(tmp_path: Path, *, uid: int, installed: tuple[str, ...] = ()) -> dict[str, str]:
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    stand_ins = {
        # Answers like dpkg-query for an installed package, and fails like it for any other.
        "dpkg-query": 'for p in {installed}; do [ "${{@: -1}}" = "$p" ] && '
        "printf 'install ok installed' && exit 0; done; exit 1".format(installed=" ".join(installed) or '""'),
        "id": f"echo {uid}",
        "apt-get": f'echo "$*" >> {tmp_path}/apt-get.log',
    }
    for name, body in stand_ins.items():
        (bin_dir / name).write_text(f"#!/usr/bin/env bash\n{body}\n")
        (bin_dir / name).chmod(0o755)
    return {**os.environ, "PATH": f"{bin_dir}:{os.environ['PATH']}"}


def test_without_root_it_names_the_missing_packages_in_one_line(tmp_path: Path) -> None:
    env = _fresh_machine(tmp_path, uid=1000, installed=("fonts-liberation2",))
    result = subprocess.run([SCRIPT], env=env, capture_output=True, text=True, check=False)
    assert result.returncode == 1
    assert result.stdout == ""
    [line] = result.stderr.splitlines()
    missing = [p for p in PACKAGES if p != "fonts-liberation2"]
    assert f"not installed here: {' '.join(missing)} " in line
    assert not (tmp_path / "apt-get.log").exists()


def test_as_root_it_installs_what_is_missing_with_apt_get(tmp_path: Path) -> None:
    env = _fresh_machine(tmp_path, uid=0, installed=("poppler-utils",))
    result = subprocess.run([SCRIPT], env=env, capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
    calls = (tmp_path / "apt-get.log").read_text().splitlines()
    assert calls[0] == "update -qq"
    assert calls[1].split()[-4:] == [p for p in PACKAGES if p != "poppler-utils"][-4:]
    assert calls[1].split().count("poppler-utils") == 0
    assert "libreoffice-writer-nogui" in calls[1].split()


def test_make_test_stops_before_lint_or_pytest_when_it_cannot_install(tmp_path: Path) -> None:
    env = _fresh_machine(tmp_path, uid=1000)
    # PYTHON and BIN point nowhere: should the script wrongly pass, make fails at once instead of
    # running the whole suite inside this test.
    command = ["make", "--no-print-directory", "test", "PYTHON=false", "BIN=/nonexistent"]
    result = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, check=False)
    assert result.returncode != 0
    assert "not installed here: " + " ".join(PACKAGES) in result.stderr
    assert "ruff" not in result.stdout + result.stderr
    assert "pytest" not in result.stdout + result.stderr


def test_with_everything_present_it_changes_nothing(tmp_path: Path) -> None:
    env = _fresh_machine(tmp_path, uid=0, installed=tuple(PACKAGES))
    result = subprocess.run([SCRIPT], env=env, capture_output=True, text=True, check=False)
    assert (result.returncode, result.stdout, result.stderr) == (0, "", "")
    assert not (tmp_path / "apt-get.log").exists()
