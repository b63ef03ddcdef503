"""The HTTP client the provider adapters share: httpx, with a cheaper "did the server hang up?" check.

Before each request and after each response, httpcore's pool asks every idle kept-alive connection whether
its socket is readable (a server that closed it). Through anyio, each question builds the stream's whole
attribute table, a `getpeername` system call among it, before the poll itself. With a property's 16 sends
in flight to one provider that is 16 idle connections asked twice per send: 40 % of a worker's CPU per SMS
in a burst (bench/README.md, session 4). The streams here keep their socket and only poll it.

httpx has no parameter for httpcore's network backend, so the transport sets it on the pool it built; the
pool, the limits and the rest are httpx's own.
"""

# ruff: noqa: ASYNC109 - the `timeout` parameters are httpcore's network-stream interface

from __future__ import annotations

import select
import socket
import ssl
from collections.abc import Iterable
from typing import Any

import httpcore
import httpx

DEFAULT_TIMEOUT = httpx.Timeout(15.0, connect=5.0)


def make_http_client(timeout: httpx.Timeout = DEFAULT_TIMEOUT) -> httpx.AsyncClient:
    return httpx.AsyncClient(timeout=timeout, transport=_Transport())


class _Transport(httpx.AsyncHTTPTransport):
    def __init__(self) -> None:
        super().__init__()
        pool: Any = self._pool
        pool._network_backend = _Backend(pool._network_backend)


def _readable(sock: socket.socket) -> bool:
    """httpcore's own test: readable now (data, or the end of the stream) without waiting."""
    if sock.fileno() == -1:
        return True
    poller = select.poll()
    poller.register(sock, select.POLLIN)
    return bool(poller.poll(0))


class _Stream(httpcore.AsyncNetworkStream):
    def __init__(self, inner: httpcore.AsyncNetworkStream) -> None:
        self._inner = inner
        self._socket: socket.socket | None = inner.get_extra_info("socket")

    async def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        return await self._inner.read(max_bytes, timeout)

    async def write(self, buffer: bytes, timeout: float | None = None) -> None:
        await self._inner.write(buffer, timeout)

    async def aclose(self) -> None:
        await self._inner.aclose()

    async def start_tls(
        self, ssl_context: ssl.SSLContext, server_hostname: str | None = None, timeout: float | None = None
    ) -> httpcore.AsyncNetworkStream:
        return _Stream(await self._inner.start_tls(ssl_context, server_hostname, timeout))

    def get_extra_info(self, info: str) -> Any:
        if info == "is_readable" and self._socket is not None:
            return _readable(self._socket)
        return self._inner.get_extra_info(info)


class _Backend(httpcore.AsyncNetworkBackend):
    def __init__(self, inner: httpcore.AsyncNetworkBackend) -> None:
        self._inner = inner

    async def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[Any] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        return _Stream(await self._inner.connect_tcp(host, port, timeout, local_address, socket_options))

    async def connect_unix_socket(
        self, path: str, timeout: float | None = None, socket_options: Iterable[Any] | None = None
    ) -> httpcore.AsyncNetworkStream:
        return _Stream(await self._inner.connect_unix_socket(path, timeout, socket_options))

    async def sleep(self, seconds: float) -> None:
        await self._inner.sleep(seconds)
