"""A bounded, fair queue for PDF conversions on this host.

LibreOffice takes a core for a second or more per document. Without a bound, two tenants
converting in a loop raise everyone's latency; without a per-tenant share, one tenant can take
every slot. So: at most ``slots`` conversions at once in the process (``make run`` serves from one
process, so that is the host), at most ``per_tenant`` of them for one tenant; a request that finds
its tenant's share in use is refused at once, one that finds every slot busy waits up to
``wait_seconds`` for one. A refusal is a 503 with Retry-After: nothing was lost.
"""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager

from service.domain.errors import Unavailable


class ConversionsBusy(Unavailable):
    """No conversion slot for this request now; ``retry_after`` seconds is a fair wait."""

    def __init__(self, message: str, retry_after: int) -> None:
        super().__init__(message)
        self.retry_after = retry_after


class ConversionQueue:
    def __init__(self, slots: int = 2, per_tenant: int = 1, wait_seconds: float = 20) -> None:
        self.slots, self.per_tenant, self.wait_seconds = slots, per_tenant, wait_seconds
        self._free = threading.BoundedSemaphore(slots)
        self._lock = threading.Lock()
        self._by_tenant: Counter[int] = Counter()  # conversions running or waiting, per tenant

    @contextmanager
    def slot(self, tenant_id: int) -> Iterator[None]:
        with self._lock:
            if self._by_tenant[tenant_id] >= self.per_tenant:
                raise ConversionsBusy(
                    f"Your account already has {self.per_tenant} PDF conversion(s) under way; "
                    "retry once it is done.",
                    retry_after=2,
                )
            self._by_tenant[tenant_id] += 1
        try:
            if not self._free.acquire(timeout=self.wait_seconds):
                raise ConversionsBusy(
                    f"All {self.slots} PDF conversion slots of this server are busy; retry shortly.",
                    retry_after=5,
                )
            try:
                yield
            finally:
                self._free.release()
        finally:
            with self._lock:
                self._by_tenant[tenant_id] -= 1
                if not self._by_tenant[tenant_id]:
                    del self._by_tenant[tenant_id]
