"""Reading a webhook body with a hard size limit, before anything parses it."""

from __future__ import annotations

from fastapi import Request
from fastapi.responses import JSONResponse

from api.errors import problem_response


class BodyTooLarge(Exception):
    pass


async def read_limited(request: Request, limit: int) -> bytes:
    declared = request.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > limit:
        raise BodyTooLarge
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise BodyTooLarge
        chunks.append(chunk)
    return b"".join(chunks)


def too_large(request: Request, limit: int) -> JSONResponse:
    return problem_response(request, 413, "payload_too_large", f"Webhook bodies are limited to {limit} bytes.")
