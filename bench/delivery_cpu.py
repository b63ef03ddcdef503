"""Database and ORM cost of delivering queued SMS, without HTTP or arq: worker CPU per message.

    BENCH_DATABASE_URL=postgresql://postgres@127.0.0.1:5432/postgres python -m bench.delivery_cpu --messages 2000

Queues `--messages` staff SMS to as many guests (through the product's use cases), then delivers them the way a
delivery job does (`domain.services.delivery.deliver_many` with the worker's look-ahead, `--slots` in flight)
to a provider that answers at once, in this process: what is left is claiming and recording, and the figure is
this process's CPU per message (PostgreSQL's own is not counted). A diagnostic for the delivery worker's share
of bench.scheduler; the figure that counts is that benchmark's.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import time
import uuid
from datetime import timedelta
from pathlib import Path

from sqlalchemy import func, insert, select

from adapters.crypto.fernet_secret_box import FernetSecretBox
from adapters.db.engine import make_engine, make_session_factory
from adapters.db.tables import channel_connections, messages
from adapters.db.unit_of_work import SqlaUnitOfWork
from api.migrate import upgrade_to_head
from bench import wi_infra as infra
from domain.channels import Channel
from domain.clock import SystemClock
from domain.model import Membership, Property, User
from domain.ports.channels import OutboundRequest, SendReceipt
from domain.retry_policy import RetryPolicy
from domain.services.delivery import deliver_many
from domain.services.inbound import InboundMessage, record_inbound
from domain.services.messaging import send_free_form
from workers.delivery import look_ahead


class InstantSender:
    async def send(self, request: OutboundRequest) -> SendReceipt:
        await asyncio.sleep(0)  # answered on the next turn of the loop, as a fast provider's reply would be
        return SendReceipt(provider_message_id=f"SM{request.message_id.hex}")


class InstantGateway:
    async def sender_for(self, property_id: uuid.UUID, channel: Channel) -> InstantSender:
        return InstantSender()


async def _queue_sends(sessions, box: FernetSecretBox, count: int) -> tuple[uuid.UUID, list[uuid.UUID]]:
    clock = SystemClock()
    prop = Property(name="Bench", timezone="Europe/Paris", locale="en", country="FR", currency="EUR")
    staff = User(email=f"{uuid.uuid4().hex[:8]}@bench.test", name="Staff", password_hash="x")
    async with SqlaUnitOfWork(sessions) as uow:
        uow.properties.add(prop)
        uow.users.add(staff)
        await uow.flush()
        uow.memberships.add(Membership(user_id=staff.id, property_id=prop.id, role="owner"))
        await uow.commit()
    async with sessions() as session:
        await session.execute(
            insert(channel_connections).values(
                id=uuid.uuid4(),
                property_id=prop.id,
                channel="sms",
                status="connected",
                external_id="+15017120000",
                settings={"account_sid": "AC" + "1" * 32, "from_number": "+15017120000"},
                secrets=box.seal({"auth_token": "bench"}),
                updated_at=clock.now(),
            )
        )
        await session.commit()
    ids: list[uuid.UUID] = []
    for start in range(0, count, 100):
        async with SqlaUnitOfWork(sessions) as uow:
            for i in range(start, min(count, start + 100)):
                inbound = InboundMessage(
                    channel=Channel.SMS,
                    provider_message_id=f"SMin{uuid.uuid4().hex}",
                    received_at=clock.now(),
                    body="Hello",
                    phone=f"+336{10_000_000 + i}",
                )
                conversation = (await record_inbound(uow, prop.id, inbound)).conversation
                sent = await send_free_form(
                    uow, prop.id, conversation.id, staff.id, Channel.SMS, "See you soon", clock.now()
                )
                ids.append(sent.id)
            await uow.commit()
    return prop.id, ids


async def run(stack: infra.Stack, count: int, slots: int) -> dict[str, float]:
    await infra.truncate_product_tables(stack.database_url)
    engine = make_engine(stack.database_url, pool_size=4)
    sessions = make_session_factory(engine)
    property_id, ids = await _queue_sends(sessions, FernetSecretBox(stack.encryption_key), count)
    cpu0, wall0 = time.process_time(), time.perf_counter()
    outcomes = await deliver_many(
        lambda: SqlaUnitOfWork(sessions),
        InstantGateway(),
        property_id,
        ids,
        SystemClock(),
        RetryPolicy(),
        concurrency=slots,
        look_ahead=look_ahead,
        sending_lease=timedelta(seconds=120),
    )
    cpu, wall = time.process_time() - cpu0, time.perf_counter() - wall0
    async with sessions() as session:
        sent = await session.scalar(select(func.count()).where(messages.c.status == "sent", messages.c.id.in_(ids)))
    await engine.dispose()
    assert sent == count and {o.status for o in outcomes.values()} == {"sent"}, (sent, count)
    return {
        "messages": count,
        "slots": slots,
        "cpu_ms_per_message": round(1000 * cpu / count, 3),
        "wall_s": round(wall, 2),
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--messages", type=int, default=2000)
    parser.add_argument("--slots", type=int, default=16)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    stack = infra.start_stack(Path(".data/bench-dcpu"), "gmc_bench_dcpu")
    try:
        upgrade_to_head(stack.database_url)
        for _ in range(args.rounds):
            print(json.dumps(asyncio.run(run(stack, args.messages, args.slots))), flush=True)
    finally:
        stack.stop()


if __name__ == "__main__":
    main()
