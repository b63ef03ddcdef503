"""The providers' busiest endpoints, answered without FastAPI's routing and dependency resolution.

A burst of 10,000 scheduled SMS brings 20,000 signed Twilio status callbacks. In a py-spy profile of the API
during that burst (bench/README.md, session 9), the endpoint itself was 29 % of the API's samples and the way
to it 38 %: matching the path against every route in turn, solving the endpoint's dependencies, the exception
and exit-stack middlewares, FastAPI's request wrapper. The fake Twilio (sandbox deployments) pays the same for
each message sent.

Such an endpoint stays an ordinary FastAPI route (OpenAPI documents it; the same function answers), marked
with `@lean`: it takes only the `Request` and reads what it needs from the application's state. This
middleware sits inside `RequestContextMiddleware`, so request ids, metrics and access logs are unchanged, and
answers a marked route's requests by calling that function directly. Errors are turned into responses by the
application's own exception handlers, as `ExceptionMiddleware` would.
"""

from __future__ import annotations

import inspect
import re
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass
from typing import Any, TypeVar

from fastapi import FastAPI, Request, Response
from fastapi.routing import APIRoute, iter_route_contexts
from starlette.convertors import Convertor
from starlette.routing import BaseRoute, Mount, compile_path
from starlette.types import ASGIApp, Receive, Scope, Send

LeanEndpoint = Callable[[Request], Awaitable[Response]]
Endpoint = TypeVar("Endpoint", bound=LeanEndpoint)
MARK = "served_lean"


def lean(endpoint: Endpoint) -> Endpoint:
    """Marks an endpoint that takes only the request, to be served by `LeanRoutes`."""
    parameters = list(inspect.signature(endpoint).parameters.values())
    if len(parameters) != 1 or parameters[0].name != "request":
        raise TypeError(f"{endpoint.__name__}: a lean endpoint takes only `request`")
    setattr(endpoint, MARK, True)
    return endpoint


@dataclass(frozen=True)
class _LeanRoute:
    route: APIRoute
    methods: frozenset[str]
    pattern: re.Pattern[str]
    convertors: dict[str, Convertor[Any]]

    def path_params(self, path: str) -> dict[str, Any] | None:
        matched = self.pattern.match(path)
        if matched is None:
            return None
        return {name: self.convertors[name].convert(value) for name, value in matched.groupdict().items()}


def _marked(routes: Iterable[BaseRoute], prefix: str = "") -> list[_LeanRoute]:
    """The marked routes with their full paths; FastAPI's view of included routers (prefixes, their
    dependencies), which is also what its OpenAPI document is made from."""
    found: list[_LeanRoute] = []
    for context in iter_route_contexts(list(routes)):
        route = context.original_route
        if isinstance(route, Mount):
            found += _marked(route.routes, prefix + route.path)
        elif isinstance(route, APIRoute) and getattr(route.endpoint, MARK, False):
            if context.dependant.dependencies:  # a router's or the application's: they would be skipped here
                raise TypeError(f"{context.path}: a lean route cannot have dependencies")
            pattern, _, convertors = compile_path(prefix + str(context.path))
            found.append(_LeanRoute(route, frozenset(context.methods or ()), pattern, convertors))
    return found


class LeanRoutes:
    def __init__(self, app: ASGIApp, api: FastAPI) -> None:
        self.app = app
        self.api = api
        # Starlette builds its middleware stack at the first request, when every router is included
        self.routes = _marked(api.routes)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and not scope.get("root_path"):
            for lean_route in self.routes:
                if scope["method"] in lean_route.methods:
                    params = lean_route.path_params(scope["path"])
                    if params is not None:
                        await self._serve(lean_route.route, params, scope, receive, send)
                        return
        await self.app(scope, receive, send)

    async def _serve(self, route: APIRoute, params: dict[str, Any], scope: Scope, receive: Receive, send: Send) -> None:
        scope["route"] = route  # what routing would have set: the access log and metrics name the route
        scope["endpoint"] = route.endpoint
        scope["path_params"] = params
        request = Request(scope, receive)
        try:
            response = await route.endpoint(request)
        except Exception as exc:
            response = await self._handled(request, exc)
        await response(scope, receive, send)

    async def _handled(self, request: Request, exc: Exception) -> Response:
        """The response the application's exception handlers give, found as ExceptionMiddleware finds it."""
        for kind in type(exc).__mro__:
            handler = self.api.exception_handlers.get(kind)
            if handler is not None:
                answer = handler(request, exc)
                return await answer if inspect.isawaitable(answer) else answer
        raise exc
