"""An in-process counter for ``limits``' fixed windows, registered as ``local://``.

limits' own ``memory://`` storage starts a timer thread every 10 ms to expire counters; under load
that is a new thread every few requests competing for the GIL with the request being served.
Here windows expire when next touched, and a sweep at most once per ``SWEEP_SECONDS`` drops the
stale ones, so memory stays bounded by the keys seen in one window. A window rolls over on its
own end, whatever the phase of the sweep (``tests/unit/test_rate_counter.py``).

The counts are this process's. ``make run`` serves from one process (``gunicorn.conf.py``:
threads, not several workers), so the ``X-RateLimit-*`` figures are the server's; that file
refuses to start several workers with this counter, since each would then count on its own.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Any

from limits.storage import Storage

SWEEP_SECONDS = 60.0


class LocalCounter(Storage):
    STORAGE_SCHEME = ["local"]

    def __init__(
        self,
        uri: str | None = None,
        wrap_exceptions: bool = False,
        clock: Callable[[], float] = time.time,
        sweep_seconds: float = SWEEP_SECONDS,
        **options: Any,
    ) -> None:
        super().__init__(uri, wrap_exceptions=wrap_exceptions, **options)
        self._clock = clock
        self._sweep_seconds = sweep_seconds
        self._windows: dict[str, tuple[int, float]] = {}  # key -> (count, window end in epoch seconds)
        self._lock = threading.Lock()
        self._next_sweep = clock() + sweep_seconds

    @property
    def base_exceptions(self) -> type[Exception]:
        return ValueError

    def incr(self, key: str, expiry: int, amount: int = 1) -> int:
        now = self._clock()
        with self._lock:
            if now >= self._next_sweep:
                self._sweep(now)
            count, ends = self._windows.get(key, (0, 0.0))
            if ends <= now:
                count, ends = 0, now + expiry
            self._windows[key] = (count + amount, ends)
            return count + amount

    def get(self, key: str) -> int:
        count, ends = self._windows.get(key, (0, 0.0))
        return count if ends > self._clock() else 0

    def get_expiry(self, key: str) -> float:
        _, ends = self._windows.get(key, (0, 0.0))
        return max(ends, self._clock())

    def check(self) -> bool:
        return True

    def reset(self) -> int | None:
        with self._lock:
            cleared = len(self._windows)
            self._windows.clear()
        return cleared

    def clear(self, key: str) -> None:
        with self._lock:
            self._windows.pop(key, None)

    def _sweep(self, now: float) -> None:
        self._windows = {k: v for k, v in self._windows.items() if v[1] > now}
        self._next_sweep = now + self._sweep_seconds
