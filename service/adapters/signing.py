"""The server's signature on each record's chain head: Ed25519, with the key in a file outside
the database, so someone who can write to the database cannot forge a consistent chain.

The key file is created on first start, readable by its owner only. Rotation: README, "Signed
record heads".
"""

from __future__ import annotations

import base64
import hashlib
from pathlib import Path

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from service.adapters.key_files import read_or_create
from service.domain.record import head_message


class HeadSigner:
    def __init__(self, key: Ed25519PrivateKey) -> None:
        self._key = key
        self.public_key: Ed25519PublicKey = key.public_key()
        raw = self.public_key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
        self.key_id = hashlib.sha256(raw).hexdigest()[:16]
        self.public_key_pem = self.public_key.public_bytes(
            serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
        ).decode()

    @classmethod
    def from_file(cls, path: Path) -> HeadSigner:
        """Load the key at ``path``, creating it (mode 0600, never overwriting) on first start."""
        pem = read_or_create(
            path,
            lambda: Ed25519PrivateKey.generate().private_bytes(
                serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
            ),
        )
        key = serialization.load_pem_private_key(pem, password=None)
        if not isinstance(key, Ed25519PrivateKey):
            raise ValueError(f"{path} does not hold an Ed25519 private key")
        return cls(key)

    def sign(self, engagement_id: int, seq: int, head: str) -> str:
        return base64.b64encode(self._key.sign(head_message(engagement_id, seq, head))).decode()

    def verifies(self, engagement_id: int, seq: int, head: str, signature: str) -> bool:
        return verify_with(self.public_key, engagement_id, seq, head, signature)


def verify_with(key: Ed25519PublicKey, engagement_id: int, seq: int, head: str, signature: str) -> bool:
    try:
        key.verify(base64.b64decode(signature, validate=True), head_message(engagement_id, seq, head))
    except (InvalidSignature, ValueError):
        return False
    return True
