"""E-mail at the edge: handing a message's bytes (``documents/emails.py``) to an SMTP server.

``SMTP_URL``: ``smtp://user:pass@host:587`` upgrades with STARTTLS whenever the server offers it
and refuses to send a password over a connection that is not encrypted; ``smtps://host:465``
speaks TLS from the first byte. ``SMTP_CA_FILE`` trusts a private CA (a relay on your LAN).
"""

from __future__ import annotations

import smtplib
import ssl
from urllib.parse import unquote, urlsplit

from service.domain.messages import Handed


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
        timeout: float = 30.0,
    ) -> None:
        self.host, self.port, self.implicit_tls = host, port, implicit_tls
        self.username, self.password = username, password
        self.tls = ssl.create_default_context(cafile=ca_file)
        self.timeout = timeout

    @classmethod
    def from_url(cls, url: str, *, ca_file: str | None = None) -> SmtpMailer:
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
        )

    def __repr__(self) -> str:  # never the password, in logs or tracebacks
        return f"SmtpMailer({'smtps' if self.implicit_tls else 'smtp'}://{self.host}:{self.port})"

    def send(self, sender: str, recipients: list[str], data: bytes) -> Handed:
        try:
            with self._connect() as smtp:
                code, reply = smtp.mail(sender)
                if code != 250:
                    return _refused(code, reply)
                for recipient in recipients:
                    code, reply = smtp.rcpt(recipient)
                    if code not in (250, 251):
                        return _refused(code, reply)
                code, reply = smtp.data(data)
                if code != 250:
                    return _refused(code, reply)
                return Handed(True, f"{code} {reply.decode(errors='replace')}")
        except smtplib.SMTPResponseException as exc:
            return _refused(exc.smtp_code, exc.smtp_error)
        except (OSError, smtplib.SMTPException) as exc:
            return Handed(False, f"{type(exc).__name__}: {exc}"[:1000])

    def _connect(self) -> smtplib.SMTP:
        if self.implicit_tls:
            smtp: smtplib.SMTP = smtplib.SMTP_SSL(
                self.host, self.port, timeout=self.timeout, context=self.tls
            )
        else:
            smtp = smtplib.SMTP(self.host, self.port, timeout=self.timeout)
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


def _refused(code: int, reply: bytes | str) -> Handed:
    text = reply.decode(errors="replace") if isinstance(reply, bytes) else reply
    return Handed(False, f"{code} {text}"[:1000], permanent=500 <= code < 600)
