"""The provider client's own network layer (adapters/http_client.py, adapters/connection_stack.py) against real
local servers: connections kept alive and reused, one the server closed replaced before it is used, the
connection limit, TLS verified, timeouts and refusals raised as httpx's errors, respx still in the way."""

from __future__ import annotations

import asyncio
import contextlib
import datetime
import ipaddress
import socket
import ssl
from collections.abc import AsyncIterator
from pathlib import Path

import httpcore
import httpx
import pytest
import respx
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from adapters.connection_stack import ConnectionStack
from adapters.http_client import AsyncioBackend, make_http_client

BODY = b'{"sid":"SM1","status":"queued"}'
ANSWER = b"HTTP/1.1 201 Created\r\nContent-Type: application/json\r\nContent-Length: %d\r\n\r\n%s" % (len(BODY), BODY)


class Server:
    """HTTP/1.1 with keep-alive; `after_answer` says what to do once a request is answered."""

    def __init__(self) -> None:
        self.connections = 0
        self.requests = 0
        self.after_answer = "keep"  # "keep", "close", "garbage" (bytes nobody asked for), "silent" (never answer)
        self.port = 0

    async def handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.connections += 1
        try:
            with contextlib.suppress(asyncio.IncompleteReadError, ConnectionError):  # the client hung up
                await self._serve(reader, writer)
        finally:
            writer.close()

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        while True:
            head = await reader.readuntil(b"\r\n\r\n")
            length = next(
                (
                    int(line.split(b":")[1])
                    for line in head.split(b"\r\n")
                    if line.lower().startswith(b"content-length")
                ),
                0,
            )
            await reader.readexactly(length)
            self.requests += 1
            if self.after_answer == "silent":
                await asyncio.sleep(10)
            writer.write(ANSWER)
            await writer.drain()
            if self.after_answer == "close":
                break
            if self.after_answer == "garbage":
                await asyncio.sleep(0.01)  # once the client has read its answer
                writer.write(b"HTTP/1.1 200 OK\r\n")
                await writer.drain()


@pytest.fixture
async def server() -> AsyncIterator[Server]:
    served = Server()
    listening = await asyncio.start_server(served.handle, "127.0.0.1", 0)
    served.port = listening.sockets[0].getsockname()[1]
    yield served
    listening.close()


async def _post(client: httpx.AsyncClient, url: str) -> httpx.Response:
    return await client.post(url, data={"To": "+33612345678", "Body": "Hello"}, auth=("AC1", "token"))


async def test_connections_are_kept_alive_and_reused(server: Server) -> None:
    async with make_http_client() as client:
        for _ in range(3):
            response = await _post(client, f"http://127.0.0.1:{server.port}/Messages.json")
            assert response.status_code == 201 and response.json() == {"sid": "SM1", "status": "queued"}
    assert (server.connections, server.requests) == (1, 3)


async def test_a_cookie_one_answer_sets_is_never_sent_again() -> None:
    """One client calls every property's providers: a cookie set for one property's call stays out of the next."""
    with respx.mock(assert_all_called=True) as provider:
        route = provider.post("https://api.twilio.test/Messages.json").mock(
            return_value=httpx.Response(201, json={"sid": "SM1"}, headers={"Set-Cookie": "lb=tenant-a; Path=/"})
        )
        async with make_http_client() as client:
            await client.post("https://api.twilio.test/Messages.json", data={"To": "+33612345678"})
            await client.post("https://api.twilio.test/Messages.json", data={"To": "+33687654321"})
            assert len(client.cookies.jar) == 0
    assert route.call_count == 2
    assert [call.request.headers.get("cookie") for call in route.calls] == [None, None]


@pytest.mark.parametrize("hang_up", ["close", "garbage"])
async def test_a_connection_the_server_closed_or_spoiled_is_replaced_before_it_is_used(server: Server, hang_up) -> None:
    server.after_answer = hang_up
    async with make_http_client() as client:
        for _ in range(3):
            await asyncio.sleep(0.05)  # the loop sees the close (or the stray bytes) while the connection is idle
            assert (await _post(client, f"http://127.0.0.1:{server.port}/")).status_code == 201
    assert (server.connections, server.requests) == (3, 3), "each request on a fresh connection, none failed"


async def test_concurrent_calls_each_get_their_own_answer(server: Server) -> None:
    async with make_http_client() as client:
        answers = await asyncio.gather(*(_post(client, f"http://127.0.0.1:{server.port}/") for _ in range(16)))
    assert [a.status_code for a in answers] == [201] * 16
    assert server.requests == 16 and server.connections <= 16


async def test_a_burst_of_64_calls_keeps_its_connections_for_the_next_one(server: Server) -> None:
    """A property's burst has 64 calls in flight: their connections stay open for the next 64, rather than
    all but 20 (httpx's default) being closed and opened again (a TLS handshake each with a real provider)."""
    async with make_http_client() as client:
        for _ in range(3):
            answers = await asyncio.gather(*(_post(client, f"http://127.0.0.1:{server.port}/") for _ in range(64)))
            assert [a.status_code for a in answers] == [201] * 64
    assert server.requests == 192 and server.connections <= 64


async def test_a_provider_that_does_not_answer_times_out(server: Server) -> None:
    server.after_answer = "silent"
    async with make_http_client(httpx.Timeout(0.3)) as client:
        with pytest.raises(httpx.ReadTimeout):
            await _post(client, f"http://127.0.0.1:{server.port}/")


async def test_a_refused_connection_is_a_connect_error(server: Server) -> None:
    listening = await asyncio.start_server(server.handle, "127.0.0.1", 0)
    closed_port = listening.sockets[0].getsockname()[1]
    listening.close()
    await listening.wait_closed()
    async with make_http_client() as client:
        with pytest.raises(httpx.ConnectError):
            await _post(client, f"http://127.0.0.1:{closed_port}/")


def _self_signed(directory: Path) -> tuple[Path, Path]:
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "localhost")])
    now = datetime.datetime.now(datetime.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=1))
        .not_valid_after(now + datetime.timedelta(hours=1))
        .add_extension(
            x509.SubjectAlternativeName([x509.DNSName("localhost"), x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
            critical=False,
        )
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    cert_path, key_path = directory / "cert.pem", directory / "key.pem"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    )
    return cert_path, key_path


async def test_tls_is_verified_against_the_trusted_authorities(tmp_path: Path) -> None:
    cert, key = _self_signed(tmp_path)
    served = Server()
    server_tls = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    server_tls.load_cert_chain(cert, key)
    listening = await asyncio.start_server(served.handle, "127.0.0.1", 0, ssl=server_tls)
    port = listening.sockets[0].getsockname()[1]
    try:
        trusting = ssl.create_default_context(cafile=str(cert))
        async with make_http_client(verify=trusting) as client:
            for _ in range(2):
                response = await _post(client, f"https://localhost:{port}/Messages.json")
                assert response.status_code == 201 and response.json()["sid"] == "SM1"
        assert (served.connections, served.requests) == (1, 2), "the TLS connection kept alive too"
        async with make_http_client() as client:  # the system's authorities do not know this certificate
            with pytest.raises(httpx.ConnectError):
                await _post(client, f"https://localhost:{port}/")
    finally:
        listening.close()


async def test_a_silent_address_does_not_eat_the_connect_timeout(server: Server, monkeypatch) -> None:
    """A name with two addresses whose first swallows packets: the second is tried 250 ms later (RFC 8305)."""
    from adapters import http_client

    async def resolve(host, port, type):  # noqa: A002 - getaddrinfo's keyword
        return [
            (socket.AF_INET6, type, 6, "", ("2001:db8::1", port, 0, 0)),
            (socket.AF_INET, type, 6, "", ("127.0.0.1", port)),
        ]

    real_open = http_client._open_one

    async def open_one(address, port, local):
        if address == "2001:db8::1":
            await asyncio.sleep(60)  # a blackhole: no answer, no refusal
        return await real_open(address, port, local)

    monkeypatch.setattr(asyncio.get_running_loop(), "getaddrinfo", resolve)
    monkeypatch.setattr(http_client, "_open_one", open_one)
    started = asyncio.get_running_loop().time()
    async with make_http_client(httpx.Timeout(15.0, connect=5.0)) as client:
        assert (await _post(client, f"http://provider.test:{server.port}/")).status_code == 201
    assert asyncio.get_running_loop().time() - started < 2


def test_addresses_alternate_families_from_the_first_ones() -> None:
    from adapters.http_client import _interleaved

    found = [(10, "a6"), (10, "b6"), (10, "c6"), (2, "a4"), (2, "b4")]
    assert _interleaved(found) == ["a6", "a4", "b6", "b4", "c6"]
    assert _interleaved([(2, "a4"), (2, "a4")]) == ["a4"]


async def test_kept_alive_connections_are_reused_by_the_next_burst(server: Server) -> None:
    async with make_http_client() as client:
        for _ in range(2):
            answers = await asyncio.gather(*(_post(client, f"http://127.0.0.1:{server.port}/") for _ in range(16)))
            assert [a.status_code for a in answers] == [201] * 16
    assert server.requests == 32 and server.connections <= 16


async def test_calls_beyond_the_connection_limit_wait_and_one_waiting_too_long_is_a_pool_timeout(
    server: Server,
) -> None:
    stack = ConnectionStack(ssl_context=None, network_backend=AsyncioBackend(), max_connections=1)
    url = httpcore.URL(f"http://127.0.0.1:{server.port}/")
    HOST = [(b"Host", f"127.0.0.1:{server.port}".encode())]  # noqa: N806 - what httpx would have set
    server.after_answer = "silent"
    hanging = asyncio.create_task(stack.handle_async_request(httpcore.Request("POST", url, headers=HOST, content=b"")))
    await asyncio.sleep(0.1)
    with pytest.raises(httpcore.PoolTimeout):
        await stack.handle_async_request(
            httpcore.Request("POST", url, headers=HOST, content=b"", extensions={"timeout": {"pool": 0.2}})
        )
    server.after_answer = "keep"
    waiting = asyncio.create_task(stack.handle_async_request(httpcore.Request("POST", url, headers=HOST, content=b"")))
    await asyncio.sleep(0.1)
    assert not waiting.done(), "the only connection is taken"
    hanging.cancel()  # its connection is closed and its place given to the waiting call
    response = await asyncio.wait_for(waiting, 5)
    assert response.status == 201 and await response.aread() == BODY
    await response.aclose()
    await stack.aclose()


async def test_respx_still_sees_every_request_of_the_client() -> None:
    with respx.mock(assert_all_called=True) as provider:
        route = provider.post("https://api.twilio.test/Messages.json").respond(201, json={"sid": "SM9"})
        async with make_http_client() as client:
            answers = [await _post(client, "https://api.twilio.test/Messages.json") for _ in range(3)]
    assert [a.json() for a in answers] == [{"sid": "SM9"}] * 3 and route.call_count == 3
