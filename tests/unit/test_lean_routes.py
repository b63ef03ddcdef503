"""Routes marked @lean are answered by LeanRoutes (api/lean_routes.py) without FastAPI's routing, and behave as
they would through it: path parameters, the application's exception handlers, the route named for the access
log; everything else, and a deployment under a root path, goes through the framework as before."""

from __future__ import annotations

import httpx
import pytest
from fastapi import APIRouter, Depends, FastAPI, Request, Response
from fastapi.responses import JSONResponse
from sqlalchemy.exc import DBAPIError
from starlette.routing import Mount
from starlette.types import Receive, Scope, Send

from api.errors import install_error_handlers
from api.lean_routes import LeanRoutes, lean


class RoutedMark:
    """Innermost middleware: records which requests reached the framework's routing."""

    def __init__(self, app, seen: list[str]) -> None:  # type: ignore[no-untyped-def]
        self.app, self.seen = app, seen

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        self.seen.append(scope["path"])
        await self.app(scope, receive, send)


def build(seen: list[str], routes_named: list[str]) -> FastAPI:
    app = FastAPI()
    install_error_handlers(app)
    router = APIRouter()

    @router.post("/hooks/{account}/status")
    @lean
    async def hook(request: Request) -> Response:
        if request.path_params["account"] == "db-down":
            raise DBAPIError("INSERT", {}, Exception("connection lost"))
        return JSONResponse({"account": request.path_params["account"], "body": (await request.body()).decode()})

    @router.get("/plain")
    async def plain() -> dict[str, str]:
        return {"served": "routed"}

    fake = APIRouter()

    @fake.post("/fake/{number:int}")
    @lean
    async def fake_send(request: Request) -> Response:
        return JSONResponse({"number": request.path_params["number"]})

    app.include_router(router)
    app.router.routes.insert(0, Mount("/sandbox", app=fake))

    class RouteName:
        def __init__(self, inner) -> None:  # type: ignore[no-untyped-def]
            self.inner = inner

        async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
            await self.inner(scope, receive, send)
            routes_named.append(getattr(scope.get("route"), "path", "unmatched"))

    app.add_middleware(RoutedMark, seen=seen)  # innermost of the three
    app.add_middleware(LeanRoutes, api=app)
    app.add_middleware(RouteName)
    return app


async def test_a_lean_route_is_answered_without_the_framework_routing() -> None:
    seen: list[str] = []
    named: list[str] = []
    app = build(seen, named)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app), base_url="http://t") as client:
        hooked = await client.post("/hooks/AC12/status", content=b"MessageSid=SM1")
        mounted = await client.post("/sandbox/fake/42")
        plain = await client.get("/plain")
        wrong_method = await client.get("/hooks/AC12/status")
    assert hooked.status_code == 200 and hooked.json() == {"account": "AC12", "body": "MessageSid=SM1"}
    assert mounted.json() == {"number": 42}  # the path's convertor applied, under the mount's prefix
    assert plain.json() == {"served": "routed"}
    assert wrong_method.status_code == 405  # not lean: the framework answers as it would have
    assert seen == ["/plain", "/hooks/AC12/status"]  # the two lean requests never reached the routing
    assert named[:2] == ["/hooks/{account}/status", "/fake/{number:int}"]  # the access log names the route


async def test_errors_get_the_application_s_problem_responses() -> None:
    app = build([], [])
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app), base_url="http://t") as client:
        answer = await client.post("/hooks/db-down/status")
    assert answer.status_code == 503
    assert answer.headers["content-type"].startswith("application/problem+json")


async def test_under_a_root_path_the_framework_routes_as_before() -> None:
    seen: list[str] = []
    app = build(seen, [])
    transport = httpx.ASGITransport(app, root_path="/gmc")
    async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
        answer = await client.post("/gmc/hooks/AC1/status", content=b"x")
    assert answer.json() == {"account": "AC1", "body": "x"}
    assert seen == ["/gmc/hooks/AC1/status"]


def test_only_request_only_endpoints_can_be_lean() -> None:
    async def with_more(request: Request, other: int) -> Response:
        return Response()

    with pytest.raises(TypeError, match="takes only `request`"):
        lean(with_more)


async def test_a_lean_route_with_dependencies_is_refused_at_start() -> None:
    app = FastAPI()

    async def guard() -> None:
        return None

    @app.post("/x", dependencies=[Depends(guard)])
    @lean
    async def x(request: Request) -> Response:
        return Response()

    app.add_middleware(LeanRoutes, api=app)
    with pytest.raises(TypeError, match="cannot have dependencies"):
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app), base_url="http://t") as client:
            await client.post("/x")
