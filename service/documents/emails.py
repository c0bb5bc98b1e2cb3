"""A notice as an e-mail: the exact RFC 5322 bytes of a message, and what a PEC receipt says.

Pure formatting with the standard library's ``email`` package, like the .docx beside it; the
SMTP conversation is an adapter's (``adapters/mail.py``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from email import policy
from email.charset import Charset
from email.generator import BytesGenerator
from email.header import Header
from email.mime.application import MIMEApplication
from email.mime.multipart import MIMEMultipart
from email.mime.text import MIMEText
from email.parser import BytesParser
from email.utils import format_datetime, formataddr
from io import BytesIO

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
    email["From"] = _mailbox(letter.sender_name, letter.sender_address)
    email["Reply-To"] = letter.reply_to
    email["To"] = ", ".join(letter.to)
    if letter.cc:
        email["Cc"] = ", ".join(letter.cc)
    email["Subject"] = Header(letter.subject, "utf-8")
    email["Date"] = format_datetime(letter.date)
    email["Message-ID"] = letter.message_id
    email.attach(MIMEText(letter.body, "plain", "utf-8"))
    # A sealed acceptance is a PDF already; every notice is a .docx.
    subtype = "pdf" if letter.attachment_name.endswith(".pdf") else DOCX_TYPE[1]
    attachment = MIMEApplication(letter.attachment, subtype)
    attachment.add_header("Content-Disposition", "attachment", filename=letter.attachment_name)
    email.attach(attachment)
    if letter.pdf_copy is not None:
        pdf = MIMEApplication(letter.pdf_copy, "pdf")
        pdf.add_header("Content-Disposition", "attachment", filename=_pdf_name(letter.attachment_name))
        email.attach(pdf)
    out = BytesIO()
    BytesGenerator(out, policy=policy.compat32.clone(linesep="\r\n")).flatten(email)
    return out.getvalue()


def _mailbox(name: str, address: str) -> str:
    """``Name <address>``. A name with a control character (a CR or LF stored before input was
    checked) goes as an RFC 2047 encoded word, as a non-ASCII one does: plain, it would either
    raise (``HeaderParseError``) or start a header of its own."""
    if name.isascii() and name.isprintable():
        return formataddr((name, address))
    return f"{Charset('utf-8').header_encode(name)} <{address}>"


def _pdf_name(docx_name: str) -> str:
    return docx_name.removesuffix(".docx") + ".pdf"


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
