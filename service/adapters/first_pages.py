"""A PDF's first page as a PNG, drawn by poppler's pdftoppm and kept on disk by the PDF's sha256:
a stored PDF never changes, so one drawing serves every later look."""

from __future__ import annotations

import os
import re
import subprocess
import tempfile
from pathlib import Path

SHA256 = re.compile(r"[0-9a-f]{64}")
WIDTH = 480  # pixels: a readable thumbnail of an A4 page beside the document's name
TIMEOUT = 20  # seconds; a first page takes well under one


class FirstPageFailed(Exception):
    pass


class FirstPages:
    def __init__(self, folder: Path, width: int = WIDTH) -> None:
        self.folder = folder
        self.width = width

    def png(self, sha256: str, pdf: bytes) -> bytes:
        if not SHA256.fullmatch(sha256):  # it names a file: nothing but a digest may
            raise ValueError(f"not a sha256: {sha256!r}")
        cached = self.folder / f"{sha256}-{self.width}.png"
        if cached.exists():
            return cached.read_bytes()
        drawn = self._draw(pdf)
        self.folder.mkdir(parents=True, exist_ok=True)
        # Written aside and renamed: a reader never sees half a picture, two writers race harmlessly.
        handle, temporary = tempfile.mkstemp(dir=self.folder, suffix=".part")
        with os.fdopen(handle, "wb") as file:
            file.write(drawn)
        os.replace(temporary, cached)
        return drawn

    def _draw(self, pdf: bytes) -> bytes:
        command = ["pdftoppm", "-png", "-f", "1", "-l", "1", "-scale-to", str(self.width), "-singlefile", "-"]
        try:
            done = subprocess.run(command, input=pdf, capture_output=True, timeout=TIMEOUT, check=True)
        except (OSError, subprocess.SubprocessError) as exc:
            raise FirstPageFailed(f"pdftoppm could not draw the first page: {exc}") from exc
        return done.stdout
