"""`make run`: the whole product on one machine with no configuration.

Starts the embedded PostgreSQL and Redis unless DATABASE_URL / REDIS_URL are set, migrates,
seeds the demo on first start, then serves the API, the SPA and the sandbox providers, with an
arq worker beside it. Ctrl-C, SIGTERM or SIGHUP stops everything.
"""

from __future__ import annotations

import asyncio
import errno
import os
import signal
import socket
import subprocess
import sys
from pathlib import Path

import uvicorn

from adapters.crypto.fernet_secret_box import load_or_create_key
from adapters.embedded.servers import EmbeddedServers, start_embedded
from api.app import create_app
from api.container import build_container
from api.demo_seed import DEMO_EMAIL, point_demo_at_this_sandbox, seed_demo
from api.gc_tuning import tune_garbage_collector
from api.migrate import upgrade_to_head
from api.observability import configure_logging
from api.settings import Settings
from workers.parent import PARENT_ENV


def resolve(settings: Settings) -> tuple[Settings, EmbeddedServers | None]:
    """Fill in what the embedded default provides; nothing embedded starts when URLs are given."""
    need_db, need_redis = settings.database_url is None, settings.redis_url is None
    embedded = (
        start_embedded(settings.data_dir, need_db=need_db, need_redis=need_redis) if (need_db or need_redis) else None
    )
    updates: dict[str, object] = {}
    if embedded and need_db:
        updates["database_url"] = embedded.database_url
    if embedded and need_redis:
        updates["redis_url"] = embedded.redis_url
    if settings.encryption_key is None:
        updates["encryption_key"] = load_or_create_key(settings.data_dir)
    if settings.sandbox and settings.airbnb_client_id is None:
        sandbox_airbnb = f"{settings.base_url}/sandbox/airbnb"
        updates.update(
            airbnb_client_id="sandbox-client",
            airbnb_api_base_url=sandbox_airbnb,
            airbnb_authorize_url=sandbox_airbnb,
            airbnb_client_secret=load_or_create_key(settings.data_dir, "airbnb-client-secret"),
            airbnb_webhook_secret=load_or_create_key(settings.data_dir, "airbnb-webhook-secret"),
        )
    if settings.sandbox and settings.meta_app_secret is None:
        # the sandbox signs its WhatsApp callbacks with the deployment's app secret, as Meta would
        updates["meta_app_secret"] = load_or_create_key(settings.data_dir, "meta-app-secret")
    return settings.model_copy(update=updates), embedded


def _child_env(settings: Settings) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        {
            "DATABASE_URL": settings.database_url or "",
            "REDIS_URL": settings.redis_url or "",
            "GMC_ENCRYPTION_KEY": settings.encryption_key or "",
            "PORT": str(settings.port),
            "HOST": settings.host,
            PARENT_ENV: str(os.getpid()),  # the worker stops when this process goes, however it goes
        }
    )
    if settings.public_base_url:
        env["PUBLIC_BASE_URL"] = settings.public_base_url
    # what resolve() filled in for the embedded default, so the worker sees the same configuration
    for name in (
        "meta_app_secret",
        "airbnb_client_id",
        "airbnb_client_secret",
        "airbnb_api_base_url",
        "airbnb_authorize_url",
        "airbnb_webhook_secret",
    ):
        value = getattr(settings, name)
        if value:
            env[name.upper()] = str(value)
    return env


async def _seed(settings: Settings) -> None:
    container = build_container(settings)
    try:
        password = await seed_demo(container)
        await point_demo_at_this_sandbox(container)
    finally:
        await container.aclose()
    login_file = settings.data_dir / "demo-login.txt"
    if password:
        settings.data_dir.mkdir(parents=True, exist_ok=True)
        login_file.write_text(f"{DEMO_EMAIL}\n{password}\n")
        login_file.chmod(0o600)
    if login_file.exists():
        email, pw = login_file.read_text().split()[:2]
        print(f"\n  Demo login:  {email}  /  {pw}\n  Open http://{settings.host}:{settings.port}/\n", flush=True)


def _stop_on_terminate(signum: int, _frame: object) -> None:
    """SIGTERM (`kill`, a service manager, `timeout`) and SIGHUP (the terminal closed) stop the product as Ctrl-C
    does: through `main`'s `finally`, which stops the worker and the embedded servers. By default either signal
    ends the process on the spot and leaves them running, orphaned. uvicorn answers SIGTERM with its graceful
    shutdown, then raises the signal again against this handler."""
    raise SystemExit(0)


def port_in_use(host: str, port: int) -> bool:
    """Whether something already listens there; asked before anything starts, so a busy port is one clear line
    instead of a demo login printed for an address that is not ours, and a worker stopped half-started."""
    with socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET) as probe:
        # as uvicorn binds: a connection of an earlier run still closing is no obstacle
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError as exc:
            return exc.errno == errno.EADDRINUSE
    return False


def main() -> None:
    signal.signal(signal.SIGTERM, _stop_on_terminate)
    signal.signal(signal.SIGHUP, _stop_on_terminate)
    wanted = Settings()
    if port_in_use(wanted.host, wanted.port):
        sys.exit(
            f"Port {wanted.port} on {wanted.host} is already in use. Stop what listens there, "
            f"or choose another port: PORT={wanted.port + 1} make run"
        )
    settings, embedded = resolve(wanted)
    configure_logging(settings.log_level)
    worker: subprocess.Popen[bytes] | None = None
    try:
        upgrade_to_head(settings.database_url or "")
        if settings.sandbox:
            from sandbox.smtp import default_capture

            default_capture().start()  # before the seed, which connects the demo's e-mail to it
        if settings.demo_seed:
            asyncio.run(_seed(settings))
        worker = subprocess.Popen([sys.executable, "-m", "workers"], env=_child_env(settings), cwd=Path.cwd())
        app = create_app(settings)
        tune_garbage_collector()  # the app built, so its routes and models are frozen with the rest
        # uvicorn's own access log writes the raw path, secrets in it included (an invitation link's token);
        # the API logs one line per request itself, with the route's template instead
        uvicorn.run(
            app,
            host=settings.host,
            port=settings.port,
            log_config=None,
            access_log=False,
            timeout_graceful_shutdown=5,
        )
    finally:
        if worker and worker.poll() is None:
            worker.send_signal(signal.SIGINT)
            try:
                worker.wait(timeout=10)
            except subprocess.TimeoutExpired:
                worker.kill()
        if embedded:
            embedded.stop()


if __name__ == "__main__":
    main()
