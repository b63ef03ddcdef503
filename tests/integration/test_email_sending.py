"""SmtpEmailSender against the sandbox's real SMTP server: the exact message, threading, and failures."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from email import message_from_string, policy

import httpx
import pytest
from fastapi import FastAPI

from adapters.email.smtp_sender import SmtpEmailSender
from domain.channels import Channel
from domain.email.addresses import token_in
from domain.email.reply_token import conversation_of, derive_reply_key
from domain.errors import ProviderFailure
from domain.ports.channels import OutboundRequest
from sandbox.smtp import SmtpCapture, smtp_router
from tests.integration.test_email_connection import SMTP_PASSWORD, SMTP_USER, running_capture

KEY = derive_reply_key("test-master-key")
MESSAGE_ID = uuid.UUID("5f0c2a8e-1b7d-4c11-9a57-0d6f3e2b9c10")
CONVERSATION = uuid.UUID("0b8f6c1e-2d4a-4c5e-9f00-123456789abc")
HTML = '<p>Dear Camille,</p><p>Your room <b>12</b> is ready. <a href="https://hotel-tilleuls.fr/map">Map</a></p>'


@pytest.fixture
def capture() -> Iterator[SmtpCapture]:
    yield from running_capture()


@dataclass(frozen=True)
class ThreadedRequest(OutboundRequest):
    """OutboundRequest with the conversation it belongs to (the field the pipeline is to add)."""

    conversation_id: uuid.UUID | None = None


def settings_for(capture: SmtpCapture, **changes: object) -> dict[str, object]:
    return {
        "host": "127.0.0.1",
        "port": capture.port,
        "tls": "none",
        "username": SMTP_USER,
        "sender": "contact@hotel-tilleuls.fr",
        "sender_name": "Hôtel des Tilleuls",
        "reply_to": "reply.hotel-tilleuls.fr",
        **changes,
    }


def sender_for(capture: SmtpCapture, password: str = SMTP_PASSWORD, **changes: object) -> SmtpEmailSender:
    return SmtpEmailSender(settings_for(capture, **changes), {"password": password}, None, KEY, allow_local=True)


def request(to: str = "camille@example.com", body: str = HTML, **extra: object) -> ThreadedRequest:
    return ThreadedRequest(
        message_id=MESSAGE_ID,
        property_id=uuid.uuid4(),
        channel=Channel.EMAIL,
        to=to,
        body=body,
        **extra,  # type: ignore[arg-type]
    )


async def test_an_html_message_goes_out_with_its_text_part_and_a_signed_reply_address(capture) -> None:
    receipt = await sender_for(capture).send(request(subject="Your stay", conversation_id=CONVERSATION))
    assert receipt.provider_message_id == f"<{MESSAGE_ID}@hotel-tilleuls.fr>"
    assert receipt.extra == {"server_reply": "250 2.0.0 Ok: queued as SANDBOX0"}
    [sent] = capture.messages
    assert (sent.envelope_from, sent.envelope_to) == ("contact@hotel-tilleuls.fr", ["camille@example.com"])
    reply_to = sent.headers["Reply-To"]
    token = token_in(reply_to.partition("<")[2].rstrip(">"))
    assert token is not None and conversation_of(token, KEY) == CONVERSATION
    assert reply_to == f"Hôtel des Tilleuls <reply+{token}@reply.hotel-tilleuls.fr>"
    headers = {k: v for k, v in sent.headers.items() if k not in ("Date", "Content-Type")}
    assert headers == {
        "From": "Hôtel des Tilleuls <contact@hotel-tilleuls.fr>",
        "To": "camille@example.com",
        "Subject": "Your stay",
        "Message-ID": f"<{MESSAGE_ID}@hotel-tilleuls.fr>",
        "Reply-To": reply_to,
        "MIME-Version": "1.0",
    }
    assert sent.headers["Content-Type"].startswith("multipart/alternative;")
    assert "From: =?utf-8?q?H=C3=B4tel?= des Tilleuls <contact@hotel-tilleuls.fr>" in sent.raw  # RFC 2047
    assert sent.text == "Dear Camille,\n\nYour room 12 is ready. Map (https://hotel-tilleuls.fr/map)\n"
    assert sent.html == (
        f'<!DOCTYPE html>\n<html lang="en">\n<head><meta charset="utf-8"></head>\n<body>\n{HTML}\n</body>\n</html>\n'
    )
    parsed = message_from_string(sent.raw, policy=policy.default)
    assert [p.get_content_type() for p in parsed.iter_parts()] == ["text/plain", "text/html"]
    assert {p["Content-Transfer-Encoding"] for p in parsed.iter_parts()} == {"quoted-printable"}
    assert all(line.isascii() and len(line) <= 78 for line in sent.raw.splitlines())


async def test_a_text_message_gets_an_html_part_and_the_default_subject(capture) -> None:
    await sender_for(capture, reply_to=None).send(request(body="Dear Camille,\nroom 12 & parking.\n\nSee you!"))
    [sent] = capture.messages
    assert sent.subject == "A message from Hôtel des Tilleuls"
    assert "Reply-To" not in sent.headers  # no reply address configured: replies reach the sender address
    assert sent.text == "Dear Camille,\nroom 12 & parking.\n\nSee you!\n"
    assert "<p>Dear Camille,<br>\nroom 12 &amp; parking.</p>\n<p>See you!</p>" in sent.html


async def test_a_reply_to_address_is_used_as_it_is_without_a_conversation(capture) -> None:
    await sender_for(capture, reply_to="inbox@hotel-tilleuls.fr").send(request())
    assert capture.messages[0].headers["Reply-To"] == "Hôtel des Tilleuls <inbox@hotel-tilleuls.fr>"


@pytest.mark.parametrize(
    ("to", "code", "retryable", "reason"),
    [
        (
            "bounce@example.com",
            "smtp_550",
            False,
            "The guest's address does not exist (the server said: 550 5.1.1 <bounce@example.com>: "
            "Recipient address rejected: User unknown in virtual mailbox table).",
        ),
        (
            "tempfail@example.com",
            "smtp_451",
            True,
            "The guest's mail system cannot take the message (the server said: 451 4.3.0 "
            "<tempfail@example.com>: Temporary lookup failure, try again later).",
        ),
    ],
)
async def test_refusals_say_whether_trying_again_can_help(capture, to, code, retryable, reason) -> None:
    with pytest.raises(ProviderFailure) as raised:
        await sender_for(capture).send(request(to=to))
    failure = raised.value
    assert (failure.code, failure.retryable, failure.reason) == (code, retryable, reason)
    assert capture.messages == []


async def test_a_wrong_password_is_final_and_an_unreachable_server_is_retried(capture) -> None:
    with pytest.raises(ProviderFailure) as raised:
        await sender_for(capture, password="wrong").send(request())
    assert (raised.value.code, raised.value.retryable) == ("smtp_535", False)
    closed = SmtpCapture().start()
    port = closed.port
    closed.stop()
    with pytest.raises(ProviderFailure) as raised:
        await sender_for(capture, port=port).send(request())
    assert (raised.value.code, raised.value.retryable) == ("smtp_unreachable", True)


async def test_a_silent_server_times_out_and_is_retried() -> None:
    async def accept_and_say_nothing(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await asyncio.sleep(5)
        writer.close()

    server = await asyncio.start_server(accept_and_say_nothing, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    settings = {"host": "127.0.0.1", "port": port, "tls": "none", "sender": "contact@hotel-tilleuls.fr"}
    sender = SmtpEmailSender(settings, {}, None, KEY, allow_local=True, timeout=0.3)
    try:
        with pytest.raises(ProviderFailure) as raised:
            await sender.send(request())
    finally:
        server.close()
    assert raised.value.code == "smtp_timeout" and raised.value.retryable
    assert raised.value.reason == f"The mail server at 127.0.0.1:{port} did not answer in time."


async def test_servers_on_this_machine_are_refused_outside_the_sandbox(capture) -> None:
    sender = SmtpEmailSender(settings_for(capture), {"password": SMTP_PASSWORD}, None, KEY)
    with pytest.raises(ProviderFailure) as raised:
        await sender.send(request())
    assert (raised.value.code, raised.value.retryable) == ("smtp_host_refused", False)
    assert capture.messages == []


async def test_the_sandbox_lists_captured_mail_and_shows_its_html_inert(capture) -> None:
    body = '<p>Hi "Camille"</p><script>alert(1)</script><img src=x onerror="alert(2)">'
    await sender_for(capture).send(request(body=body, subject="<b>Stay</b>"))
    app = FastAPI()
    app.include_router(smtp_router(capture))
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://sandbox") as client:
        listed = (await client.get("/smtp/messages")).json()
        page = await client.get("/smtp/messages/0")
        missing = await client.get("/smtp/messages/1")
        cleared = await client.delete("/smtp/messages")
    [item] = listed
    assert (item["index"], item["subject"], item["envelope_to"]) == (0, "<b>Stay</b>", ["camille@example.com"])
    assert item["html"].endswith(f"<body>\n{body}\n</body>\n</html>\n") and "Content-Type: multipart" in item["raw"]
    assert page.status_code == 200 and page.headers["content-security-policy"].startswith("default-src 'none'")
    assert "<script>" not in page.text and "<b>Stay</b>" not in page.text
    assert "<title>&lt;b&gt;Stay&lt;/b&gt;</title>" in page.text
    assert 'srcdoc="<!DOCTYPE html>' not in page.text and "&lt;script&gt;alert(1)&lt;/script&gt;" in page.text
    assert '<iframe sandbox="" ' in page.text
    assert missing.status_code == 404 and cleared.status_code == 204 and capture.messages == []
