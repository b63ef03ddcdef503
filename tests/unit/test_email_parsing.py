"""Inbound RFC 5322 messages as real clients and MTAs send them: replies, delivery reports, odd ones."""

from __future__ import annotations

from datetime import UTC, datetime

from adapters.email.inbound_parser import key_of, parse_email
from domain.email.trimming import trim_reply

AT = datetime(2026, 6, 15, 9, 30, tzinfo=UTC)
OUR_ID = "<5f0c2a8e-1b7d-4c11-9a57-0d6f3e2b9c10@hotel.test>"


def gmail_reply(
    to: str,
    text: str = "Thanks, we'll arrive around 6pm.",
    message_id: str = "<CAF=abc123@mail.gmail.com>",
    in_reply_to: str = OUR_ID,
    sender: str = "Camille Durand <camille@example.com>",
) -> bytes:
    return f"""Delivered-To: {to}
Return-Path: <camille@example.com>
MIME-Version: 1.0
Date: Mon, 15 Jun 2026 11:29:00 +0200
Message-ID: {message_id}
In-Reply-To: {in_reply_to}
References: <older@hotel.test> {in_reply_to}
Subject: =?UTF-8?Q?Re=3A_Votre_s=C3=A9jour?=
From: {sender}
To: =?UTF-8?Q?H=C3=B4tel_des_Tilleuls?= <{to}>
Content-Type: multipart/alternative; boundary="000000000000b1c2d3"

--000000000000b1c2d3
Content-Type: text/plain; charset="UTF-8"
Content-Transfer-Encoding: quoted-printable

{text}

On Mon, 15 Jun 2026 at 10:00, H=C3=B4tel des Tilleuls <{to}> wrote:

> Dear Camille,
> Your room is ready from 3pm.

--000000000000b1c2d3
Content-Type: text/html; charset="UTF-8"

<div dir=3D"ltr">{text}</div>

--000000000000b1c2d3--
""".replace("\n", "\r\n").encode()


def bounce_report(original_id: str = OUR_ID, action: str = "failed", reply_to: str = "") -> bytes:
    return f"""Return-Path: <>
Delivered-To: contact@hotel.test
From: MAILER-DAEMON@smtp.hotel.test (Mail Delivery System)
To: contact@hotel.test
Subject: Undelivered Mail Returned to Sender
Message-ID: <20260615093000.ABC12@smtp.hotel.test>
MIME-Version: 1.0
Content-Type: multipart/report; report-type=delivery-status; boundary="B1"

--B1
Content-Type: text/plain; charset=us-ascii

This is the mail system at host smtp.hotel.test.
I'm sorry to have to inform you that your message could not be delivered.

--B1
Content-Type: message/delivery-status

Reporting-MTA: dns; smtp.hotel.test
Arrival-Date: Mon, 15 Jun 2026 09:29:58 +0000

Final-Recipient: rfc822; nobody@guest.test
Original-Recipient: rfc822;nobody@guest.test
Action: {action}
Status: 5.1.1
Remote-MTA: dns; mx.guest.test
Diagnostic-Code: smtp; 550 5.1.1 <nobody@guest.test>: Recipient address rejected:
    User unknown in virtual mailbox table

--B1
Content-Type: text/rfc822-headers

From: =?utf-8?q?H=C3=B4tel?= des Tilleuls <contact@hotel.test>
To: nobody@guest.test
Subject: Your stay
Message-ID: {original_id}
{"Reply-To: " + reply_to if reply_to else "X-Nothing: 1"}

--B1--
""".replace("\n", "\r\n").encode()


def test_a_gmail_reply_is_read_with_its_thread() -> None:
    parsed = parse_email(gmail_reply("reply+tok@reply.hotel.test"), AT)
    reply = parsed.reply
    assert reply is not None and parsed.bounce is None
    assert reply.message_id == "<CAF=abc123@mail.gmail.com>"
    assert (reply.sender, reply.sender_name, reply.subject) == (
        "camille@example.com",
        "Camille Durand",
        "Re: Votre séjour",
    )
    assert reply.references == (OUR_ID, "<older@hotel.test>")
    assert reply.received_at == AT and not reply.auto_submitted and reply.attachments == ()
    assert reply.text.startswith("Thanks, we'll arrive around 6pm.\n\nOn Mon, 15 Jun 2026 at 10:00, Hôtel des Tilleuls")
    assert trim_reply(reply.text) == "Thanks, we'll arrive around 6pm."
    assert parsed.routing_addresses == ("reply+tok@reply.hotel.test",)
    assert parsed.referenced_ids == (OUR_ID, "<older@hotel.test>")


def test_an_html_only_reply_is_read_as_text_and_attachments_are_listed() -> None:
    raw = b"""From: camille@example.com\r
To: contact@hotel.test\r
Cc: Other <other@example.com>\r
Subject: Photo\r
Auto-Submitted: auto-replied\r
Content-Type: multipart/mixed; boundary="M"\r
\r
--M\r
Content-Type: text/html; charset=utf-8\r
\r
<p>Here is the <b>photo</b>.</p><blockquote>Old text</blockquote>\r
--M\r
Content-Type: image/jpeg; name="car.jpg"\r
Content-Disposition: attachment; filename="car.jpg"\r
Content-Transfer-Encoding: base64\r
\r
/9j/4AAQSkZJRg==\r
--M--\r
"""
    parsed = parse_email(raw, AT)
    reply = parsed.reply
    assert reply is not None
    assert reply.text == "Here is the photo.\n\n> Old text" and trim_reply(reply.text) == "Here is the photo."
    assert reply.attachments == ({"filename": "car.jpg", "content_type": "image/jpeg", "size": 10},)
    assert reply.auto_submitted and reply.message_id.endswith("@no-message-id.invalid>")
    assert parsed.routing_addresses == ("contact@hotel.test", "other@example.com")


def test_a_delivery_report_names_the_original_and_the_reason() -> None:
    parsed = parse_email(bounce_report(reply_to="Hotel <reply+tok@reply.hotel.test>"), AT)
    bounce = parsed.bounce
    assert parsed.reply is None and bounce is not None
    assert bounce.original_message_ids == (OUR_ID,) and bounce.status == "5.1.1"
    assert bounce.recipient == "nobody@guest.test"
    assert bounce.diagnostic == (
        "smtp; 550 5.1.1 <nobody@guest.test>: Recipient address rejected: User unknown in virtual mailbox table"
    )
    assert parsed.routing_addresses == ("contact@hotel.test", "reply+tok@reply.hotel.test")


def test_a_delayed_report_is_neither_a_reply_nor_a_bounce() -> None:
    parsed = parse_email(bounce_report(action="delayed"), AT)
    assert parsed.reply is None and parsed.bounce is None


def test_a_bounce_in_prose_with_the_original_attached() -> None:
    raw = f"""From: Mail Delivery Subsystem <mailer-daemon@googlemail.com>\r
To: contact@hotel.test\r
Subject: Delivery Status Notification (Failure)\r
Content-Type: multipart/mixed; boundary="P"\r
\r
--P\r
Content-Type: text/plain\r
\r
Your message wasn't delivered to nobody@guest.test because the address couldn't be found.\r
\r
The response was:\r
550 5.1.1 The email account that you tried to reach does not exist.\r
--P\r
Content-Type: message/rfc822\r
\r
From: contact@hotel.test\r
Message-ID: {OUR_ID}\r
Subject: Your stay\r
\r
Dear Camille\r
--P--\r
""".encode()
    bounce = parse_email(raw, AT).bounce
    assert bounce is not None and bounce.original_message_ids == (OUR_ID,)
    assert bounce.diagnostic == "550 5.1.1 The email account that you tried to reach does not exist."


def test_dedupe_keys() -> None:
    assert key_of(gmail_reply("contact@hotel.test")) == "<CAF=abc123@mail.gmail.com>"
    assert key_of(b"From: a@b.test\r\nSubject: no id\r\n\r\nhi").startswith("sha256:")  # type: ignore[union-attr]
    assert key_of(b"just some text, not an e-mail") is None
    assert key_of(b"") is None
