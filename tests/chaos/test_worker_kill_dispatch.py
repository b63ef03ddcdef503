"""A worker process killed (SIGKILL) while many scheduled sends and many staff sends are going out; a new
worker takes over. The sandbox provider records every request it receives; the test counts them per guest:
nothing is lost, nothing reaches the provider twice. Run by `make chaos`."""

from __future__ import annotations

import asyncio
import signal
import subprocess
from collections import Counter
from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, select

from adapters.db.tables import messages, planned_sends
from api.app import create_app
from api.container import build_container
from domain.channels import Channel
from domain.clock import SystemClock
from domain.message_status import OUTCOME_UNKNOWN_CODE
from tests.chaos.stack import SlowAnswers, start_worker, stop, wait_for
from tests.factories import StaffClient, connect_channel, guest_writes, make_property, make_user
from tests.live_server import free_port, serve

pytestmark = pytest.mark.chaos
SENDS = 150  # more than a property's 64 calls in flight, so the kill lands with sends still waiting
KILL_AFTER = 12  # provider requests seen before the worker is killed: well inside the run
PROVIDER_DELAY = 0.4  # the sandbox answers each send after this, so the kill lands on sends in flight
WORKER_ENV = {"STUCK_SENDING_SECONDS": "1", "JOB_TIMEOUT_SECONDS": "20"}
RULE = {
    "name": "Pre-arrival",
    "trigger": "before_check_in",
    "offset_days": 2,
    "send_time": "10:00",
    "channel_order": ["sms"],
    "content": {"default": {"sms_text": "Hello {{ guest.first_name }}, see you soon."}},
}


def _phone(i: int) -> str:
    return f"+336110{i:04d}1"  # never ending in 0007, which the sandbox treats as undeliverable


async def _product(settings, container, delay: float = PROVIDER_DELAY):  # type: ignore[no-untyped-def]
    """API + sandbox on a real port (the sandbox answering sends slowly), on the real clock workers use."""
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    live_settings = settings.model_copy(update={"public_base_url": url, "port": port, "sandbox": True})
    live = build_container(live_settings, clock=SystemClock())
    prop = await make_property(live)
    await make_user(live, prop, email="kill@hotel.test")
    await connect_channel(
        live,
        prop,
        Channel.SMS,
        settings={"api_base_url": f"{url}/sandbox/twilio"},
        secrets_={"auth_token": "sandbox-token"},
    )
    app = create_app(live_settings, container=live)
    app.state.sandbox.callback_delays = (0.05, 0.05, 0.05)
    slow = SlowAnswers(app, r"/sandbox/twilio/.*/Messages\.json$", delay)
    return live_settings, live, prop, slow, port


def _sends_per_phone(sandbox) -> Counter[str]:  # type: ignore[no-untyped-def]
    return Counter(
        r["body"]["To"] for r in sandbox.requests if r["provider"] == "twilio" and r["path"].endswith("Messages.json")
    )


async def _kill_mid_run_then_restart(  # type: ignore[no-untyped-def]
    live_settings, sandbox, tmp_path, workers: list[subprocess.Popen[bytes]], total: int, kill_when=None
) -> None:
    """Kills the first worker once `kill_when` holds (by default: KILL_AFTER sends at the provider), then
    starts another. Started workers go into `workers` at once, so the test stops them whatever happens."""
    log = tmp_path / "workers.log"
    first = start_worker(live_settings, log, **WORKER_ENV)
    workers.append(first)

    async def mid_run() -> bool:
        if first.poll() is not None:
            raise AssertionError(f"the worker died by itself: {log.read_text()[-2000:]}")
        if kill_when is not None:
            return bool(await kill_when())
        return sum(_sends_per_phone(sandbox).values()) >= KILL_AFTER

    await wait_for(mid_run, 60, "the first worker to be in the middle of its work")
    first.send_signal(signal.SIGKILL)
    first.wait(timeout=10)
    print(f"killed with {sum(_sends_per_phone(sandbox).values())} sends at the provider")  # noqa: T201
    assert sum(_sends_per_phone(sandbox).values()) < total, "the kill must land before the run is over"
    await asyncio.sleep(1.2)  # sends cut short are now older than STUCK_SENDING_SECONDS
    workers.append(start_worker(live_settings, log, **WORKER_ENV))


async def _settled(live, ids) -> dict:  # type: ignore[no-untyped-def]
    async with live.sessions() as session:
        rows = await session.execute(
            select(messages.c.id, messages.c.status, messages.c.error_code).where(messages.c.id.in_(ids))
        )
        return {r.id: r for r in rows}


def _assert_exactly_once(rows, phone_of, per_phone: Counter[str]) -> None:  # type: ignore[no-untyped-def]
    """Every message reached the provider once; the only ones not 'sent' are those the kill cut mid-call,
    which the provider received once and we honestly marked "outcome unknown" without sending again."""
    assert max(per_phone.values()) == 1, [p for p, n in per_phone.items() if n > 1]
    interrupted = [r for r in rows.values() if r.error_code == OUTCOME_UNKNOWN_CODE]
    # at most the calls in flight at the kill: a property's slots (a burst's job), or a worker's 20 jobs
    assert len(interrupted) <= 64, "at most the calls in flight at the kill can be cut short"
    for row in rows.values():
        assert row.status not in ("queued", "sending"), row
        if row.error_code != OUTCOME_UNKNOWN_CODE:
            assert row.status in ("sent", "delivered", "read"), row
            assert per_phone[phone_of[row.id]] == 1, row
        else:
            assert row.status == "failed" and per_phone[phone_of[row.id]] <= 1
    # nothing lost: every message the provider received was asked for exactly once, and vice versa
    assert sum(per_phone.values()) >= len(rows) - len(interrupted)
    assert set(per_phone) <= set(phone_of.values())


@pytest.mark.parametrize(
    ("planned", "moment"),
    [
        (SENDS, "delivery"),  # killed while the dispatched sends go out to the provider
        (400, "dispatch"),  # killed between dispatch batches: some sends claimed and committed, others not yet
    ],
)
async def test_worker_killed_during_scheduled_dispatch_nothing_lost_nothing_twice(
    settings, container, tmp_path, planned, moment
):
    live_settings, live, prop, slow, port = await _product(
        settings, container, delay=PROVIDER_DELAY if moment == "delivery" else 0
    )
    workers: list[subprocess.Popen[bytes]] = []
    try:
        async with serve(slow, port) as url:  # type: ignore[arg-type]
            async with StaffClient(base_url=url, timeout=30) as staff:
                await staff.login("kill@hotel.test", "correct horse")
                assert (await staff.post("/api/v1/scheduled-messages", json=RULE)).status_code == 201
                tomorrow = (live.clock.now().astimezone(ZoneInfo("Europe/Paris")) + timedelta(days=1)).date()
                for i in range(planned):  # check-in tomorrow, rule 2 days before: every send is due now
                    booking = {
                        "guest": {"first_name": f"G{i}", "phone": _phone(i), "language": "en"},
                        "check_in": tomorrow.isoformat(),
                        "check_out": (tomorrow + timedelta(days=2)).isoformat(),
                    }
                    assert (await staff.put(f"/api/v1/bookings/K{i}", json=booking)).status_code in (200, 201)
            async with live.sessions() as session:
                due = await session.scalar(
                    select(func.count()).select_from(planned_sends).where(planned_sends.c.state == "planned")
                )
            assert due == planned

            async def between_batches() -> bool:
                async with live.sessions() as session:
                    still_planned = await session.scalar(
                        select(func.count()).select_from(planned_sends).where(planned_sends.c.state == "planned")
                    )
                return 0 < still_planned < planned

            await _kill_mid_run_then_restart(
                live_settings,
                slow.sandbox,
                tmp_path,
                workers,
                planned,
                between_batches if moment == "dispatch" else None,
            )
            async with live.sessions() as session:
                after_kill = Counter((await session.scalars(select(planned_sends.c.state))).all())
            print(f"planned sends just after the kill: {dict(after_kill)}")  # noqa: T201

            async def all_dispatched_and_settled() -> bool:
                async with live.sessions() as session:
                    rows = (await session.execute(select(planned_sends.c.state, planned_sends.c.message_id))).all()
                if any(r.state == "planned" for r in rows):
                    return False
                settled = await _settled(live, [r.message_id for r in rows])
                return all(r.status not in ("queued", "sending") for r in settled.values())

            async def where_things_are() -> object:
                async with live.sessions() as session:
                    plan = Counter((await session.scalars(select(planned_sends.c.state))).all())
                    sends = Counter(
                        (r.status, r.error_code)
                        for r in await session.execute(
                            select(messages.c.status, messages.c.error_code).where(messages.c.direction == "outbound")
                        )
                    )
                return {"planned": dict(plan), "messages": dict(sends), "provider": len(slow.sandbox.requests)}

            await wait_for(
                all_dispatched_and_settled, 180, "every planned send to be dispatched and settled", where_things_are
            )
            await asyncio.sleep(1.5)  # time for any wrongly repeated send to reach the provider
            async with live.sessions() as session:
                plan = (await session.execute(select(planned_sends.c.state, planned_sends.c.message_id))).all()
            if moment == "dispatch":
                assert after_kill["planned"] > 0, "the kill must land before every send was dispatched"
            assert len(plan) == planned and {r.state for r in plan} == {"sent"}, Counter(r.state for r in plan)
            message_ids = [r.message_id for r in plan]
            assert len(set(message_ids)) == planned  # one message per planned send, never two
            rows, phone_of, per_phone = (
                await _settled(live, message_ids),
                await _phones(live, message_ids),
                _sends_per_phone(slow.sandbox),
            )
            _assert_exactly_once(rows, phone_of, per_phone)
            assert set(per_phone) == {_phone(i) for i in range(planned)} - _never_called(rows, phone_of, per_phone)
            print(f"outcomes: {Counter((r.status, r.error_code) for r in rows.values())}")  # noqa: T201
    finally:
        stop(*workers)
        await live.aclose()


async def _phones(live, message_ids) -> dict:  # type: ignore[no-untyped-def]
    from adapters.db.tables import conversations, guests

    async with live.sessions() as session:
        rows = await session.execute(
            select(messages.c.id, guests.c.phone)
            .join(conversations, conversations.c.id == messages.c.conversation_id)
            .join(guests, guests.c.id == conversations.c.guest_id)
            .where(messages.c.id.in_(message_ids))
        )
        return {r.id: r.phone for r in rows}


def _never_called(rows, phone_of, per_phone) -> set[str]:  # type: ignore[no-untyped-def]
    """Sends the kill cut between our 'sending' mark and the provider call: failed as outcome unknown."""
    return {
        phone_of[r.id] for r in rows.values() if r.error_code == OUTCOME_UNKNOWN_CODE and not per_phone[phone_of[r.id]]
    }


async def test_worker_killed_during_many_staff_sends_nothing_lost_nothing_twice(settings, container, tmp_path):
    live_settings, live, prop, slow, port = await _product(settings, container)
    workers: list[subprocess.Popen[bytes]] = []
    try:
        async with serve(slow, port) as url:  # type: ignore[arg-type]
            message_ids = []
            async with StaffClient(base_url=url, timeout=30) as staff:
                await staff.login("kill@hotel.test", "correct horse")
                for i in range(SENDS):
                    cid = (await guest_writes(live, prop, _phone(i), channel=Channel.SMS)).conversation.id
                    sent = await staff.post(
                        f"/api/v1/conversations/{cid}/messages", json={"channel": "sms", "body": f"reply {i}"}
                    )
                    assert sent.status_code == 202, sent.text
                    message_ids.append(sent.json()["id"])

            await _kill_mid_run_then_restart(live_settings, slow.sandbox, tmp_path, workers, SENDS)

            async def settled() -> bool:
                rows = await _settled(live, message_ids)
                return all(r.status not in ("queued", "sending") for r in rows.values())

            await wait_for(settled, 90, "every staff send to be settled")
            await asyncio.sleep(1.5)
            rows = await _settled(live, message_ids)
            assert len(rows) == SENDS
            phone_of = await _phones(live, message_ids)
            per_phone = _sends_per_phone(slow.sandbox)
            _assert_exactly_once(rows, phone_of, per_phone)
            assert set(per_phone) == {_phone(i) for i in range(SENDS)} - _never_called(rows, phone_of, per_phone)
            print(f"outcomes: {Counter((r.status, r.error_code) for r in rows.values())}")  # noqa: T201
    finally:
        stop(*workers)
        await live.aclose()
