"""Guests' e-mail replies and bounces on the real stack: the secret-checked endpoint, routing, filing."""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import httpx
import pytest
from sqlalchemy import select

from adapters.db.connection_store import SqlaConnectionStore
from adapters.db.tables import guests, messages, webhook_events
from adapters.email.inbound_processing import process_inbound_email
from adapters.email.smtp_sender import SmtpEmailSender
from domain.channels import AuthorType, Channel, Direction, MessageKind
from domain.email.reply_token import derive_reply_key, reply_token
from domain.message_status import MessageStatus
from domain.model import Message
from domain.ports.connections import ConnectionRecord
from domain.services.inbound import conversation_for
from sandbox.smtp import SmtpCapture
from tests.factories import make_booking, make_property
from tests.integration.test_email_connection import SMTP_PASSWORD, mount_email, running_capture
from tests.integration.test_email_sending import ThreadedRequest
from tests.integration.test_whatsapp_webhooks import count
from tests.unit.test_email_parsing import OUR_ID, bounce_report, gmail_reply

SECRET = "inbound-shared-secret-123"
HOTEL = "contact@hotel-tilleuls.fr"
REPLY_DOMAIN = "reply.hotel-tilleuls.fr"
GUEST = "camille@example.com"


@pytest.fixture
def capture() -> Iterator[SmtpCapture]:
    yield from running_capture()


@pytest.fixture
def http(app, client):  # type: ignore[no-untyped-def]
    mount_email(app)
    return client


def set_inbound_secret(settings, value: str | None) -> None:  # type: ignore[no-untyped-def]
    """Settings.email_inbound_secret, whether or not the field exists yet (getattr is how the router reads it)."""
    if "email_inbound_secret" in type(settings).model_fields:
        settings.email_inbound_secret = value
    else:
        object.__setattr__(settings, "email_inbound_secret", value)


def key(container) -> bytes:  # type: ignore[no-untyped-def]
    return derive_reply_key(container.settings.encryption_key)


async def post(http, raw: bytes, secret: str | None = SECRET, content_type: str = "message/rfc822"):  # type: ignore[no-untyped-def]
    headers = {"content-type": content_type}
    if secret is not None:
        headers["x-inbound-secret"] = secret
    return await http.post("/webhooks/email/inbound", content=raw, headers=headers)


async def process(container, raw: bytes) -> dict[str, int]:  # type: ignore[no-untyped-def]
    async with container.uow() as uow:
        counts = await process_inbound_email(uow, raw, key(container), container.clock)
        await uow.commit()
    return counts


async def hotel(container):  # type: ignore[no-untyped-def]
    """A property with e-mail connected, a guest with a booking, and their conversation."""
    prop = await make_property(container)
    await SqlaConnectionStore(container.sessions, container.secret_box).save(
        ConnectionRecord(
            property_id=prop.id,
            channel="email",
            status="connected",
            updated_at=container.clock.now(),
            external_id=HOTEL,
            settings={
                "host": "127.0.0.1",
                "port": 25,
                "tls": "none",
                "sender": HOTEL,
                "sender_name": "Tilleuls",
                "reply_to": REPLY_DOMAIN,
            },
        )
    )
    booking = await make_booking(container, prop, phone=None, email=GUEST)
    async with container.uow() as uow:
        guest = await uow.guests.get(prop.id, booking.booking.guest_id)
        conversation = await conversation_for(uow, guest, container.clock.now())
        await uow.commit()
    return prop, conversation


async def sent_email(container, prop, conversation, status: str = MessageStatus.SENT) -> Message:  # type: ignore[no-untyped-def]
    message = Message(
        property_id=prop.id,
        conversation_id=conversation.id,
        channel=Channel.EMAIL,
        direction=Direction.OUTBOUND,
        kind=MessageKind.SCHEDULED,
        body="Dear Camille, your room is ready.",
        status=status,
        author_type=AuthorType.SCHEDULER,
        provider_message_id=OUR_ID,
        created_at=container.clock.now(),
    )
    async with container.uow() as uow:
        uow.messages.add(message)
        await uow.commit()
    return message


async def rows(container, *where):  # type: ignore[no-untyped-def]
    async with container.sessions() as session:
        return (await session.execute(select(messages).where(*where).order_by(messages.c.created_at))).mappings().all()


async def test_without_the_right_secret_nothing_is_stored(http, container) -> None:
    raw = gmail_reply(f"reply+x@{REPLY_DOMAIN}")
    set_inbound_secret(container.settings, None)
    unset = await post(http, raw)
    assert unset.status_code == 403 and unset.json()["code"] == "invalid_secret"  # refused while unconfigured
    set_inbound_secret(container.settings, SECRET)
    assert (await post(http, raw, secret=None)).status_code == 403
    assert (await post(http, raw, secret="inbound-shared-secret-12")).status_code == 403
    assert (await post(http, raw, secret="")).status_code == 403
    assert await count(container, webhook_events) == 0


async def test_a_raw_message_is_stored_once_for_the_worker(http, container) -> None:
    set_inbound_secret(container.settings, SECRET)
    raw = gmail_reply(f"reply+x@{REPLY_DOMAIN}")
    first = await post(http, raw)
    assert first.status_code == 200 and first.json() == {"stored": True}
    again = await post(http, raw, content_type="text/plain")
    assert again.status_code == 200 and again.json() == {"stored": False}
    async with container.sessions() as session:
        event = (await session.execute(select(webhook_events))).mappings().one()
    assert (event["provider"], event["dedupe_key"], event["property_id"]) == (
        "email",
        "<CAF=abc123@mail.gmail.com>",
        None,
    )
    assert event["body"] == raw and event["headers"] == {
        "content-type": "message/rfc822",
        "user-agent": f"python-httpx/{httpx.__version__}",
    }


async def test_wrong_bodies_are_refused_before_storage(http, container) -> None:
    set_inbound_secret(container.settings, SECRET)
    assert (await post(http, b'{"not": "mail"}', content_type="application/json")).status_code == 415
    malformed = await post(http, b"hello, no headers here")
    assert malformed.status_code == 400 and malformed.json()["code"] == "malformed_payload"
    if "email_inbound_max_bytes" in type(container.settings).model_fields:
        container.settings.email_inbound_max_bytes = 2000
    container.settings.max_webhook_bytes = 2000
    huge = gmail_reply(f"reply+x@{REPLY_DOMAIN}", text="x" * 5000)
    assert (await post(http, huge)).status_code == 413
    assert await count(container, webhook_events) == 0


async def test_a_reply_with_a_token_lands_in_its_conversation_once(container) -> None:
    prop, conversation = await hotel(container)
    to = f"reply+{reply_token(conversation.id, key(container))}@{REPLY_DOMAIN}"
    # replied from another address of theirs, with no thread headers: the token alone routes it
    raw = gmail_reply(to, sender="Camille <camille.work@example.org>", in_reply_to="<unknown@elsewhere>")
    assert await process(container, raw) == {"inbound": 1}
    assert await process(container, raw) == {"inbound": 0}
    [row] = await rows(container)
    assert (row["conversation_id"], row["channel"], row["direction"], row["status"], row["author_type"]) == (
        conversation.id,
        "email",
        "inbound",
        "received",
        "guest",
    )
    assert row["body"] == "Thanks, we'll arrive around 6pm."
    assert row["provider_message_id"] == "<CAF=abc123@mail.gmail.com>"
    assert row["details"] == {
        "full_text": (
            "Thanks, we'll arrive around 6pm.\n\n"
            f"On Mon, 15 Jun 2026 at 10:00, Hôtel des Tilleuls <{to}> wrote:\n\n"
            "> Dear Camille,\n> Your room is ready from 3pm.\n"
        ),
        "subject": "Re: Votre séjour",
        "message_id": "<CAF=abc123@mail.gmail.com>",
        "from": "camille.work@example.org",
    }
    assert await count(container, guests) == 1


async def test_a_reply_to_the_sender_address_is_threaded_by_in_reply_to(container) -> None:
    prop, conversation = await hotel(container)
    await sent_email(container, prop, conversation)
    raw = gmail_reply(HOTEL, text="Is parking included?", sender="Someone <other@example.org>")
    assert await process(container, raw) == {"inbound": 1}
    [reply] = await rows(container, messages.c.direction == "inbound")
    assert reply["conversation_id"] == conversation.id and reply["body"] == "Is parking included?"


async def test_known_guests_are_found_by_address_and_strangers_are_not_filed(container) -> None:
    prop, conversation = await hotel(container)
    raw = gmail_reply(HOTEL, text="Hello again", in_reply_to="<nothing@of.ours>")
    assert await process(container, raw) == {"inbound": 1}
    assert (await rows(container))[0]["conversation_id"] == conversation.id
    stranger = gmail_reply(HOTEL, message_id="<2@x>", in_reply_to="<nothing@of.ours>", sender="spam@example.net")
    assert await process(container, stranger) == {"unknown_sender": 1}
    elsewhere = gmail_reply("someone@other-hotel.fr", message_id="<3@x>", in_reply_to="<nothing@of.ours>")
    assert await process(container, elsewhere) == {"unrouted": 1}
    assert await count(container, messages) == 1


async def test_a_forged_token_reaches_no_conversation(container) -> None:
    prop, conversation = await hotel(container)
    forged = reply_token(conversation.id, derive_reply_key("another deployment"))
    raw = gmail_reply(f"reply+{forged}@{REPLY_DOMAIN}", in_reply_to="<nothing@of.ours>")
    assert await process(container, raw) == {"unrouted": 1}
    assert await count(container, messages) == 0


@pytest.mark.parametrize("routed_by", ["recipient", "token", "message_id"])
async def test_a_bounce_fails_the_message_it_reports_on(container, routed_by: str) -> None:
    prop, conversation = await hotel(container)
    sent = await sent_email(container, prop, conversation)
    token_address = f"Tilleuls <reply+{reply_token(conversation.id, key(container))}@{REPLY_DOMAIN}>"
    raw = bounce_report(reply_to=token_address if routed_by == "token" else "")
    if routed_by != "recipient":
        raw = raw.replace(b"contact@hotel.test", b"postmaster@mta.example.net")  # not the hotel's address
    assert await process(container, raw) == {"bounces": 1}
    assert await process(container, raw) == {"bounces": 0}  # already failed
    [row] = await rows(container, messages.c.id == sent.id)
    assert (row["status"], row["error_code"]) == ("failed", "email_bounced")
    assert row["error_reason"] == (
        "The guest's address does not exist (the server said: 550 5.1.1 <nobody@guest.test>: Recipient address "
        "rejected: User unknown in virtual mailbox table)."
    )


async def test_a_delivered_message_is_not_failed_by_a_late_bounce_nor_by_a_delay(container) -> None:
    prop, conversation = await hotel(container)
    sent = await sent_email(container, prop, conversation, status=MessageStatus.DELIVERED)
    assert await process(container, bounce_report(action="delayed")) == {"delivery_reports": 1}
    assert await process(container, bounce_report()) == {"bounces": 0}
    assert (await rows(container, messages.c.id == sent.id))[0]["status"] == "delivered"


async def test_send_then_reply_round_trip(http, container, capture) -> None:
    set_inbound_secret(container.settings, SECRET)
    prop, conversation = await hotel(container)
    settings = {
        "host": "127.0.0.1",
        "port": capture.port,
        "tls": "none",
        "username": "hotel",
        "sender": HOTEL,
        "sender_name": "Hôtel des Tilleuls",
        "reply_to": REPLY_DOMAIN,
    }
    sender = SmtpEmailSender(settings, {"password": SMTP_PASSWORD}, None, key(container), allow_local=True)
    receipt = await sender.send(
        ThreadedRequest(
            uuid.uuid4(),
            prop.id,
            Channel.EMAIL,
            GUEST,
            "Your room is ready.",
            subject="Votre séjour",
            conversation_id=conversation.id,
        )
    )
    [sent] = capture.messages
    reply_address = sent.headers["Reply-To"].partition("<")[2].rstrip(">")
    raw = gmail_reply(reply_address, text="Merci, à demain !", in_reply_to=receipt.provider_message_id)
    assert (await post(http, raw)).json() == {"stored": True}
    async with container.sessions() as session:
        body = await session.scalar(select(webhook_events.c.body))
    assert await process(container, body) == {"inbound": 1}
    [reply] = await rows(container, messages.c.direction == "inbound")
    assert reply["conversation_id"] == conversation.id and reply["body"] == "Merci, à demain !"
