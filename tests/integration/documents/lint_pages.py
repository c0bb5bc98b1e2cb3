"""Render many documents, convert them to PDF in one batch and read each back page by page.

The conversion is the PDF path's own program and fonts (LibreOffice, the fonts
scripts/system-packages.sh installs), run as two batch processes (one per core) rather than one
process per file; the text comes from poppler (``pdftotext -layout``, one string per page) and
the embedded fonts from ``pdffonts``. Under pytest-xdist the first worker converts and every
worker reads the same results (a lock file beside the shared temporary directory).
"""

from __future__ import annotations

import fcntl
import json
import shutil
import subprocess
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass
from pathlib import Path

TOOLS = ("soffice", "pdftotext", "pdffonts")


@dataclass(frozen=True)
class Rendered:
    pages: list[str]  # pdftotext -layout, one string per page
    fonts: list[str]  # the embedded font names, subset prefix removed


def missing_tools() -> list[str]:
    return [tool for tool in TOOLS if shutil.which(tool) is None]


def _convert(files: list[Path], out: Path, profile: Path) -> None:
    command = [
        "soffice",
        f"-env:UserInstallation={profile.as_uri()}",
        "--headless",
        "--norestore",
        "--convert-to",
        "pdf",
        "--outdir",
        str(out),
        *map(str, files),
    ]
    subprocess.run(command, check=True, capture_output=True, timeout=600)


def _read(pdf: Path) -> Rendered:
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], check=True, capture_output=True, text=True
    ).stdout
    pages = text.split("\f")
    if pages and not pages[-1].strip():
        pages.pop()
    listing = subprocess.run(["pdffonts", str(pdf)], check=True, capture_output=True, text=True)
    fonts = [line.split()[0].split("+")[-1] for line in listing.stdout.splitlines()[2:] if line.strip()]
    return Rendered(pages, fonts)


def convert_all(documents: dict[str, bytes], work: Path, processes: int = 2) -> dict[str, Rendered]:
    """Each named .docx converted and read back; ``processes`` soffice runs share the files."""
    source, out = work / "docx", work / "pdf"
    source.mkdir(parents=True)
    out.mkdir()
    files = []
    for name, content in documents.items():
        path = source / f"{name}.docx"
        path.write_bytes(content)
        files.append(path)
    batches = [files[i::processes] for i in range(processes)]
    with ThreadPoolExecutor(processes) as pool:
        jobs = [
            pool.submit(_convert, batch, out, work / f"profile-{i}")
            for i, batch in enumerate(batches)
            if batch
        ]
        for job in jobs:
            job.result()
    with ThreadPoolExecutor(4) as pool:
        read = dict(zip(documents, pool.map(_read, [out / f"{name}.pdf" for name in documents]), strict=True))
    return read


def shared(base: Path, build: Callable[[], dict[str, bytes]]) -> dict[str, Rendered]:
    """``convert_all(build())`` once for every pytest-xdist worker sharing ``base``."""
    base.mkdir(parents=True, exist_ok=True)
    results = base / "lint-pages.json"
    with (base / "lint-pages.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not results.exists():
            work = base / "lint-work"
            shutil.rmtree(work, ignore_errors=True)
            rendered = convert_all(build(), work)
            results.write_text(json.dumps({name: asdict(r) for name, r in rendered.items()}))
    return {name: Rendered(**value) for name, value in json.loads(results.read_text()).items()}
