"""E-mail at the edge: the RFC 5322 bytes of a message, and handing them to an SMTP server.

``SMTP_URL``: ``smtp://user:pass@host:587`` upgrades with STARTTLS whenever the server offers it
and refuses to send a password over a connection that is not encrypted; ``smtps://host:465``
speaks TLS from the first byte. ``SMTP_CA_FILE`` trusts a private CA (a relay on your LAN).
"""

from __future__ import annotations

import smtplib
import ssl
from dataclasses import dataclass
from datetime import UTC, datetime
from email import policy
from email.generator import BytesGenerator
from email.header import Header
from email.mime.application import MIMEApplication
from email.mime.multipart import MIMEMultipart
from email.mime.text import MIMEText
from email.parser import BytesParser
from email.utils import format_datetime, formataddr
from io import BytesIO
from urllib.parse import unquote, urlsplit

DOCX_TYPE = ("application", "vnd.openxmlformats-officedocument.wordprocessingml.document")


@dataclass(frozen=True)
class Letter:
    """Everything the e-mail says, already decided by the application."""

    sender_name: str
    sender_address: str
    reply_to: str  # the freelancer's contact, where the client's answer should go
    to: list[str]
    cc: list[str]
    subject: str
    body: str
    message_id: str
    date: datetime
    attachment_name: str
    attachment: bytes
    pdf_copy: bytes | None = None  # the same notice as PDF, attached beside the .docx


def compose(letter: Letter) -> bytes:
    """The exact bytes to send, CRLF line ends as SMTP carries them.

    Built with the compat32 classes on purpose: the modern policy's header folding puts the space
    between two accented words outside the encoded words, where RFC 2047 decoders drop it
    ("perché è" arrives as "perchéè"). ``Header`` keeps every space inside its encoded words.
    """
    email = MIMEMultipart()
    email["From"] = formataddr((letter.sender_name, letter.sender_address), charset="utf-8")
    email["Reply-To"] = letter.reply_to
    email["To"] = ", ".join(letter.to)
    if letter.cc:
        email["Cc"] = ", ".join(letter.cc)
    email["Subject"] = Header(letter.subject, "utf-8")
    email["Date"] = format_datetime(letter.date)
    email["Message-ID"] = letter.message_id
    email.attach(MIMEText(letter.body, "plain", "utf-8"))
    attachment = MIMEApplication(letter.attachment, DOCX_TYPE[1])
    attachment.add_header("Content-Disposition", "attachment", filename=letter.attachment_name)
    email.attach(attachment)
    if letter.pdf_copy is not None:
        pdf = MIMEApplication(letter.pdf_copy, "pdf")
        pdf.add_header("Content-Disposition", "attachment", filename=_pdf_name(letter.attachment_name))
        email.attach(pdf)
    out = BytesIO()
    BytesGenerator(out, policy=policy.compat32.clone(linesep="\r\n")).flatten(email)
    return out.getvalue()


def _pdf_name(docx_name: str) -> str:
    return docx_name.removesuffix(".docx") + ".pdf"


@dataclass(frozen=True)
class Handed:
    """What the SMTP server said: accepted, or refused for good (5xx) or for now."""

    accepted: bool
    reply: str
    permanent: bool = False


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


@dataclass(frozen=True)
class ParsedReceipt:
    kind: str
    issued_at: datetime
    referenced_message_id: str | None


def parse_pec_receipt(data: bytes) -> ParsedReceipt:
    """The receipt's type (``X-Ricevuta``), when it was issued (``Date``) and the message it is
    about (``X-Riferimento-Message-ID``). ValueError, saying what is missing, for anything else."""
    parsed = BytesParser(policy=policy.default).parsebytes(data, headersonly=True)
    try:
        kind = str(parsed.get("X-Ricevuta") or "").strip().lower()
        date = parsed.get("Date")
        reference = parsed.get("X-Riferimento-Message-ID")
    except (ValueError, IndexError, TypeError) as exc:
        raise ValueError("its headers cannot be read") from exc
    if not kind:
        raise ValueError("it has no X-Ricevuta header: it is not a PEC receipt")
    issued_at = getattr(date, "datetime", None)
    if issued_at is None or issued_at.tzinfo is None:
        raise ValueError("it has no Date header with a time zone")
    return ParsedReceipt(kind, issued_at.astimezone(UTC), str(reference).strip() if reference else None)
