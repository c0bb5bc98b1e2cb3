"""The converter process's loop: every pending PDF, then wait until a job is queued.

The wait is the adapters' ``JobWake`` (PostgreSQL LISTEN/NOTIFY, or SQLite's commit counter),
with the poll interval as its upper bound: a lost notification costs one interval, never a job.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Protocol

from service.application.pdfs import PdfConverter, convert_until_idle
from service.application.runtime import Runtime

logger = logging.getLogger(__name__)


class Wake(Protocol):
    def wait(self, seconds: float) -> None:
        """Return when a job may have been queued, or after ``seconds``."""
        ...


def convert_when_woken(
    rt: Runtime,
    converter: PdfConverter,
    wake: Wake,
    every: float,
    after_round: Callable[[int], bool],
    transient: type[Exception] | tuple[type[Exception], ...] = (),
) -> None:
    """Round after round while ``after_round`` (told how many PDFs the round attempted) says go on.
    ``transient``: the database being away, logged and waited out like an empty round."""
    while True:
        try:
            attempted = convert_until_idle(rt, converter)
        except transient as exc:
            logger.warning("convert: database unavailable (%s); retrying", type(exc).__name__)
            attempted = 0
        if not after_round(attempted):
            return
        wake.wait(every)
