"""The warm LibreOffice: a unoserver process (started by the supervisor) that keeps one office
loaded and converts over XML-RPC, so a PDF costs a fraction of a second instead of a cold start.

``OfficeConverter.convert`` is what the converter process calls: the warm office when it answers,
a cold ``soffice`` (``pdf.convert_to_pdf``) when nothing listens at its address (not installed
here, or being restarted). Errors are the domain's: ``ConversionFailed`` for a document
LibreOffice cannot convert, ``ConverterUnavailable`` for anything a later attempt may get past.
"""

from __future__ import annotations

import http.client
import logging
import xmlrpc.client
from collections.abc import Callable

from service.documents.pdf import PdfConversionError, PdfTimeout, convert_to_pdf
from service.domain.pdfs import ConverterUnavailable

logger = logging.getLogger(__name__)

# unoserver kills LibreOffice (and exits, so the supervisor starts it again) after this long;
# the client waits a little longer, so the server's own timeout is the one that acts.
SERVER_TIMEOUT = 30
CLIENT_TIMEOUT = SERVER_TIMEOUT + 10


class _TimedTransport(xmlrpc.client.Transport):
    def __init__(self, timeout: float) -> None:
        super().__init__()
        self._timeout = timeout

    def make_connection(self, host: object) -> http.client.HTTPConnection:
        connection = super().make_connection(host)  # type: ignore[arg-type]
        connection.timeout = self._timeout
        return connection


class OfficeConverter:
    def __init__(
        self,
        address: str | None,
        timeout: float = CLIENT_TIMEOUT,
        cold: Callable[[bytes], bytes] = convert_to_pdf,
    ) -> None:
        self.address, self.timeout, self.cold = address, timeout, cold
        self.warm_count = self.cold_count = 0

    def convert(self, docx: bytes) -> bytes:
        if self.address is None:
            return self._cold(docx)
        try:
            result = self._call(docx)
        except ConnectionRefusedError:
            logger.warning("the warm LibreOffice at %s is not listening; converting cold", self.address)
            return self._cold(docx)
        except TimeoutError as exc:
            raise PdfTimeout(f"The warm LibreOffice took longer than {self.timeout:g} s.") from exc
        except xmlrpc.client.Fault as exc:
            detail = f"LibreOffice could not convert the document: {exc.faultString}"
            raise PdfConversionError(detail[:400]) from exc
        except (OSError, http.client.HTTPException, xmlrpc.client.ProtocolError) as exc:
            # It died or was restarted mid-conversion: the next attempt finds it again.
            raise ConverterUnavailable(f"The warm LibreOffice went away: {type(exc).__name__}") from exc
        self.warm_count += 1
        data = result.data if isinstance(result, xmlrpc.client.Binary) else b""
        if not data.startswith(b"%PDF"):
            raise PdfConversionError("LibreOffice answered without a PDF.")
        return data

    def _call(self, docx: bytes) -> object:
        transport = _TimedTransport(self.timeout)
        with xmlrpc.client.ServerProxy(
            f"http://{self.address}", transport=transport, allow_none=True
        ) as proxy:
            # unoserver's API 3: inpath, indata, outpath, convert_to, filtername, filter_options,
            # update_index, infiltername, password. No index to update in our letters.
            return proxy.convert(None, xmlrpc.client.Binary(docx), None, "pdf", None, [], False, None, None)

    def _cold(self, docx: bytes) -> bytes:
        self.cold_count += 1
        return self.cold(docx)
