"""The fake providers' callback client: forms arrive whole, connections are kept, a closed one is replaced."""

from __future__ import annotations

import asyncio
from urllib.parse import parse_qsl

import h11
import pytest

from sandbox.callback_poster import CallbackPoster


class _Receiver:
    """A tiny HTTP/1.1 server that records each request and can hang up after answering."""

    def __init__(self, close_after_each: bool) -> None:
        self.close_after_each = close_after_each
        self.connections = 0
        self.received: list[tuple[str, dict[str, str], dict[str, str]]] = []

    async def handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.connections += 1
        http = h11.Connection(h11.SERVER)
        target, headers, body = "", {}, b""
        while True:
            event = http.next_event()
            if event is h11.NEED_DATA:
                data = await reader.read(65536)
                if not data:
                    break
                http.receive_data(data)
            elif isinstance(event, h11.Request):
                target = event.target.decode()
                headers = {k.decode(): v.decode() for k, v in event.headers}
            elif isinstance(event, h11.Data):
                body += event.data
            elif isinstance(event, h11.EndOfMessage):
                self.received.append((target, dict(parse_qsl(body.decode())), headers))
                writer.write(http.send(h11.Response(status_code=202, headers=[("Content-Length", "2")])) or b"")
                writer.write((http.send(h11.Data(data=b"ok")) or b"") + (http.send(h11.EndOfMessage()) or b""))
                await writer.drain()
                if self.close_after_each:
                    break
                http.start_next_cycle()
                target, headers, body = "", {}, b""
            else:
                break
        writer.close()


async def _serve(receiver: _Receiver) -> tuple[asyncio.Server, str]:
    server = await asyncio.start_server(receiver.handle, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    return server, f"http://127.0.0.1:{port}/webhooks/twilio/status?x=1"


async def test_forms_arrive_whole_with_their_headers_over_one_kept_connection() -> None:
    receiver = _Receiver(close_after_each=False)
    server, url = await _serve(receiver)
    poster = CallbackPoster(timeout=5)
    try:
        for n in range(3):
            status = await poster.post_form(
                url, {"MessageSid": f"SM{n}", "Body": "é & ="}, {"X-Twilio-Signature": "sig"}
            )
            assert status == 202
    finally:
        await poster.aclose()
        server.close()
    assert receiver.connections == 1
    assert [r[0] for r in receiver.received] == ["/webhooks/twilio/status?x=1"] * 3
    assert [r[1] for r in receiver.received] == [{"MessageSid": f"SM{n}", "Body": "é & ="} for n in range(3)]
    assert receiver.received[0][2]["x-twilio-signature"] == "sig"
    assert receiver.received[0][2]["content-type"] == "application/x-www-form-urlencoded"


async def test_a_connection_the_server_closed_is_replaced_and_the_callback_still_arrives() -> None:
    receiver = _Receiver(close_after_each=True)
    server, url = await _serve(receiver)
    poster = CallbackPoster(timeout=5)
    try:
        assert await poster.post_form(url, {"n": "1"}, {}) == 202
        await asyncio.sleep(0.05)  # the server has hung up on the kept connection
        assert await poster.post_form(url, {"n": "2"}, {}) == 202
    finally:
        await poster.aclose()
        server.close()
    assert [r[1]["n"] for r in receiver.received] == ["1", "2"]
    assert receiver.connections == 2


async def test_an_unreachable_receiver_is_an_error_not_a_hang() -> None:
    server = await asyncio.start_server(lambda r, w: None, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    server.close()
    await server.wait_closed()
    poster = CallbackPoster(timeout=2)
    with pytest.raises(OSError):
        await poster.post_form(f"http://127.0.0.1:{port}/x", {"a": "b"}, {})
