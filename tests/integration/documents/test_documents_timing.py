"""Median render time per kind, printed for the record (run with -s); never asserted."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable

from service.documents import DOCUMENT_KINDS, DocumentRenderer, DocumentRequest

RUNS = 15


def test_print_median_render_times(
    renderer: DocumentRenderer, request_for: Callable[..., DocumentRequest]
) -> None:
    lines = []
    for kind in sorted(DOCUMENT_KINDS):
        request = request_for(kind, "it")
        samples = []
        for _ in range(RUNS):
            start = time.perf_counter()
            renderer.render(request)
            samples.append(time.perf_counter() - start)
        lines.append(f"{kind:<20} {statistics.median(samples) * 1000:6.1f} ms")
    print("\nmedian render time per kind:\n" + "\n".join(lines))
