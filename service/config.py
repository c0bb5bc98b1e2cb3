"""Settings from the environment, with defaults that run on a fresh machine."""

from __future__ import annotations

import os
import shutil
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
        # The desk's sentences and the workflow's labels; a workflow of one's own needs its labels.
        "DESK_WORDING_DIR": Path(os.environ["DESK_WORDING_DIR"])
        if os.environ.get("DESK_WORDING_DIR")
        else None,
        # Bodies over 1 MiB are refused with 413 before any parsing happens.
        "MAX_CONTENT_LENGTH": 1024 * 1024,
        # Per API key; use a shared store (e.g. redis://) when several processes serve.
        "RATE_LIMIT": os.environ.get("RATE_LIMIT", "600 per minute"),
        "RATELIMIT_STORAGE_URI": os.environ.get("RATELIMIT_STORAGE_URI", "local://"),
        # The Ed25519 key that signs record heads: outside the database, created on first start.
        "RECORD_SIGNING_KEY": Path(os.environ.get("RECORD_SIGNING_KEY", ROOT / "var" / "record-signing.key")),
        # Failed authentications per key prefix and per client address, counted in memory.
        "FAILED_AUTH_LIMIT": os.environ.get("FAILED_AUTH_LIMIT", "20 per minute"),
        # Proxies in front that append to X-Forwarded-For (1 behind the README's nginx); 0: the
        # header is ignored and the client is the connection's peer.
        "TRUSTED_PROXIES": int(os.environ.get("TRUSTED_PROXIES", "0")),
        # smtp://user:pass@host:587 (STARTTLS) or smtps://user:pass@host:465; unset: nothing is sent.
        "SMTP_URL": os.environ.get("SMTP_URL") or None,
        "SMTP_CA_FILE": os.environ.get("SMTP_CA_FILE") or None,
        # Fernet keys sealing tenants' SMTP passwords; the first encrypts (see adapters/secret_box.py).
        "SMTP_SECRET_KEYS": os.environ.get("SMTP_SECRET_KEYS") or None,
        # Attach a PDF copy of each notice beside the .docx: on when LibreOffice is installed.
        "MESSAGE_PDF_COPY": os.environ.get("MESSAGE_PDF_COPY", "1" if shutil.which("soffice") else "0")
        == "1",
        # Webhooks to loopback/private/link-local addresses are refused unless this is 1
        # (tests, or a self-hosted receiver on the same network).
        "WEBHOOK_ALLOW_PRIVATE_TARGETS": os.environ.get("WEBHOOK_ALLOW_PRIVATE_TARGETS") == "1",
        # Seconds one webhook post may take in all (connect, send, the whole answer): at most 30.
        "WEBHOOK_TOTAL_TIMEOUT_SECONDS": float(os.environ.get("WEBHOOK_TOTAL_TIMEOUT_SECONDS", "30")),
        # Retention (the clock prunes after each tick; `flask --app service prune` by hand): outbox
        # rows fanned out this many days ago with every delivery finished, and idempotency answers
        # this many hours old (at least 24). The record and the documents are never pruned.
        "RETAIN_DELIVERED_WEBHOOKS_DAYS": float(os.environ.get("RETAIN_DELIVERED_WEBHOOKS_DAYS", "30")),
        "RETAIN_IDEMPOTENCY_KEYS_HOURS": float(os.environ.get("RETAIN_IDEMPOTENCY_KEYS_HOURS", "24")),
        # The desk's cookie signing key (CSRF tokens): a file made on first start, shared by workers.
        # The desk's pictures of documents' first pages, one file per PDF digest (a cache: deletable).
        "PREVIEW_CACHE_DIR": Path(os.environ.get("PREVIEW_CACHE_DIR", ROOT / "var" / "previews")),
        "DESK_SECRET_KEY_FILE": Path(
            os.environ.get("DESK_SECRET_KEY_FILE", ROOT / "var" / "desk-secret.key")
        ),
        # The service's address as clients reach it: portal links in e-mails begin with it.
        "PUBLIC_URL": os.environ.get("PUBLIC_URL", "http://127.0.0.1:8000").rstrip("/"),
        # Failed desk sign-ins, counted per e-mail and per client address.
        "SIGNIN_LIMIT": os.environ.get("SIGNIN_LIMIT", "10 per 15 minutes"),
    }
