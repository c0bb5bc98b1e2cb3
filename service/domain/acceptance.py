"""The client's acceptance of the contract or of an amendment: the one-time code and the consents.

The code is the signature's last step: 6 digits, alive 10 minutes, 5 tries, stored only as an
HMAC-SHA256 under a server key kept outside the database. Not argon2: a 6-digit code has a
million values, which any slow hash still lets a database thief try in minutes; a keyed hash
without the key tells them nothing, and checking it costs nothing under the per-engagement limit.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Protocol

from service.domain.sayings import Said

DIGITS = 6
ALIVE = timedelta(minutes=10)
TRIES = 5
PER_HOUR = 5  # codes one engagement may ask for in an hour: each is an e-mail to the client
CONTRACT = "contract"  # what is accepted: the contract, or ``amendment`` with its id
AMENDMENT = "amendment"
SEALED_KIND = "sealed_acceptance"  # a document the service stores as a PDF, never rendered
SIGNED_COPY_KIND = "signed_copy"  # the client's own digitally signed contract, as uploaded
STORED_KINDS = (SEALED_KIND, SIGNED_COPY_KIND)


def new_code() -> str:
    return f"{secrets.randbelow(10**DIGITS):0{DIGITS}d}"


def code_hash(key: bytes, code_id: str, code: str) -> str:
    """Keyed by the server and bound to its row: one code's hash says nothing of another's."""
    return hmac.new(key, f"{code_id}:{code}".encode(), hashlib.sha256).hexdigest()


@dataclass
class AcceptanceCode:
    public_id: str  # named in the record and on the sealed page; never the code
    tenant_id: int
    engagement_id: int
    subject: str  # CONTRACT or AMENDMENT
    amendment_id: int | None
    document_id: int  # the document whose PDF the client was shown
    pdf_sha256: str  # ... and that PDF's sha256, exactly
    contact: str
    link_id: str
    code_hash: str
    created_at: datetime
    expires_at: datetime
    tries: int = 0
    used_at: datetime | None = None

    def dead_because(self, now: datetime) -> Said | None:
        """Why the code can no longer be used, or None."""
        if self.used_at is not None:
            return Said("acceptance.code_used")
        if now >= self.expires_at:
            return Said("acceptance.code_expired")
        if self.tries >= TRIES:
            return Said("acceptance.code_exhausted")
        return None

    def matches(self, key: bytes, code: str) -> bool:
        """Counts the try; the comparison takes the same time whatever the code."""
        self.tries += 1
        return hmac.compare_digest(self.code_hash, code_hash(key, self.public_id, code.strip()))


@dataclass(frozen=True)
class ClientAction:
    """Who acts for the client, and through what: every acceptance entry names them."""

    contact: str  # the contact the portal link was issued to
    link_id: str  # the portal link's id; never its token
    address: str  # the client's IP address, as the request arrived
    user_agent: str


@dataclass(frozen=True)
class Consents:
    terms: bool  # the client ticked acceptance of the terms
    onerous_clauses: tuple[str, ...] = ()  # the clause numbers approved one by one


def missing_consents(consents: Consents, onerous_numbers: tuple[str, ...]) -> list[Said]:
    """What the client has not yet consented to; the Italian clauses are named by number."""
    missing: list[Said] = []
    if not consents.terms:
        missing.append(Said("acceptance.terms_not_accepted"))
    lacking = [number for number in onerous_numbers if number not in consents.onerous_clauses]
    if lacking:
        missing.append(Said("acceptance.clauses_not_approved", clauses=", ".join(lacking)))
    return missing


@dataclass(frozen=True)
class SealingCertificate:
    certificate_pem: str
    private_key_sealed: str  # the PKCS#8 PEM sealed by the runtime's SecretBox


class AcceptanceRepository(Protocol):
    def add(self, code: AcceptanceCode) -> None: ...
    def latest(
        self, tenant_id: int, engagement_id: int, subject: str, amendment_id: int | None
    ) -> AcceptanceCode | None: ...
    def save(self, code: AcceptanceCode) -> None: ...
    def count_since(self, tenant_id: int, engagement_id: int, since: datetime) -> int: ...
    def certificate(self, tenant_id: int) -> SealingCertificate | None: ...
    def add_certificate(self, tenant_id: int, certificate: SealingCertificate, now: datetime) -> None: ...


@dataclass(frozen=True)
class SignedCopy:
    """A contract signed with the client's own digital signature, as checked on upload."""

    format: str  # pades (a signed PDF) or cades (a .p7m envelope)
    signer: str  # the signing certificate's subject, as it reads
    certificate_sha256: str  # of the signing certificate's DER bytes
    signed_sha256: str  # of the content the signature covers: the contract PDF
    signed_at: str | None  # the signing time the signature claims, ISO 8601, if any


class SignedCopyRefused(Exception):
    """The upload is not the contract signed intact; ``said`` says why."""

    def __init__(self, said: Said) -> None:
        super().__init__(str(said))
        self.said = said


NOT_SIGNED = Said("acceptance.upload_not_signed")
BROKEN = Said("acceptance.upload_broken")
UNRELATED = Said("acceptance.upload_unrelated")
