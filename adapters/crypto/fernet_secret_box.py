from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from cryptography.fernet import Fernet


class FernetSecretBox:
    """Encrypts provider secrets (tokens, auth tokens, passwords) before they reach the database."""

    def __init__(self, key: str | bytes) -> None:
        self._fernet = Fernet(key)

    def seal(self, secrets: dict[str, Any]) -> bytes:
        return self._fernet.encrypt(json.dumps(secrets).encode())

    def open(self, token: bytes | None) -> dict[str, Any]:
        if not token:
            return {}
        return dict(json.loads(self._fernet.decrypt(token)))


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
