"""Settings from the environment, with defaults that run on a fresh machine."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]


def from_environment() -> dict[str, Any]:
    return {
        "DATABASE_URL": os.environ.get("DATABASE_URL", f"sqlite:///{ROOT / 'var' / 'engagement.sqlite3'}"),
        "WORKFLOW_FILE": Path(os.environ.get("WORKFLOW_FILE", ROOT / "workflows" / "engagement.yaml")),
        "REFERENCE_RATES_FILE": Path(
            os.environ.get("REFERENCE_RATES_FILE", ROOT / "reference_rates" / "late_payment.yaml")
        ),
        "TEMPLATES_DIR": Path(os.environ["TEMPLATES_DIR"]) if os.environ.get("TEMPLATES_DIR") else None,
        # Bodies over 1 MiB are refused with 413 before any parsing happens.
        "MAX_CONTENT_LENGTH": 1024 * 1024,
        # Per API key; use a shared store (e.g. redis://) when several processes serve.
        "RATE_LIMIT": os.environ.get("RATE_LIMIT", "600 per minute"),
        "RATELIMIT_STORAGE_URI": os.environ.get("RATELIMIT_STORAGE_URI", "local://"),
        # Failed authentications per client address, counted in memory before any lookup.
        # The Ed25519 key that signs record heads: outside the database, created on first start.
        "RECORD_SIGNING_KEY": Path(os.environ.get("RECORD_SIGNING_KEY", ROOT / "var" / "record-signing.key")),
        "FAILED_AUTH_LIMIT": os.environ.get("FAILED_AUTH_LIMIT", "20 per minute"),
    }
