"""The HTTP client the provider adapters share: httpx on a network layer of plain asyncio streams.

httpx hands connections to httpcore, whose default network layer goes through anyio: each read and write
opens a cancel scope (a `current_task` lookup and a timer), and before each request the pool asks every idle
kept-alive connection "did the server hang up?", which anyio answers by building the stream's attribute
table (a `getpeername` system call among it) and polling the socket. With a property's 16 sends in flight to
one provider, that was a large part of a delivery worker's CPU per SMS in a burst (bench/README.md, sessions 4
and 5). Here the streams are asyncio's own: the event loop already reads every socket as data or the end of
the stream arrives, so "did the server hang up?" is a look at the stream's state, without a system call, and
a timeout is asyncio's.

httpx has no parameter for httpcore's pool or network backend, so the transport replaces the pool it built
with a `ConnectionStack` (adapters/connection_stack.py: httpcore's pool walked all its connections and
waiting requests on every request and response, about half of a call's CPU at 16 in flight) made with the
same TLS context and limits. The connections are httpcore's, so respx, which also replaces their request
handling in tests, still sees every request.
"""

# ruff: noqa: ASYNC109 - the `timeout` parameters are httpcore's network-stream interface

from __future__ import annotations

import asyncio
import contextlib
import functools
import socket
import ssl
from asyncio import staggered
from collections.abc import Coroutine, Iterable
from http.cookiejar import Cookie, CookieJar
from typing import Any

import httpcore
import httpx

from adapters.connection_stack import ConnectionStack

DEFAULT_TIMEOUT = httpx.Timeout(15.0, connect=5.0)
# a property's burst has up to DELIVERY_SLOTS_PER_PROPERTY (64) calls in flight to one provider: httpx's
# default of 20 idle connections kept closed most of them after each answer and opened them again (a TLS
# handshake each, with a real provider). Several properties may burst at once through one worker's client.
LIMITS = httpx.Limits(max_connections=200, max_keepalive_connections=100, keepalive_expiry=5.0)


def make_http_client(
    timeout: httpx.Timeout = DEFAULT_TIMEOUT, *, verify: ssl.SSLContext | bool = True
) -> httpx.AsyncClient:
    return httpx.AsyncClient(timeout=timeout, transport=_Transport(verify), cookies=NoCookies())


class NoCookies(CookieJar):
    """The client calls every property's providers: a cookie one answer sets (a load balancer's, say) must not
    ride on the next property's request, and no provider API we call needs one. httpx files every response's
    cookies in the client's jar; this jar keeps none."""

    def extract_cookies(self, response: Any, request: Any) -> None:
        return None

    def set_cookie(self, cookie: Cookie) -> None:
        return None


class _Transport(httpx.AsyncHTTPTransport):
    def __init__(self, verify: ssl.SSLContext | bool) -> None:
        super().__init__(verify=verify, limits=LIMITS)
        built: Any = self._pool
        # httpx builds httpcore's pool from its settings (TLS context, limits); the same settings go to ours.
        # They are the pool's private attributes: an httpcore that moved them fails here, at start-up
        try:
            settings = {
                "ssl_context": built._ssl_context,
                "max_connections": built._max_connections,
                "max_keepalive_connections": built._max_keepalive_connections,
                "keepalive_expiry": built._keepalive_expiry,
            }
        except AttributeError as exc:
            raise RuntimeError(f"httpcore's connection pool changed: {exc}") from exc
        self._pool = ConnectionStack(network_backend=AsyncioBackend(), **settings)  # type: ignore[assignment]


class AsyncioStream(httpcore.AsyncNetworkStream):
    def __init__(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self._reader = reader
        self._writer = writer

    async def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        try:
            async with asyncio.timeout(timeout):
                return await self._reader.read(max_bytes)
        except TimeoutError as exc:
            raise httpcore.ReadTimeout(str(exc) or "read timed out") from exc
        except OSError as exc:
            raise httpcore.ReadError(str(exc)) from exc

    async def write(self, buffer: bytes, timeout: float | None = None) -> None:
        if not buffer:
            return
        try:
            self._writer.write(buffer)
            if self._writer.transport.get_write_buffer_size():  # only wait when the socket could not take it all
                async with asyncio.timeout(timeout):
                    await self._writer.drain()
        except TimeoutError as exc:
            raise httpcore.WriteTimeout(str(exc) or "write timed out") from exc
        except (OSError, RuntimeError) as exc:  # RuntimeError: written to a transport already closed
            raise httpcore.WriteError(str(exc)) from exc

    async def aclose(self) -> None:
        self._writer.close()
        with contextlib.suppress(OSError, ssl.SSLError):  # closing a connection the other side already dropped
            await self._writer.wait_closed()

    async def start_tls(
        self, ssl_context: ssl.SSLContext, server_hostname: str | None = None, timeout: float | None = None
    ) -> httpcore.AsyncNetworkStream:
        try:
            async with asyncio.timeout(timeout):
                await self._writer.start_tls(ssl_context, server_hostname=server_hostname)
        except TimeoutError as exc:
            raise httpcore.ConnectTimeout(str(exc) or "TLS handshake timed out") from exc
        except (OSError, ssl.SSLError) as exc:
            raise httpcore.ConnectError(str(exc)) from exc
        return self

    def get_extra_info(self, info: str) -> Any:
        if info == "is_readable":
            return self._hung_up()
        names = {"ssl_object": "ssl_object", "client_addr": "sockname", "server_addr": "peername", "socket": "socket"}
        return self._writer.get_extra_info(names[info]) if info in names else None

    def _hung_up(self) -> bool:
        """What httpcore's check is for: an idle connection the server closed, or one with bytes nobody asked
        for. The loop has already read whatever arrived, so the stream's state answers it."""
        unread = getattr(self._reader, "_buffer", b"")  # StreamReader keeps what arrived there
        return (
            self._writer.transport.is_closing()
            or self._reader.at_eof()
            or self._reader.exception() is not None
            or bool(unread)
        )


class AsyncioBackend(httpcore.AsyncNetworkBackend):
    async def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[Any] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        local = (local_address, 0) if local_address else None
        return await _connected(_happy_eyeballs(host, port, local), timeout, socket_options)

    async def connect_unix_socket(
        self, path: str, timeout: float | None = None, socket_options: Iterable[Any] | None = None
    ) -> httpcore.AsyncNetworkStream:
        return await _connected(asyncio.open_unix_connection(path), timeout, socket_options)

    async def sleep(self, seconds: float) -> None:
        await asyncio.sleep(seconds)


# RFC 8305: a name with several addresses (IPv6 and IPv4) is tried one address after another, the next starting
# 250 ms after the previous unless it failed sooner, so an address that swallows packets does not eat the whole
# connect timeout. anyio did this for httpx; uvloop's create_connection has no happy_eyeballs_delay, so it is
# done here with asyncio's own staggered race.
HAPPY_EYEBALLS_DELAY = 0.25

Streams = tuple[asyncio.StreamReader, asyncio.StreamWriter]


async def _happy_eyeballs(host: str, port: int, local: tuple[str, int] | None) -> Streams:
    infos = await asyncio.get_running_loop().getaddrinfo(host, port, type=socket.SOCK_STREAM)
    addresses = _interleaved([(family, str(info[0])) for family, _, _, _, info in infos])
    if len(addresses) <= 1:
        return await _open_one(addresses[0] if addresses else host, port, local)
    attempts = [functools.partial(_open_one, address, port, local) for address in addresses]
    opened, _, errors = await staggered.staggered_race(attempts, HAPPY_EYEBALLS_DELAY)
    if opened is None:
        raise next((e for e in reversed(errors) if e is not None), OSError(f"could not connect to {host}"))
    return opened  # type: ignore[no-any-return]


async def _open_one(address: str, port: int, local: tuple[str, int] | None) -> Streams:
    return await asyncio.open_connection(address, port, local_addr=local)


def _interleaved(found: list[tuple[int, str]]) -> list[str]:
    """Addresses in resolver order, alternating families from the first one's (RFC 8305, section 4)."""
    first = [a for f, a in found if f == found[0][0]] if found else []
    other = [a for f, a in found if found and f != found[0][0]]
    mixed = [a for pair in zip(first, other, strict=False) for a in pair]
    rest = first[len(other) :] + other[len(first) :]
    return list(dict.fromkeys(mixed + rest))


async def _connected(
    opening: Coroutine[Any, Any, Streams], timeout: float | None, socket_options: Iterable[Any] | None
) -> AsyncioStream:
    """The opened connection as httpcore's stream, with httpcore's errors for a timeout or a refusal."""
    try:
        async with asyncio.timeout(timeout):
            reader, writer = await opening
    except TimeoutError as exc:
        raise httpcore.ConnectTimeout(str(exc) or "connection timed out") from exc
    except OSError as exc:
        raise httpcore.ConnectError(str(exc)) from exc
    sock = writer.get_extra_info("socket")
    for option in socket_options or ():
        sock.setsockopt(*option)
    return AsyncioStream(reader, writer)
