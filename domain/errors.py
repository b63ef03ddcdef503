"""Domain errors carry a stable machine code and a human message, never an HTTP status.

The API maps each code to a status in one table (api/errors.py); integrators key on `code`.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class FieldProblem:
    field: str
    code: str
    message: str


class DomainError(Exception):
    code: str = "domain_error"

    def __init__(self, message: str, *, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint


class NotFound(DomainError):
    code = "not_found"


class InvalidInput(DomainError):
    """One or more fields of a request are wrong; each problem names its field."""

    code = "validation_error"

    def __init__(self, problems: list[FieldProblem], message: str = "The request has invalid fields.") -> None:
        super().__init__(message)
        self.problems = problems


class PolicyViolation(DomainError):
    """A rule of a channel or of the product refuses the action; the code says which."""

    def __init__(self, code: str, message: str, *, hint: str | None = None) -> None:
        super().__init__(message, hint=hint)
        self.code = code


class Conflict(DomainError):
    code = "conflict"


class InvalidCredentials(DomainError):
    code = "invalid_credentials"


class TooManyAttempts(DomainError):
    code = "too_many_attempts"

    def __init__(self, message: str, retry_after_seconds: int) -> None:
        super().__init__(message)
        self.retry_after_seconds = retry_after_seconds


class Unauthenticated(DomainError):
    code = "unauthenticated"


class Forbidden(DomainError):
    code = "forbidden"


@dataclass
class ProviderFailure(Exception):
    """A provider refused or failed a request. `retryable` decides whether the pipeline tries again."""

    code: str
    reason: str
    retryable: bool
    retry_after_seconds: float | None = None
    provider_status: int | None = None
    details: dict[str, str] = field(default_factory=dict)

    def __str__(self) -> str:
        return f"{self.code}: {self.reason}"
