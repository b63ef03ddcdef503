"""A local SMTP server that keeps every message it receives, and pages to read them (demo and tests).

It speaks real SMTP (aiosmtpd, in its own thread), so the product's SMTP adapters run unchanged
against it. Recipients whose local part starts with "bounce" are refused with 550 5.1.1, with
"tempfail" with 451 4.3.0; with a username set, it requires AUTH (PLAIN or LOGIN, no TLS needed).
"""

from __future__ import annotations

import socket
import threading
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from email import message_from_bytes, policy
from email.message import EmailMessage
from html import escape
from typing import Any

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword
from fastapi import APIRouter, HTTPException
from fastapi.responses import HTMLResponse

SERVER_NAME = "smtp.sandbox.test"


@dataclass
class CapturedEmail:
    index: int
    envelope_from: str
    envelope_to: list[str]
    subject: str
    from_: str
    to: str
    reply_to: str
    message_id: str
    text: str
    html: str
    raw: str
    received_at: str
    headers: dict[str, str] = field(default_factory=dict)


def _part(message: EmailMessage, subtype: str) -> str:
    part = message.get_body(preferencelist=(subtype,))
    if part is None or part.get_content_subtype() != subtype:
        return ""
    return str(part.get_content()).replace("\r\n", "\n")  # as written, not in its wire form


def _free_port(host: str) -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind((host, 0))
        return int(probe.getsockname()[1])


class SmtpCapture:
    def __init__(
        self, *, host: str = "127.0.0.1", port: int | None = None, username: str | None = None, password: str = ""
    ) -> None:
        self.host = host
        self.port = port or 0
        self.username = username
        self.password = password
        self.messages: list[CapturedEmail] = []
        self._lock = threading.Lock()
        self._controller: Controller | None = None

    # aiosmtpd handler hooks (called on the server's own thread and loop)
    async def handle_MAIL(self, server: Any, session: Any, envelope: Any, address: str, options: list[str]) -> str:
        if self.username and not session.authenticated:
            return "530 5.7.0 Authentication required"
        envelope.mail_from = address
        envelope.mail_options.extend(options)
        return "250 2.1.0 Ok"

    async def handle_RCPT(self, server: Any, session: Any, envelope: Any, address: str, options: list[str]) -> str:
        local = address.partition("@")[0].lower()
        if local.startswith("bounce"):
            return f"550 5.1.1 <{address}>: Recipient address rejected: User unknown in virtual mailbox table"
        if local.startswith("tempfail"):
            return f"451 4.3.0 <{address}>: Temporary lookup failure, try again later"
        envelope.rcpt_tos.append(address)
        return "250 2.1.5 Ok"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        raw = envelope.original_content or envelope.content
        raw = raw if isinstance(raw, bytes) else str(raw).encode()
        message = message_from_bytes(raw, policy=policy.default)
        assert isinstance(message, EmailMessage)
        with self._lock:
            index = len(self.messages)
            self.messages.append(
                CapturedEmail(
                    index=index,
                    envelope_from=str(envelope.mail_from),
                    envelope_to=list(envelope.rcpt_tos),
                    subject=str(message.get("Subject", "")),
                    from_=str(message.get("From", "")),
                    to=str(message.get("To", "")),
                    reply_to=str(message.get("Reply-To", "")),
                    message_id=str(message.get("Message-ID", "")),
                    text=_part(message, "plain"),
                    html=_part(message, "html"),
                    raw=raw.decode("utf-8", errors="replace"),
                    received_at=datetime.now(UTC).isoformat(),
                    headers={k: str(v) for k, v in message.items()},
                )
            )
        return f"250 2.0.0 Ok: queued as SANDBOX{index}"

    def _authenticate(self, server: Any, session: Any, envelope: Any, mechanism: str, data: Any) -> AuthResult:
        ok = (
            isinstance(data, LoginPassword)
            and data.login.decode() == self.username
            and data.password.decode() == self.password
        )
        return AuthResult(success=ok, handled=False)

    def start(self) -> SmtpCapture:
        if self._controller is not None:
            return self
        self.port = self.port or _free_port(self.host)
        options: dict[str, Any] = {"server_hostname": SERVER_NAME, "auth_require_tls": False}
        if self.username:
            # required in handle_MAIL rather than with auth_required, which warns when TLS is not required too
            options["authenticator"] = self._authenticate
        self._controller = Controller(self, hostname=self.host, port=self.port, **options)
        self._controller.start()
        return self

    def stop(self) -> None:
        if self._controller is not None:
            self._controller.stop()
            self._controller = None

    def clear(self) -> None:
        with self._lock:
            self.messages.clear()

    def connection_settings(self) -> dict[str, Any]:
        """What to PUT as /api/v1/channels/email to send through this server."""
        form: dict[str, Any] = {"host": self.host, "port": self.port, "tls": "none"}
        if self.username:
            form.update(username=self.username, password=self.password)
        return form


def start_capture_server(*, username: str | None = None, password: str = "", port: int | None = None) -> SmtpCapture:
    return SmtpCapture(username=username, password=password, port=port).start()


def stop_capture_server(capture: SmtpCapture) -> None:
    capture.stop()


_default: SmtpCapture | None = None


def default_capture() -> SmtpCapture:
    """The process's capture server (created here, started by whoever runs the demo)."""
    global _default
    if _default is None:
        _default = SmtpCapture()
    return _default


_PAGE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>{title}</title>
<style>body{{font:14px system-ui,sans-serif;margin:2rem;max-width:60rem}}dt{{font-weight:600}}
iframe{{width:100%;height:32rem;border:1px solid #ccc}}pre{{white-space:pre-wrap;background:#f6f6f6;padding:1rem}}</style>
</head><body><p><a href="../messages">All messages (JSON)</a></p><h1>{title}</h1><dl>{headers}</dl>
<h2>HTML part</h2><iframe sandbox="" referrerpolicy="no-referrer" srcdoc="{html}"></iframe>
<h2>Text part</h2><pre>{text}</pre></body></html>"""
# the captured HTML is shown in a sandboxed frame: no script runs, nothing reaches this origin
_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; frame-src 'self'"


def smtp_router(capture: SmtpCapture | None = None) -> APIRouter:
    box = capture or default_capture()
    router = APIRouter(prefix="/smtp")

    @router.get("/messages")
    async def list_messages() -> list[dict[str, Any]]:
        return [asdict(m) for m in box.messages]

    @router.delete("/messages", status_code=204)
    async def clear_messages() -> None:
        box.clear()

    @router.get("/messages/{index}", response_class=HTMLResponse)
    async def show_message(index: int) -> HTMLResponse:
        if not 0 <= index < len(box.messages):
            raise HTTPException(404, "No captured message with this number.")
        m = box.messages[index]
        shown = (("From", m.from_), ("To", m.to), ("Reply-To", m.reply_to), ("Message-ID", m.message_id))
        page = _PAGE.format(
            title=escape(m.subject or "(no subject)"),
            headers="".join(f"<dt>{escape(k)}</dt><dd>{escape(v)}</dd>" for k, v in shown if v),
            html=escape(m.html, quote=True),
            text=escape(m.text),
        )
        return HTMLResponse(page, headers={"Content-Security-Policy": _CSP, "X-Content-Type-Options": "nosniff"})

    router.state = box  # type: ignore[attr-defined]  # tests and the demo reach the captured mail here
    return router
