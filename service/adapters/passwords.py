"""Password hashes with argon2id (argon2-cffi's defaults, RFC 9106's second recommendation)."""

from __future__ import annotations

from argon2 import Parameters, PasswordHasher, profiles
from argon2.exceptions import InvalidHashError, VerificationError

# What a deployment uses (argon2-cffi's own default): 64 MiB, 3 passes, 4 lanes, ~0.2 s of CPU.
STRONG = profiles.RFC_9106_LOW_MEMORY


class Argon2Passwords:
    def __init__(self, parameters: Parameters = STRONG) -> None:
        self.parameters = parameters  # the cost of new hashes; a stored hash is verified with its own
        self._hasher = PasswordHasher.from_parameters(parameters)
        # Verified when the e-mail names no user, so a missing user costs as long as a wrong password.
        self._decoy = self._hasher.hash("decoy password, never a user's")

    def hash(self, password: str) -> str:
        return self._hasher.hash(password)

    def verify(self, password_hash: str | None, password: str) -> bool:
        try:
            return self._hasher.verify(password_hash or self._decoy, password) and password_hash is not None
        except (VerificationError, InvalidHashError):
            return False
