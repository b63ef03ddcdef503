"""Airbnb messages of one thread stay in one conversation even when their reservation is not known yet."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select

from adapters.db.tables import conversations, guests
from domain.channels import Channel
from domain.services.inbound import InboundMessage, record_inbound
from tests.factories import make_property


def _message(message_id: str, thread: str, at) -> InboundMessage:
    return InboundMessage(
        channel=Channel.AIRBNB,
        provider_message_id=message_id,
        received_at=at,
        body="Hello",
        profile_name="Léa",
        confirmation_code="UNKNOWN1",  # no booking with this code (the reservation sync has not run)
        thread_id=thread,
    )


async def _count(container, table) -> int:
    async with container.sessions() as session:
        return int(await session.scalar(select(func.count()).select_from(table)) or 0)


async def test_a_thread_without_a_known_reservation_keeps_one_guest_and_conversation(container):
    prop = await make_property(container)
    now = container.clock.now()
    for i, thread in enumerate(["t-1", "t-1", "t-2", "t-1"]):
        async with container.uow() as uow:
            await record_inbound(uow, prop.id, _message(f"m-{i}", thread, now + timedelta(minutes=i)))
            await uow.commit()
    assert await _count(container, guests) == 2  # one per thread: Airbnb gives no phone to tell guests apart
    assert await _count(container, conversations) == 2
    async with container.sessions() as session:
        counts = sorted((await session.execute(select(conversations.c.inbound_count))).scalars())
    assert counts == [1, 3]
