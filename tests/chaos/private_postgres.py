"""A private PostgreSQL (pgserver's binaries) on a loopback port that a test may stop and start at will.

The machine's shared PostgreSQL is never touched: chaos tests crash this one instead.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import stat
import subprocess
from pathlib import Path

from pgserver._commands import POSTGRES_BIN_PATH


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class PrivatePostgres:
    """initdb in a folder, then `start()`, `crash()` (immediate stop, as a killed server) and `start()` again."""

    SYSTEM_USER = "pgserver"  # PostgreSQL refuses to run as root; pgserver's own user is reused

    def __init__(self, folder: Path) -> None:
        self.folder = folder.resolve()
        self.data = self.folder / "pgdata"
        self.port = _free_port()
        self._as_root = os.geteuid() == 0

    @property
    def url(self) -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}/postgres"

    def _run(self, tool: str, *args: str, timeout: float = 60) -> None:
        command = [str(POSTGRES_BIN_PATH / tool), *args]
        kwargs: dict[str, object] = {"user": self.SYSTEM_USER} if self._as_root else {}
        subprocess.run(
            command, check=True, timeout=timeout, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, **kwargs
        )

    def init(self) -> PrivatePostgres:
        self.folder.mkdir(parents=True, exist_ok=True)
        if self._as_root:
            from pgserver.utils import ensure_prefix_permissions, ensure_user_exists

            entry = ensure_user_exists(self.SYSTEM_USER)
            ensure_prefix_permissions(self.folder)
            self.folder.chmod(self.folder.stat().st_mode | stat.S_IRWXG | stat.S_IRWXO)
            self.data.mkdir(exist_ok=True)
            assert entry is not None
            os.chown(self.data, entry.pw_uid, entry.pw_gid)
        self._run("initdb", "-D", str(self.data), "--auth=trust", "--encoding=utf8", "-U", "postgres")
        return self

    def start(self) -> None:
        options = f"-h 127.0.0.1 -p {self.port} -k {self.folder} -c max_connections=200 -c fsync=off"
        self._run("pg_ctl", "-D", str(self.data), "-w", "-o", options, "-l", str(self.folder / "pg.log"), "start")

    def crash(self) -> None:
        """Stops at once, without a checkpoint, dropping every connection: what a killed server does."""
        self._run("pg_ctl", "-D", str(self.data), "-m", "immediate", "-w", "stop")

    def remove(self) -> None:
        with contextlib.suppress(subprocess.CalledProcessError):  # already stopped
            self.crash()
        shutil.rmtree(self.folder, ignore_errors=True)
