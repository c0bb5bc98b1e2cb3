"""gunicorn.conf.py: what `make run` serves with, and the setting it refuses."""

from __future__ import annotations

import gc
import runpy
import weakref

import pytest

from tests.conftest import ROOT

CONF = str(ROOT / "gunicorn.conf.py")


def test_one_process_of_bounded_threads_by_default(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("WEB_CONCURRENCY", raising=False)
    monkeypatch.delenv("GUNICORN_THREADS", raising=False)
    settings = runpy.run_path(CONF)
    assert (settings["worker_class"], settings["workers"], settings["threads"]) == ("gthread", 1, 32)


def test_several_processes_counting_rate_limits_apart_are_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    """Each process would count on its own and X-RateLimit-Limit would understate the real limit."""
    monkeypatch.setenv("WEB_CONCURRENCY", "2")
    monkeypatch.delenv("RATELIMIT_STORAGE_URI", raising=False)
    with pytest.raises(RuntimeError, match="X-RateLimit-\\* headers lie"):
        runpy.run_path(CONF)
    monkeypatch.setenv("RATELIMIT_STORAGE_URI", "redis://127.0.0.1:6379")
    assert runpy.run_path(CONF)["workers"] == 2


class _Node:
    me: object


def test_a_worker_freezes_what_loading_the_app_made_after_collecting_its_garbage() -> None:
    """So that a full collection (then ~150 ms) no longer lands on a request's latency; garbage
    is collected first, or it would be kept for the worker's life."""
    settings = runpy.run_path(CONF)
    node = _Node()
    node.me = node  # a cycle only the collector frees
    garbage = weakref.ref(node)
    del node
    gc.disable()  # no automatic pass may free it by chance
    try:
        settings["post_worker_init"](None)
        assert garbage() is None
        assert gc.get_freeze_count() > 1000
    finally:
        gc.unfreeze()
        gc.enable()
