"""Convert a rendered .docx to PDF with a cold LibreOffice, one isolated profile per call.

The converter process uses it when the warm LibreOffice (``office.py``) cannot be reached.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import tempfile
from pathlib import Path

from service.domain.pdfs import ConversionFailed, ConverterUnavailable


class PdfUnavailable(ConverterUnavailable):
    """LibreOffice (soffice) is not installed."""


class PdfTimeout(ConverterUnavailable):
    """LibreOffice did not finish in time (it was killed): perhaps a busy host, so worth a retry."""


class PdfConversionError(ConversionFailed):
    """LibreOffice ran but did not produce a PDF."""


def _run(command: list[str], timeout: float) -> tuple[int, str]:
    # soffice forks helpers: run it in its own session so a timeout can kill the whole group.
    with subprocess.Popen(
        command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, start_new_session=True
    ) as process:
        try:
            output, _ = process.communicate(timeout=timeout)
        except subprocess.TimeoutExpired as exc:
            os.killpg(process.pid, signal.SIGKILL)
            process.communicate()
            raise PdfTimeout(f"LibreOffice took longer than {timeout:g} s.") from exc
        return process.returncode, output.decode(errors="replace").strip()


def convert_to_pdf(docx: bytes, timeout: float = 60) -> bytes:
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        raise PdfUnavailable("LibreOffice (soffice) is not installed on this host.")
    with tempfile.TemporaryDirectory(prefix="docx2pdf-") as tmp:
        work = Path(tmp)
        source = work / "document.docx"
        source.write_bytes(docx)
        # A private profile per call: concurrent conversions must not share (and lock) one.
        command = [
            soffice,
            f"-env:UserInstallation={(work / 'profile').as_uri()}",
            "--headless",
            "--norestore",
            "--convert-to",
            "pdf",
            "--outdir",
            str(work),
            str(source),
        ]
        returncode, output = _run(command, timeout)
        target = work / "document.pdf"
        # soffice can exit 0 without writing anything (e.g. a filter failure): check the file.
        if returncode != 0 or not target.is_file() or target.stat().st_size == 0:
            raise PdfConversionError(f"LibreOffice did not produce a PDF (exit {returncode}): {output}")
        return target.read_bytes()
