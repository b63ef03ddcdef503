"""The fake providers' own HTTP client for status callbacks: a few kept-alive HTTP/1.1 connections.

A real provider posts its callbacks from its own machines; ours runs beside the product, so what it spends
per callback is taken from the product under test. httpx costs a few milliseconds of CPU per request here
(its connection pool checks every idle connection's socket on each request), which made the fake Twilio a
quarter of the machine in a burst of sends (bench/README.md, session 4). This client does only what a
callback needs: a form POST, the status code back, the connection kept for the next one. h11 does the
HTTP parsing (it is what httpx and uvicorn use underneath).
"""

from __future__ import annotations

import asyncio
import ssl
from dataclasses import dataclass
from urllib.parse import urlencode, urlsplit

import h11

Origin = tuple[str, str, int]


@dataclass
class _Connection:
    reader: asyncio.StreamReader
    writer: asyncio.StreamWriter
    http: h11.Connection

    def close(self) -> None:
        self.writer.close()


class CallbackPoster:
    def __init__(self, timeout: float = 15.0) -> None:
        self._timeout = timeout
        self._idle: dict[Origin, list[_Connection]] = {}

    async def post_form(self, url: str, form: dict[str, str], headers: dict[str, str]) -> int:
        """POSTs `form` url-encoded and answers the response's status code. A kept-alive connection the
        server has closed meanwhile is retried once on a fresh one (our callbacks are idempotent)."""
        parts = urlsplit(url)
        port = parts.port or (443 if parts.scheme == "https" else 80)
        origin: Origin = (parts.scheme, parts.hostname or "", port)
        target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        body = urlencode(form).encode()
        head = [
            ("Host", parts.netloc),
            ("Content-Type", "application/x-www-form-urlencoded"),
            ("Content-Length", str(len(body))),
            *headers.items(),
        ]
        for reused in (True, False):
            connection = self._take_idle(origin) if reused else None
            if reused and connection is None:
                continue
            connection = connection or await self._open(origin)
            try:
                status = await asyncio.wait_for(self._exchange(connection, target, head, body), self._timeout)
            except (OSError, h11.ProtocolError, asyncio.IncompleteReadError) as exc:
                connection.close()
                if reused:
                    continue
                raise ConnectionError(f"callback to {url} failed: {exc}") from exc
            except BaseException:
                connection.close()
                raise
            self._keep(origin, connection)
            return status
        raise AssertionError("unreachable: the fresh connection either answers or raises")

    async def aclose(self) -> None:
        for connections in self._idle.values():
            for connection in connections:
                connection.close()
        self._idle.clear()

    def _take_idle(self, origin: Origin) -> _Connection | None:
        connections = self._idle.get(origin)
        return connections.pop() if connections else None

    def _keep(self, origin: Origin, connection: _Connection) -> None:
        if connection.http.our_state is h11.DONE and connection.http.their_state is h11.DONE:
            connection.http.start_next_cycle()
            self._idle.setdefault(origin, []).append(connection)
        else:  # the server asked to close, or answered before reading everything
            connection.close()

    async def _open(self, origin: Origin) -> _Connection:
        scheme, host, port = origin
        context = ssl.create_default_context() if scheme == "https" else None
        reader, writer = await asyncio.wait_for(asyncio.open_connection(host, port, ssl=context), self._timeout)
        return _Connection(reader, writer, h11.Connection(h11.CLIENT))

    @staticmethod
    async def _exchange(connection: _Connection, target: str, head: list[tuple[str, str]], body: bytes) -> int:
        http = connection.http
        for outgoing in (
            h11.Request(method="POST", target=target, headers=head),
            h11.Data(data=body),
            h11.EndOfMessage(),
        ):
            connection.writer.write(http.send(outgoing) or b"")
        await connection.writer.drain()
        status = 0
        while True:
            event = http.next_event()
            if event is h11.NEED_DATA:
                http.receive_data(await connection.reader.read(65536))  # b"" at EOF: h11 raises if cut short
            elif isinstance(event, h11.Response):
                status = event.status_code
            elif isinstance(event, h11.EndOfMessage):
                return status
            elif isinstance(event, h11.ConnectionClosed):
                raise h11.RemoteProtocolError("the server closed the connection before answering", 502)
