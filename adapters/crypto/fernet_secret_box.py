from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from cryptography.fernet import Fernet


class FernetSecretBox:
    """Encrypts provider secrets (tokens, auth tokens, passwords) before they reach the database."""

    # opened secrets remembered by their sealed form (a changed secret is a new sealed form): every signed
    # status callback of a burst checks the same account's auth token, and decrypting it each time was a
    # twentieth of the API's CPU. Bounded; the plaintexts are in this process's memory whenever used anyway.
    REMEMBERED = 256

    def __init__(self, key: str | bytes) -> None:
        self._fernet = Fernet(key)
        self._opened: dict[bytes, str] = {}

    def seal(self, secrets: dict[str, Any]) -> bytes:
        return self._fernet.encrypt(json.dumps(secrets).encode())

    def open(self, token: bytes | None) -> dict[str, Any]:
        if not token:
            return {}
        sealed = bytes(token)
        plain = self._opened.get(sealed)
        if plain is None:
            plain = self._fernet.decrypt(sealed).decode()  # raises for a token of another key, never remembered
            if len(self._opened) >= self.REMEMBERED:
                self._opened.pop(next(iter(self._opened)))  # the oldest first
            self._opened[sealed] = plain
        return dict(json.loads(plain))  # a fresh dict each time: callers may change theirs


def load_or_create_key(data_dir: Path, name: str = "encryption.key") -> str:
    """The embedded default keeps its keys beside its data, readable only by their owner."""
    path = data_dir / name
    if path.exists():
        return path.read_text().strip()
    data_dir.mkdir(parents=True, exist_ok=True)
    key = Fernet.generate_key().decode()
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as handle:
        handle.write(key)
    return key
