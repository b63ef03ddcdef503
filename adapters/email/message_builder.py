"""The e-mail as sent: multipart/alternative (plain text first, HTML last: the richest part wins)."""

from __future__ import annotations

from datetime import datetime
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import format_datetime

from domain.email.html_text import html_document, html_to_text, looks_like_html, text_to_html


def one_line(value: str) -> str:
    return " ".join(value.split())


def compose_email(
    *,
    sender_address: str,
    sender_name: str,
    to: str,
    subject: str,
    body: str,
    message_id: str,
    date: datetime,
    reply_to: str | None = None,
    lang: str = "en",
) -> EmailMessage:
    """`body` is HTML when it looks like HTML, else plain text; the other part is derived from it."""
    if looks_like_html(body):
        html, text = body, html_to_text(body)
    else:
        html, text = text_to_html(body), body.replace("\r\n", "\n").strip()
    message = EmailMessage()
    local, _, domain = sender_address.rpartition("@")
    message["From"] = Address(display_name=one_line(sender_name), username=local, domain=domain)
    message["To"] = to
    message["Subject"] = one_line(subject)
    message["Date"] = format_datetime(date)
    message["Message-ID"] = message_id
    if reply_to:
        reply_local, _, reply_domain = reply_to.rpartition("@")
        message["Reply-To"] = Address(display_name=one_line(sender_name), username=reply_local, domain=reply_domain)
    # quoted-printable keeps every line 7-bit: no server has to support 8BITMIME
    message.set_content(text + "\n", subtype="plain", charset="utf-8", cte="quoted-printable")
    message.add_alternative(html_document(html, lang), subtype="html", charset="utf-8", cte="quoted-printable")
    return message
