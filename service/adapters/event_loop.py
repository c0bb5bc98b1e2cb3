"""pyHanko's signing and validation run their own asyncio loop (``asyncio.run``), which Python
refuses in a thread that already runs one: an async worker, or a test session that drives a
browser through Playwright's sync API. Such calls then run in a short-lived thread of their own."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Coroutine
from concurrent.futures import ThreadPoolExecutor
from typing import Any, TypeVar

T = TypeVar("T")


def _loop_running() -> bool:
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return False
    return True


def off_loop(call: Callable[[], T]) -> T:
    """``call()`` here, or in a thread with no loop when this thread runs one."""
    if not _loop_running():
        return call()
    with ThreadPoolExecutor(1) as pool:
        return pool.submit(call).result()


def run_async(coroutine: Coroutine[Any, Any, T]) -> T:
    return off_loop(lambda: asyncio.run(coroutine))
