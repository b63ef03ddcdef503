"""A pytest plugin: every secret the test suite creates is remembered, and no log record may contain one.

Secrets are registered where the product makes or receives them, so no test has to remember to:
the encryption (Fernet) key and every value sealed with it (access tokens, app secrets, Twilio auth
tokens, SMTP passwords), every token the product draws from `secrets` (session, CSRF and
invitation tokens, API keys), every password hashed, and the secret-looking fields of every
Settings a fixture builds. A handler on the root logger keeps the text of every record (message,
structured extras, exception); at the end of the session the suite fails if any secret appears.

Kept cheap: records are stored as text and searched once at the end; token-shaped secrets are
looked up in a set of the logs' tokens, only the few others are searched as substrings.
"""

from __future__ import annotations

import logging
import re
import secrets as secrets_module
import sys
import types
from collections.abc import Callable
from typing import Any

import pytest

MIN_LENGTH = 8
_TOKEN = re.compile(r"[A-Za-z0-9_-]+")
_IDENTIFIER = re.compile(r"[a-z_]+")  # placeholder values such as "app_secret" are names, not secrets
_RESERVED = set(logging.LogRecord("", 0, "", 0, "", (), None).__dict__) | {"message", "asctime"}
_PRODUCT = ("api", "adapters", "domain", "workers")


class SecretCanary(logging.Handler):
    def __init__(self) -> None:
        super().__init__(level=logging.DEBUG)
        self.secrets: dict[str, str] = {}  # value -> what it is
        self._texts: list[tuple[str, str]] = []  # (logger name, text)

    def register(self, value: Any, kind: str) -> None:
        if isinstance(value, bytes):
            value = value.decode("utf-8", "replace")
        if isinstance(value, dict):
            for key, inner in value.items():
                self.register(inner, f"{kind}.{key}")
        elif isinstance(value, str) and len(value) >= MIN_LENGTH and not _IDENTIFIER.fullmatch(value):
            self.secrets.setdefault(value, kind)

    def emit(self, record: logging.LogRecord) -> None:
        if record.name == "httpx" and record.args and "//testserver/" in str(record.args[1:2]):
            return  # the tests' own client calling the in-process app: its URLs are the tests' choice
        try:
            parts = [record.getMessage()]
        except Exception:  # a record whose arguments do not fit its format still counts, as written
            parts = [str(record.msg), repr(record.args)]
        extras = {k: v for k, v in record.__dict__.items() if k not in _RESERVED}
        if extras:
            parts.append(repr(extras))
        if record.exc_info and record.exc_info[1] is not None:
            parts.append(logging.Formatter().formatException(record.exc_info))
        self._texts.append((record.name, "\n".join(parts)))

    def leaks(self) -> list[tuple[str, str, str]]:
        """(what leaked, logger, the record's text with the secret masked), at most one per secret."""
        if not self._texts or not self.secrets:
            return []
        logged = "\n".join(text for _, text in self._texts)
        tokens = set(_TOKEN.findall(logged))
        found = []
        for value, kind in self.secrets.items():
            leaked = value in tokens if _TOKEN.fullmatch(value) else value in logged
            if leaked:
                name, text = next((n, t) for n, t in self._texts if value in t)
                found.append((kind, name, text.replace(value, f"{value[:3]}…[{kind}]")[:400]))
        return found


CANARY = SecretCanary()


class _RegisteringSecrets(types.ModuleType):
    """Stands in for the `secrets` module inside product modules: same functions, results remembered."""

    def __init__(self, where: str) -> None:
        super().__init__("secrets")
        self._where = where

    def __getattr__(self, name: str) -> Any:
        original = getattr(secrets_module, name)
        if name not in ("token_urlsafe", "token_hex", "token_bytes"):
            return original

        def drawing(*args: Any, **kwargs: Any) -> Any:
            value = original(*args, **kwargs)
            CANARY.register(value, f"{name} drawn in {self._where}")
            return value

        return drawing


_restore: list[Callable[[], None]] = []


def _wrap(owner: Any, name: str, wrapper: Callable[[Callable[..., Any]], Callable[..., Any]]) -> None:
    original = getattr(owner, name)
    setattr(owner, name, wrapper(original))
    _restore.append(lambda: setattr(owner, name, original))


def _install_registrations() -> None:
    from adapters.crypto.fernet_secret_box import FernetSecretBox
    from adapters.security.argon2_password_hasher import Argon2PasswordHasher

    def on_init(original: Callable[..., Any]) -> Callable[..., Any]:
        def init(self: Any, key: Any) -> None:
            CANARY.register(key, "encryption key")
            original(self, key)

        return init

    def on_seal(original: Callable[..., Any]) -> Callable[..., Any]:
        def seal(self: Any, values: dict[str, Any]) -> Any:
            CANARY.register(values, "sealed")
            return original(self, values)

        return seal

    def on_hash(original: Callable[..., Any]) -> Callable[..., Any]:
        def hash_(self: Any, password: str) -> str:
            CANARY.register(password, "password")
            hashed = original(self, password)
            CANARY.register(hashed, "password hash")
            return hashed

        return hash_

    def on_new_api_key(original: Callable[..., Any]) -> Callable[..., Any]:
        def new_api_key() -> tuple[str, str, str]:
            key, prefix, digest = original()
            CANARY.register(key, "api key")  # the drawn token with its prefix: one token in a log line
            CANARY.register(digest, "api key hash")
            return key, prefix, digest

        return new_api_key

    from api.auth import new_api_key

    for module in _product_modules():  # the function, and every module that imported it by name
        if getattr(module, "new_api_key", None) is new_api_key:
            _wrap(module, "new_api_key", on_new_api_key)
    _wrap(FernetSecretBox, "__init__", on_init)
    _wrap(FernetSecretBox, "seal", on_seal)
    _wrap(Argon2PasswordHasher, "hash", on_hash)


def _product_modules() -> list[types.ModuleType]:
    return [m for n, m in list(sys.modules.items()) if n.split(".")[0] in _PRODUCT and m is not None]


def _install_secrets_proxies() -> None:
    for module in _product_modules():
        if getattr(module, "secrets", None) is secrets_module:
            _wrap(module, "secrets", lambda _original, where=module.__name__: _RegisteringSecrets(where))


def register_settings(settings: Any) -> None:
    for field, value in vars(settings).items():
        if any(word in field.lower() for word in ("secret", "token", "key", "password")):
            CANARY.register(value if isinstance(value, str | bytes) else None, f"settings.{field}")


def pytest_sessionstart(session: pytest.Session) -> None:
    root = logging.getLogger()
    root.addHandler(CANARY)
    if root.level > logging.INFO or root.level == logging.NOTSET:
        previous = root.level
        root.setLevel(logging.INFO)  # INFO records (request logs, httpx's URLs) are where secrets would slip
        _restore.append(lambda: root.setLevel(previous))
    _restore.append(lambda: root.removeHandler(CANARY))
    _install_registrations()
    _install_secrets_proxies()


@pytest.hookimpl(wrapper=True)
def pytest_fixture_setup(fixturedef: Any, request: Any) -> Any:
    result = yield
    from api.settings import Settings

    if isinstance(result, Settings):
        register_settings(result)
    return result


_LEAKS: list[tuple[str, str, str]] = []


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    _LEAKS.extend(CANARY.leaks())
    for undo in reversed(_restore):
        undo()
    _restore.clear()
    if _LEAKS:
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


def pytest_terminal_summary(terminalreporter: Any) -> None:
    if not _LEAKS:
        return
    terminalreporter.section("secrets found in logs", sep="=", red=True, bold=True)
    for kind, logger, text in _LEAKS:
        terminalreporter.line(f"{kind} in a record of {logger!r}: {text}", red=True)
