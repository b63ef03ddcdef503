"""A plain-text e-mail design is rendered as text, so a guest's "&" is escaped once, by the e-mail itself."""

from __future__ import annotations

from sqlalchemy import select

from adapters.db.tables import messages
from domain.channels import Channel
from tests.factories import connect_channel
from tests.integration.test_batch_dispatch import DUE
from tests.integration.test_scheduling import BOOKING, RULE, _hotel, _travel
from workers.main import sweep_planned


async def _body(container) -> str:
    async with container.sessions() as session:
        return str(await session.scalar(select(messages.c.body).where(messages.c.channel == "email")))


async def test_plain_text_and_html_designs_are_escaped_once(client, container, worker_ctx):
    prop = await _hotel(client, container)
    await connect_channel(container, prop, Channel.EMAIL, settings={"from_address": "hotel@example.com"})
    text_rule = {
        **RULE,
        "channel_order": ["email"],
        "content": {"default": {"email_subject": "See you", "email_body": "Hello {{ guest.first_name }} & co"}},
    }
    await client.post("/api/v1/scheduled-messages", json=text_rule)
    guest = {**BOOKING["guest"], "first_name": "Tom & Jerry", "email": "tom@example.com"}
    put = await client.put("/api/v1/bookings/B1", json={**BOOKING, "guest": guest})
    assert put.status_code == 201, put.text
    await _travel(client, container, DUE)
    assert await sweep_planned(worker_ctx) == 1
    assert await _body(container) == "Hello Tom & Jerry & co"


async def test_an_html_design_escapes_guest_values(client, container, worker_ctx):
    prop = await _hotel(client, container)
    await connect_channel(container, prop, Channel.EMAIL, settings={"from_address": "hotel@example.com"})
    html_rule = {
        **RULE,
        "channel_order": ["email"],
        "content": {"default": {"email_subject": "See you", "email_body": "<p>Hello {{ guest.first_name }}</p>"}},
    }
    await client.post("/api/v1/scheduled-messages", json=html_rule)
    guest = {**BOOKING["guest"], "first_name": "<b>Tom</b> & Jerry", "email": "tom@example.com"}
    put = await client.put("/api/v1/bookings/B1", json={**BOOKING, "guest": guest})
    assert put.status_code == 201, put.text
    await _travel(client, container, DUE)
    assert await sweep_planned(worker_ctx) == 1
    assert await _body(container) == "<p>Hello &lt;b&gt;Tom&lt;/b&gt; &amp; Jerry</p>"
