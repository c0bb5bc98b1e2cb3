"""Secrets kept in files beside the database, made on first start."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path


def read_or_create(path: Path, make: Callable[[], bytes]) -> bytes:
    """The file's bytes, creating it (mode 0600, never overwriting) with ``make()`` on first start.

    Written whole under a private name, then linked into place: a worker starting at the same
    moment finds either no file or a complete one, and the first link wins.
    """
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        draft = path.with_name(f".{path.name}.{os.getpid()}")
        descriptor = os.open(draft, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(descriptor, "wb") as file:
            file.write(make())
        try:
            os.link(draft, path)
        except FileExistsError:
            pass  # another process created it first: use theirs
        finally:
            draft.unlink()
    return path.read_bytes()
