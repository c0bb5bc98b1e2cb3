"""A document's PDF: converted once, then served. The row that will hold it is its job meanwhile.

Pure rules: what a conversion's outcome does to the job, and when a failed one may be tried again.
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

PENDING, READY, FAILED = "pending", "ready", "failed"

MAX_ATTEMPTS = 3  # a conversion that times out or finds no converter is tried this often
LEASE = timedelta(minutes=2)  # longer than any conversion's timeout: a dead converter's job returns
RETRY_FAILED_AFTER = timedelta(minutes=10)  # a failed PDF is converted again on a request after this
POLL_SECONDS = 1  # the least Retry-After, and each conversion's guess before any has finished
RECENT_CONVERSIONS = 20  # the median of this many latest conversions prices each job in the queue
# One converter serves the host, oldest job first: an account may have this many waiting, so
# one converting everything it has cannot push every other account's PDF far back.
PENDING_PER_TENANT = 20
BUSY_RETRY_AFTER = 10


@dataclass
class PdfJob:
    document_id: int
    tenant_id: int
    status: str
    attempts: int
    requested_at: datetime
    finished_at: datetime | None = None
    sha256: str | None = None
    error: str | None = None
    content: bytes | None = None

    def may_retry(self, now: datetime) -> bool:
        """A failure is not a property of the document forever (LibreOffice missing, a timeout
        under load): after a while a new request queues it again."""
        if self.status != FAILED or self.finished_at is None:
            return False
        return now - self.finished_at >= RETRY_FAILED_AFTER

    def retry_after(self, now: datetime) -> int:
        """Seconds a client should wait before asking again."""
        if self.status == FAILED and self.finished_at is not None:
            return max(1, int((self.finished_at + RETRY_FAILED_AFTER - now).total_seconds()))
        return POLL_SECONDS


def expected_wait(ahead: int, recent: Sequence[float]) -> int:
    """Seconds until a pending PDF is made: the jobs the converter takes before it, and itself, each
    at the median of the recent conversions (one slow document does not move it), at least 1."""
    each = statistics.median(recent) if recent else POLL_SECONDS
    return max(POLL_SECONDS, math.ceil((ahead + 1) * each))


class ConversionFailed(Exception):
    """LibreOffice ran and made no PDF of this document: trying again will not help soon."""


class ConverterUnavailable(Exception):
    """No converter could take the document now (none installed, or it timed out): worth a retry."""


def gives_up(attempts: int) -> bool:
    return attempts >= MAX_ATTEMPTS
