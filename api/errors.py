"""Every error leaves as RFC 9457 problem+json with a stable `code`; no trace ever reaches a client."""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError
from sqlalchemy.exc import DBAPIError, IntegrityError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeoutError
from starlette.exceptions import HTTPException as StarletteHTTPException

from domain.errors import (
    Conflict,
    DomainError,
    Forbidden,
    InvalidCredentials,
    InvalidInput,
    NotFound,
    PolicyViolation,
    TooManyAttempts,
    Unauthenticated,
)

log = logging.getLogger("api.errors")
PROBLEM = "application/problem+json"

# one table: domain error class -> HTTP status
STATUS_BY_ERROR: dict[type[DomainError], int] = {
    NotFound: 404,
    InvalidInput: 422,
    PolicyViolation: 409,
    Conflict: 409,
    InvalidCredentials: 401,
    TooManyAttempts: 429,
    Forbidden: 403,
    Unauthenticated: 401,
}


class FieldError(BaseModel):
    field: str
    code: str
    message: str


class Problem(BaseModel):
    """RFC 9457 problem details, with our stable `code` for programs to branch on."""

    type: str = Field(examples=["https://docs.guest-messaging.dev/problems/whatsapp_window_closed"])
    title: str = Field(examples=["Conflict"])
    status: int = Field(examples=[409])
    detail: str = Field(examples=["The 24-hour window is closed: send an approved template instead."])
    code: str = Field(examples=["whatsapp_window_closed"])
    instance: str | None = Field(default=None, examples=["/api/v1/conversations/…/messages"])
    request_id: str | None = None
    hint: str | None = None
    errors: list[FieldError] | None = None


TITLES = {
    400: "Bad Request",
    401: "Unauthorized",
    403: "Forbidden",
    404: "Not Found",
    405: "Method Not Allowed",
    409: "Conflict",
    413: "Content Too Large",
    415: "Unsupported Media Type",
    422: "Unprocessable Content",
    429: "Too Many Requests",
    500: "Internal Server Error",
    503: "Service Unavailable",
}


def problem_response(
    request: Request,
    status: int,
    code: str,
    detail: str,
    *,
    errors: list[dict[str, str]] | None = None,
    hint: str | None = None,
    headers: dict[str, str] | None = None,
) -> JSONResponse:
    body: dict[str, Any] = {
        "type": f"https://docs.guest-messaging.dev/problems/{code}",
        "title": TITLES.get(status, "Error"),
        "status": status,
        "detail": detail,
        "code": code,
        "instance": request.url.path,
        "request_id": getattr(request.state, "request_id", None),
    }
    if hint:
        body["hint"] = hint
    if errors is not None:
        body["errors"] = errors
    return JSONResponse(body, status_code=status, media_type=PROBLEM, headers=headers)


def _status_for(exc: DomainError) -> int:
    for cls in type(exc).__mro__:
        if cls in STATUS_BY_ERROR:
            return STATUS_BY_ERROR[cls]
    return 400


async def _domain(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, DomainError)
    errors = [p.__dict__ for p in exc.problems] if isinstance(exc, InvalidInput) else None
    headers = {"Retry-After": str(exc.retry_after_seconds)} if isinstance(exc, TooManyAttempts) else None
    return problem_response(
        request, _status_for(exc), exc.code, exc.message, errors=errors, hint=exc.hint, headers=headers
    )


async def _validation(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    errors = [
        {
            "field": ".".join(str(p) for p in err["loc"] if p not in ("body", "query", "path")) or "body",
            "code": str(err["type"]),
            "message": str(err["msg"]),
        }
        for err in exc.errors()
    ]
    return problem_response(request, 422, "validation_error", "The request has invalid fields.", errors=errors)


async def _http(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, StarletteHTTPException)
    code = {
        404: "not_found",
        405: "method_not_allowed",
        401: "unauthenticated",
        403: "forbidden",
        413: "payload_too_large",
        415: "unsupported_media_type",
        400: "malformed_request",  # e.g. a body that is not UTF-8, which FastAPI cannot even parse
    }.get(exc.status_code, "http_error")
    detail = exc.detail if isinstance(exc.detail, str) else TITLES.get(exc.status_code, "Error")
    return problem_response(request, exc.status_code, code, detail, headers=getattr(exc, "headers", None))


async def _database_down(request: Request, exc: Exception) -> JSONResponse:
    log.error("backing service unavailable", extra={"error": type(exc).__name__}, exc_info=exc)
    return problem_response(
        request,
        503,
        "service_unavailable",
        "A backing service is unavailable; try again shortly.",
        headers={"Retry-After": "5"},
    )


async def _integrity(request: Request, exc: Exception) -> JSONResponse:
    # two requests raced to create the same thing; the loser is told, nothing half-written stays
    log.info("integrity conflict", extra={"path": request.url.path})
    return problem_response(request, 409, "conflict", "This conflicts with a change made at the same time; retry.")


async def _unexpected(request: Request, exc: Exception) -> JSONResponse:
    log.exception("unhandled error", extra={"path": request.url.path})
    return problem_response(
        request, 500, "internal_error", "Something went wrong on our side. Quote the request id when reporting it."
    )


def install_error_handlers(app: FastAPI) -> None:
    app.add_exception_handler(DomainError, _domain)
    app.add_exception_handler(RequestValidationError, _validation)
    app.add_exception_handler(StarletteHTTPException, _http)
    app.add_exception_handler(OperationalError, _database_down)
    app.add_exception_handler(DBAPIError, _database_down)
    # every pooled connection busy for pool_timeout seconds (a stalled database): fail fast, not 500
    app.add_exception_handler(PoolTimeoutError, _database_down)
    app.add_exception_handler(IntegrityError, _integrity)
    app.add_exception_handler(OSError, _database_down)
    app.add_exception_handler(RedisConnectionError, _database_down)
    app.add_exception_handler(RedisTimeoutError, _database_down)
    app.add_exception_handler(Exception, _unexpected)


ERROR_RESPONSES: dict[int | str, dict[str, Any]] = {
    status: {"model": Problem, "content": {PROBLEM: {}}, "description": TITLES[status]}
    for status in (400, 401, 403, 404, 409, 422, 429)
}
# for routers without authentication (webhooks): their parameters can still be invalid
VALIDATION_RESPONSES: dict[int | str, dict[str, Any]] = {422: ERROR_RESPONSES[422]}
