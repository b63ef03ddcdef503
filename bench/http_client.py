"""CPU per provider call of the shared HTTP client (adapters/http_client.py) against plain httpx.

A worker hands a property's sends to the provider 16 at a time; this measures the client's own CPU for that
pattern: form POSTs with basic auth, 16 in flight, kept-alive connections, against a minimal HTTP/1.1
server in another process (so its CPU is not counted). Figures in bench/README.md (session 4).

    python -m bench.http_client
"""

from __future__ import annotations

import asyncio
import subprocess
import sys
import time

import httpx

from adapters.http_client import make_http_client

SERVER = r"""
import asyncio, sys
BODY = b'{"sid":"SM00000000000000000000000000000001","status":"queued"}'
HEAD = b"HTTP/1.1 201 Created\r\nContent-Type: application/json\r\nContent-Length: %d\r\n\r\n" % len(BODY)
def length(head):
    return next((int(v.split(b":")[1]) for v in head.split(b"\r\n") if v.lower().startswith(b"content-length:")), 0)
async def handle(reader, writer):
    try:
        while True:
            head = await reader.readuntil(b"\r\n\r\n")
            await reader.readexactly(length(head))
            writer.write(HEAD + BODY)
            await writer.drain()
    except (asyncio.IncompleteReadError, ConnectionError):
        writer.close()
async def main():
    server = await asyncio.start_server(handle, "127.0.0.1", int(sys.argv[1]))
    print("ready", flush=True)
    await server.serve_forever()
asyncio.run(main())
"""


async def _cpu_ms_per_call(client: httpx.AsyncClient, url: str, calls: int, in_flight: int) -> float:
    gate = asyncio.Semaphore(in_flight)

    async def call() -> None:
        async with gate:
            response = await client.post(url, data={"To": "+33612345678", "Body": "Hello"}, auth=("AC1", "token"))
            response.json()

    await asyncio.gather(*(call() for _ in range(200)))  # connections opened, caches warm
    started = time.process_time()
    await asyncio.gather(*(call() for _ in range(calls)))
    return (time.process_time() - started) / calls * 1000


async def _compare(url: str, calls: int, in_flight: int, rounds: int) -> dict[str, list[float]]:
    figures: dict[str, list[float]] = {"httpx.AsyncClient()": [], "make_http_client()": []}
    for _ in range(rounds):  # interleaved, so a slower moment of the machine hits both
        for name, client in (("httpx.AsyncClient()", httpx.AsyncClient()), ("make_http_client()", make_http_client())):
            async with client:
                figures[name].append(round(await _cpu_ms_per_call(client, url, calls, in_flight), 3))
    return figures


def main() -> None:
    port = 18765
    server = subprocess.Popen([sys.executable, "-c", SERVER, str(port)], stdout=subprocess.PIPE)
    try:
        assert server.stdout is not None and server.stdout.readline().strip() == b"ready"
        figures = asyncio.run(_compare(f"http://127.0.0.1:{port}/Messages.json", calls=4000, in_flight=16, rounds=3))
    finally:
        server.terminate()
    for name, values in figures.items():
        print(f"{name:22} CPU ms per call: {values} (median {sorted(values)[len(values) // 2]})")  # noqa: T201


if __name__ == "__main__":
    main()
