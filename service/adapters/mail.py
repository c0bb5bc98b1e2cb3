"""E-mail at the edge: handing a message's bytes (``documents/emails.py``) to an SMTP server.

``SMTP_URL``: ``smtp://user:pass@host:587`` upgrades with STARTTLS whenever the server offers it
and refuses to send a password over a connection that is not encrypted; ``smtps://host:465``
speaks TLS from the first byte. ``SMTP_CA_FILE`` trusts a private CA (a relay on your LAN).
"""

from __future__ import annotations

import contextlib
import smtplib
import socket
import ssl
import threading
from urllib.parse import unquote, urlsplit

from service.domain.messages import Handed, SendTimeouts

DEFAULT_TIMEOUTS = SendTimeouts()


class SmtpMailer:
    def __init__(
        self,
        host: str,
        port: int,
        *,
        implicit_tls: bool = False,
        username: str | None = None,
        password: str | None = None,
        ca_file: str | None = None,
        timeouts: SendTimeouts = DEFAULT_TIMEOUTS,
    ) -> None:
        self.host, self.port, self.implicit_tls = host, port, implicit_tls
        self.username, self.password = username, password
        self.tls = ssl.create_default_context(cafile=ca_file)
        self.timeouts = timeouts

    @classmethod
    def from_url(
        cls, url: str, *, ca_file: str | None = None, timeouts: SendTimeouts = DEFAULT_TIMEOUTS
    ) -> SmtpMailer:
        parts = urlsplit(url)
        if parts.scheme not in ("smtp", "smtps") or not parts.hostname:
            raise ValueError("SMTP_URL must look like smtp://user:pass@host:587 or smtps://host:465")
        implicit_tls = parts.scheme == "smtps"
        return cls(
            parts.hostname,
            parts.port or (465 if implicit_tls else 587),
            implicit_tls=implicit_tls,
            username=unquote(parts.username) if parts.username else None,
            password=unquote(parts.password) if parts.password else None,
            ca_file=ca_file,
            timeouts=timeouts,
        )

    def __repr__(self) -> str:  # never the password, in logs or tracebacks
        return f"SmtpMailer({'smtps' if self.implicit_tls else 'smtp'}://{self.host}:{self.port})"

    def send(self, sender: str, recipients: list[str], data: bytes) -> Handed:
        try:
            smtp = self._open()
        except (OSError, smtplib.SMTPException) as exc:
            return Handed(False, f"{type(exc).__name__}: {exc}"[:1000])
        watchdog = _Watchdog(smtp, self.timeouts.total)
        try:
            with self._connect(smtp) as session:
                code, reply = session.mail(sender)
                if code != 250:
                    return _refused(code, reply)
                for recipient in recipients:
                    code, reply = session.rcpt(recipient)
                    if code not in (250, 251):
                        return _refused(code, reply)
                code, reply = session.data(data)
                if code != 250:
                    return _refused(code, reply)
                return Handed(True, f"{code} {reply.decode(errors='replace')}")
        except smtplib.SMTPResponseException as exc:
            return _refused(exc.smtp_code, exc.smtp_error)
        except (OSError, smtplib.SMTPException) as exc:
            if watchdog.fired:
                return Handed(False, f"TimeoutError: no answer within {self.timeouts.total:g} s in all")
            return Handed(False, f"{type(exc).__name__}: {exc}"[:1000])
        finally:
            watchdog.cancel()

    def _open(self) -> smtplib.SMTP:
        """Connected (TLS too, for smtps) within the connect timeout."""
        if self.implicit_tls:
            return smtplib.SMTP_SSL(self.host, self.port, timeout=self.timeouts.connect, context=self.tls)
        return smtplib.SMTP(self.host, self.port, timeout=self.timeouts.connect)

    def _connect(self, smtp: smtplib.SMTP) -> smtplib.SMTP:
        smtp.timeout = self.timeouts.reply
        if smtp.sock is not None:
            smtp.sock.settimeout(self.timeouts.reply)
        if not self.implicit_tls:
            smtp.ehlo()
            if smtp.has_extn("starttls"):
                smtp.starttls(context=self.tls)
                smtp.ehlo()
            elif self.username:
                smtp.close()
                raise smtplib.SMTPException(
                    "the server offers no STARTTLS; the password is not sent in clear"
                )
        if self.username:
            smtp.login(self.username, self.password or "")
        return smtp


class _Watchdog:
    """Cuts an SMTP connection still open after ``seconds``: its pending read then fails."""

    def __init__(self, smtp: smtplib.SMTP, seconds: float) -> None:
        self.smtp, self.fired = smtp, False
        self.timer = threading.Timer(seconds, self._cut)
        self.timer.daemon = True
        self.timer.start()

    def _cut(self) -> None:
        self.fired = True
        sock = self.smtp.sock
        if sock is not None:
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)

    def cancel(self) -> None:
        self.timer.cancel()


def _refused(code: int, reply: bytes | str) -> Handed:
    text = reply.decode(errors="replace") if isinstance(reply, bytes) else reply
    return Handed(False, f"{code} {text}"[:1000], permanent=500 <= code < 600)
