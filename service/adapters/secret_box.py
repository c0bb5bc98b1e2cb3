"""Secrets at rest (a tenant's SMTP password): Fernet, with keys from the deployment's settings.

``SMTP_SECRET_KEYS`` holds one or more Fernet keys, comma-separated: the first encrypts, every
one decrypts. To rotate, put a new key first, run ``flask --app service rotate-secrets`` (which
re-encrypts every stored secret with it), then drop the old key.
"""

from __future__ import annotations

from cryptography.fernet import Fernet, InvalidToken, MultiFernet


class SecretBox:
    def __init__(self, keys: str) -> None:
        fernets = [Fernet(key.strip().encode()) for key in keys.split(",") if key.strip()]
        if not fernets:
            raise ValueError("SMTP_SECRET_KEYS holds no key; make one with Fernet.generate_key()")
        self._box = MultiFernet(fernets)

    def __repr__(self) -> str:
        return "SecretBox(<keys hidden>)"

    def seal(self, secret: str) -> str:
        return self._box.encrypt(secret.encode()).decode()

    def open(self, token: str) -> str:
        try:
            return self._box.decrypt(token.encode()).decode()
        except InvalidToken as exc:
            raise ValueError("a stored secret cannot be decrypted with the configured keys") from exc

    def rotate(self, token: str) -> str:
        return self._box.rotate(token.encode()).decode()
