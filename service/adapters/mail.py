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
        smtp = self._unconnected()
        # From the first byte: a server that drips its greeting is cut like one that drips a reply.
        watchdog = _Watchdog(smtp, self.timeouts.total)
        try:
            code, greeting = smtp.connect(self.host, self.port)
            if code != 220:  # a server not serving now: tried again later, whatever its code
                return Handed(False, f"SMTPConnectError: {code} {greeting.decode(errors='replace')}"[:1000])
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
            smtp.close()

    def _unconnected(self) -> smtplib.SMTP:
        """A session whose connect (TLS too, for smtps) is bounded by the connect timeout."""
        if self.implicit_tls:
            smtp: smtplib.SMTP = smtplib.SMTP_SSL(timeout=self.timeouts.connect, context=self.tls)
        else:
            smtp = smtplib.SMTP(timeout=self.timeouts.connect)
        # The name TLS checks the certificate against, which only a constructor given the host
        # sets, and that constructor would connect before the watchdog could be started.
        smtp._host = self.host
        return smtp

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
        self.smtp, self.fired, self.cancelled = smtp, False, threading.Event()
        self.timer = threading.Timer(seconds, self._cut)
        self.timer.daemon = True
        self.timer.start()

    def _cut(self) -> None:
        self.fired = True
        # Still connecting (bounded by the connect timeout): cut the socket once it exists.
        while (sock := self.smtp.sock) is None:
            if self.cancelled.wait(0.05):
                return
        with contextlib.suppress(OSError):
            sock.shutdown(socket.SHUT_RDWR)

    def cancel(self) -> None:
        self.cancelled.set()
        self.timer.cancel()


def _refused(code: int, reply: bytes | str) -> Handed:
    text = reply.decode(errors="replace") if isinstance(reply, bytes) else reply
    return Handed(False, f"{code} {text}"[:1000], permanent=500 <= code < 600)
