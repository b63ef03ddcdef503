from __future__ import annotations

import json
from collections.abc import AsyncIterator

from fastapi import APIRouter, Request
from fastapi.responses import StreamingResponse

from adapters.realtime.redis_events import subscribe
from api.auth import CurrentPrincipal
from api.deps import ContainerDep
from api.errors import ERROR_RESPONSES

router = APIRouter(prefix="/api/v1", tags=["realtime"], responses=ERROR_RESPONSES)


@router.get(
    "/events",
    summary="Live inbox events (Server-Sent Events) for the caller's property",
    response_class=StreamingResponse,
    responses={
        200: {
            "content": {
                "text/event-stream": {
                    "example": (
                        'event: message.created\ndata: {"type":"message.created",'
                        '"conversation_id":"…","message_id":"…"}\n\n'
                    )
                }
            }
        }
    },
)
async def events(request: Request, principal: CurrentPrincipal, container: ContainerDep) -> StreamingResponse:
    keepalive = 15.0

    async def stream() -> AsyncIterator[str]:
        yield "retry: 3000\n: connected\n\n"
        async for event in subscribe(container.redis, principal.property_id, poll_seconds=keepalive):
            if await request.is_disconnected():
                break
            if event is None:
                yield ": keep-alive\n\n"
                continue
            yield f"event: {event['type']}\ndata: {json.dumps(event)}\n\n"

    return StreamingResponse(
        stream(), media_type="text/event-stream", headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"}
    )
