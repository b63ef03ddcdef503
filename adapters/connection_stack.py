"""A connection pool for the provider client: each origin's idle kept-alive connections in a stack.

httpcore's pool keeps one list of waiting requests and one of connections, and on every request and every
response closed it walks both to hand connections to requests (`_assign_requests_to_connections`). With a
property's 16 sends in flight to one provider, those walks were about a fifth of each provider call's CPU in a
delivery worker (py-spy, bench/README.md session 7). Here a request takes the idle connection used last for its
origin (or opens one) and gives it back when its response is closed: no walk, no queue of requests, a
semaphore for the connection limit.

The connections themselves are httpcore's (`AsyncHTTPConnection`: HTTP/1.1 through h11, on the network
backend given), so requests, responses, timeouts and errors are exactly httpcore's, and respx, which also
replaces `AsyncHTTPConnection.handle_async_request` in tests, still sees every request. HTTP/1.1 only: the
providers we call speak it, and a request never shares a connection with another in flight.
"""

from __future__ import annotations

import asyncio
import ssl
from collections.abc import AsyncIterable, AsyncIterator
from typing import cast

import httpcore


class ConnectionStack:
    def __init__(
        self,
        *,
        ssl_context: ssl.SSLContext | None,
        network_backend: httpcore.AsyncNetworkBackend,
        max_connections: int | None = 100,
        max_keepalive_connections: int | None = 20,
        keepalive_expiry: float | None = 5.0,
    ) -> None:
        self._ssl_context = ssl_context
        self._network_backend = network_backend
        self._keepalive_expiry = keepalive_expiry
        self._max_idle = max_keepalive_connections if max_keepalive_connections is not None else 1 << 30
        self._slots = asyncio.Semaphore(max_connections) if max_connections is not None else None
        self._idle: dict[tuple[bytes, bytes, int], list[httpcore.AsyncHTTPConnection]] = {}
        self._closed = False

    async def __aenter__(self) -> ConnectionStack:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.aclose()

    async def handle_async_request(self, request: httpcore.Request) -> httpcore.Response:
        if request.url.scheme not in (b"http", b"https"):
            raise httpcore.UnsupportedProtocol(f"Request URL has an unsupported protocol '{request.url.scheme!r}'.")
        await self._take_slot(request.extensions.get("timeout", {}).get("pool"))
        connection: httpcore.AsyncHTTPConnection | None = None
        try:
            connection = await self._connection_for(request.url.origin)
            response = await connection.handle_async_request(request)
        except BaseException:
            try:
                if connection is not None:
                    await connection.aclose()
            finally:
                self._free_slot()  # whatever closing did: a lost slot would shrink the limit for good
            raise
        return httpcore.Response(
            status=response.status,
            headers=response.headers,
            # an async request's body is async (httpcore's pool says the same with an assert)
            content=_GivenBackOnClose(
                cast(AsyncIterable[bytes], response.stream), self, connection, request.url.origin
            ),
            extensions=response.extensions,
        )

    async def aclose(self) -> None:
        self._closed = True
        idle = [connection for stack in self._idle.values() for connection in stack]
        self._idle.clear()
        for connection in idle:
            await connection.aclose()

    async def _take_slot(self, wait: float | None) -> None:
        if self._slots is None:
            return
        if not self._slots.locked():
            await self._slots.acquire()  # free: no waiting, no timer
            return
        try:
            async with asyncio.timeout(wait):
                await self._slots.acquire()
        except TimeoutError as exc:
            raise httpcore.PoolTimeout("no connection became free in time") from exc

    def _free_slot(self) -> None:
        if self._slots is not None:
            self._slots.release()

    async def _connection_for(self, origin: httpcore.Origin) -> httpcore.AsyncHTTPConnection:
        """The idle connection used last for this origin (the warmest), once the server is known not to have
        closed it; else a new one, which connects when the request is sent."""
        stack = self._idle.get(_key(origin))
        while stack:
            connection = stack.pop()
            if connection.is_available() and not connection.has_expired():
                return connection
            await connection.aclose()
        return httpcore.AsyncHTTPConnection(
            origin=origin,
            ssl_context=self._ssl_context,
            keepalive_expiry=self._keepalive_expiry,
            network_backend=self._network_backend,
        )

    async def _give_back(self, connection: httpcore.AsyncHTTPConnection, origin: httpcore.Origin) -> None:
        self._free_slot()
        stack = self._idle.setdefault(_key(origin), [])
        if not self._closed and connection.is_available() and len(stack) < self._max_idle:
            stack.append(connection)
        else:
            await connection.aclose()


def _key(origin: httpcore.Origin) -> tuple[bytes, bytes, int]:
    return origin.scheme, origin.host, origin.port  # httpcore's Origin compares equal but does not hash


class _GivenBackOnClose:
    """A response's body that gives its connection back to the stack once it is closed (read or not)."""

    def __init__(
        self,
        stream: AsyncIterable[bytes],
        stack: ConnectionStack,
        connection: httpcore.AsyncHTTPConnection,
        origin: httpcore.Origin,
    ) -> None:
        self._stream, self._stack, self._connection, self._origin = stream, stack, connection, origin
        self._closed = False

    async def __aiter__(self) -> AsyncIterator[bytes]:
        try:
            async for part in self._stream:
                yield part
        except BaseException:
            await self.aclose()
            raise

    async def aclose(self) -> None:
        if self._closed:
            return
        self._closed = True
        try:
            closing = getattr(self._stream, "aclose", None)
            if closing is not None:
                await closing()
        finally:
            # a connection whose response was not closed cleanly is not idle: the stack closes it
            await self._stack._give_back(self._connection, self._origin)  # noqa: SLF001 - the stack's own stream
