"""Handing one queued message to its provider, at most once.

The send is split around the provider call: the message is marked `sending` and committed first,
so a worker that dies mid-call leaves a trace. Whoever finds a message still `sending` must not
call the provider again (it may have received it): the message is failed as "outcome unknown",
and a later status callback from the provider may still prove it was delivered.
"""

from __future__ import annotations

import asyncio
import logging
import uuid
from collections import deque
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from domain.channels import Channel
from domain.clock import Clock
from domain.errors import ProviderFailure
from domain.message_status import OUTCOME_UNKNOWN_CODE, MessageStatus
from domain.model import Message
from domain.ports.channels import ChannelGateway, ChannelSender, OutboundRequest, SendReceipt
from domain.ports.realtime import RealtimeEvent
from domain.ports.unit_of_work import UnitOfWork
from domain.retry_policy import RetryPolicy
from domain.services.airbnb import PAUSED_CODE
from domain.services.consent import record_provider_refusal
from domain.services.spending import hold_for_spending_cap

log = logging.getLogger(__name__)

# reads ahead, in a few statements, what claiming or recording these messages will ask for (an adapter's
# optimisation: the use case gives the same answers without it)
LookAhead = Callable[[UnitOfWork, uuid.UUID, Sequence[uuid.UUID]], Awaitable[None]]


@dataclass(frozen=True)
class DeliveryOutcome:
    status: str
    retry_in_seconds: float | None = None
    attempt: int = 0


INTERRUPTED_REASON = (
    "The sending worker stopped while handing this message to the provider, so it may or may not have "
    "been delivered. It was not sent again to avoid a duplicate; check with the guest before retrying."
)


def _announce(uow: UnitOfWork, message: Message) -> None:
    uow.announce(RealtimeEvent("message.status", message.property_id, message.conversation_id, message.id))


def _fail(message: Message, code: str, reason: str, clock: Clock) -> None:
    message.status = MessageStatus.FAILED
    message.error_code = code
    message.error_reason = reason
    message.next_attempt_at = None
    message.status_changed_at = clock.now()


async def _claim(
    uow: UnitOfWork, property_id: uuid.UUID, message_id: uuid.UUID, clock: Clock, sending_lease: timedelta | None
) -> tuple[OutboundRequest | None, DeliveryOutcome]:
    message = await uow.messages.get(property_id, message_id, lock=True)
    if message is None:
        return None, DeliveryOutcome("missing")
    now = clock.now()
    if (
        message.status == MessageStatus.SENDING
        and sending_lease is not None
        and message.status_changed_at is not None
        and message.status_changed_at > now - sending_lease
    ):
        # another job is handing it over right now (a batch and a sweep's job can cross); it records the outcome
        return None, DeliveryOutcome("busy", attempt=message.attempts)
    if message.status == MessageStatus.SENDING:
        _fail(message, OUTCOME_UNKNOWN_CODE, INTERRUPTED_REASON, clock)
        _announce(uow, message)
        return None, DeliveryOutcome(MessageStatus.FAILED, attempt=message.attempts)
    if message.status != MessageStatus.QUEUED:
        return None, DeliveryOutcome(message.status, attempt=message.attempts)  # already handled: jobs may repeat
    if message.next_attempt_at is not None and message.next_attempt_at > now:
        wait = (message.next_attempt_at - now).total_seconds()
        return None, DeliveryOutcome(MessageStatus.QUEUED, retry_in_seconds=wait, attempt=message.attempts)
    conversation = await uow.conversations.get(property_id, message.conversation_id)
    guest = await uow.guests.get(property_id, conversation.guest_id) if conversation else None
    recipient = (guest.email if message.channel == Channel.EMAIL else guest.phone) if guest else None
    if message.channel == Channel.AIRBNB:
        booking = (
            await uow.bookings.get(property_id, conversation.booking_id)
            if conversation and conversation.booking_id
            else None
        )
        recipient = booking.airbnb_thread_id if booking else None
    if not recipient:
        _fail(message, "recipient_missing", "The guest has no address on this channel.", clock)
        _announce(uow, message)
        return None, DeliveryOutcome(MessageStatus.FAILED, attempt=message.attempts)
    if guest is not None and guest.opted_out(message.channel):
        # the guest opted out after this message was queued: never hand it to the provider
        _fail(message, f"{message.channel}_opted_out", "The guest has opted out of this channel.", clock)
        _announce(uow, message)
        return None, DeliveryOutcome(MessageStatus.FAILED, attempt=message.attempts)
    if await hold_for_spending_cap(uow, message, now):
        _announce(uow, message)  # held, not lost: queued with its reason until the cap allows it
        return None, DeliveryOutcome("held", attempt=message.attempts)
    message.status = MessageStatus.SENDING
    message.attempts += 1
    message.status_changed_at = now
    request = OutboundRequest(
        message_id=message.id,
        property_id=property_id,
        channel=Channel(message.channel),
        to=recipient,
        body=message.body,
        template_name=message.template_name,
        template_language=(message.template_params or {}).get("language"),
        template_params=message.template_params,
        subject=(message.details or {}).get("subject"),
        conversation_id=message.conversation_id,
    )
    return request, DeliveryOutcome(MessageStatus.SENDING, attempt=message.attempts)


# Provider refusals that mean "this guest said no": remembered so the next send is refused before any call.
OPT_OUT_FAILURES = {"twilio_21610": "provider refused: recipient unsubscribed (21610)"}


async def _remember_opt_out(uow: UnitOfWork, message: Message, failure: ProviderFailure, now: datetime) -> None:
    source = OPT_OUT_FAILURES.get(failure.code)
    if source is None:
        return
    conversation = await uow.conversations.get(message.property_id, message.conversation_id)
    guest = await uow.guests.get(message.property_id, conversation.guest_id) if conversation else None
    if guest is not None and not guest.opted_out(message.channel):
        guest.opt_outs = {**guest.opt_outs, message.channel: {"at": now.isoformat(), "source": source}}


async def deliver(
    new_uow: Callable[[], UnitOfWork],
    gateway: ChannelGateway,
    property_id: uuid.UUID,
    message_id: uuid.UUID,
    clock: Clock,
    policy: RetryPolicy,
    *,
    sending_lease: timedelta | None = None,
) -> DeliveryOutcome:
    outcomes = await deliver_many(
        new_uow, gateway, property_id, [message_id], clock, policy, sending_lease=sending_lease
    )
    return outcomes[message_id]


async def deliver_many(
    new_uow: Callable[[], UnitOfWork],
    gateway: ChannelGateway,
    property_id: uuid.UUID,
    message_ids: Sequence[uuid.UUID],
    clock: Clock,
    policy: RetryPolicy,
    *,
    concurrency: int = 1,
    look_ahead: LookAhead | None = None,
    sending_lease: timedelta | None = None,
    more: Callable[[], Awaitable[Sequence[uuid.UUID]]] | None = None,
) -> dict[uuid.UUID, DeliveryOutcome]:
    """Several queued messages of one property, with at most `concurrency` of them `sending` (claimed and
    not yet recorded) at any moment: those are all of its provider calls in flight, and all that a worker
    dying here can leave of unknown outcome. Each message goes through the same claim and the same
    recording as a single one, so its rules (never twice, opt-outs, spending cap, retries) do not depend on
    the company it travels in.

    The calls overlap the database work: whatever came back is recorded, and as many messages claimed, while
    the other calls are in flight (sending a group, then recording it, left the provider idle during every
    transaction and the group waiting for its slowest call).

    A message found `sending` is someone else's until `sending_lease` has passed (None: at once): only then
    is its worker presumed dead and the message settled as "outcome unknown".

    `more` feeds the window: asked for the next messages whenever those given have all been claimed and a
    slot is free, so the calls in flight never fall to zero between one lot of messages and the next (with a
    provider taking 300 ms a call, lots of 100 through 64 slots left it half idle); an id already taken here
    is not taken again. While calls are in flight it is asked again at each turn that frees a slot (sends
    still being dispatched join the burst; one indexed read per turn at the tail), and the job ends when it
    has nothing new and nothing in flight."""
    wanted = deque(dict.fromkeys(message_ids))
    seen = set(wanted)
    limit = max(1, concurrency)
    senders: dict[Channel, ChannelSender | ProviderFailure] = {}
    outcomes: dict[uuid.UUID, DeliveryOutcome] = {}
    running: set[asyncio.Task[Handed]] = set()
    finished: list[Handed] = []
    unrecorded = 0  # claimed here and not recorded yet: in flight, or back and waiting to be recorded
    try:
        while wanted or running or finished:
            if more is not None and not wanted and unrecorded < limit:
                fresh = [m for m in dict.fromkeys(await more()) if m not in seen]
                seen.update(fresh)
                wanted.extend(fresh)
            if finished or (wanted and unrecorded < limit):
                # whatever came back since the last write is recorded, and as many messages claimed as that frees,
                # in one transaction: the groups grow by themselves when writing is slow next to the calls (a
                # busy machine), and stay small, keeping the slots busy, when the calls are the slow part (a
                # real provider's 100-500 ms)
                handed, finished = finished, []
                unrecorded -= len(handed)
                group = [wanted.popleft() for _ in range(min(limit - unrecorded, len(wanted)))]
                requests = await _record_and_claim(
                    new_uow, property_id, handed, group, clock, policy, sending_lease, look_ahead, outcomes
                )
                await _open_senders(gateway, property_id, requests, senders)
                running |= {asyncio.create_task(_hand_over(senders, r)) for r in requests}
                unrecorded += len(requests)
            else:
                done, running = await asyncio.wait(running, return_when=asyncio.FIRST_COMPLETED)
                finished += [task.result() for task in done if task.exception() is None]
                for task in done:
                    if (broken := task.exception()) is not None:
                        raise broken  # not a provider's answer (those are outcomes): a bug, or our side failing
    except Exception:
        # the provider calls already made are waited for and recorded (each alone if need be) before the
        # failure goes up: whoever retries the rest must find these settled, not `sending`
        answers = await asyncio.gather(*running, return_exceptions=True)
        running = set()
        finished += [answer for answer in answers if not isinstance(answer, BaseException)]
        if finished:
            await _record_group(new_uow, property_id, finished, clock, policy, look_ahead, outcomes)
        raise
    finally:
        for task in running:
            task.cancel()  # only when cancelled itself (a job timeout): those stay `sending`, settled later
    return outcomes


# a message handed to its provider: what the provider answered, or why it could not be reached
Handed = tuple[OutboundRequest, SendReceipt | None, ProviderFailure | None]


async def _record_and_claim(
    new_uow: Callable[[], UnitOfWork],
    property_id: uuid.UUID,
    handed: list[Handed],
    group: list[uuid.UUID],
    clock: Clock,
    policy: RetryPolicy,
    sending_lease: timedelta | None,
    look_ahead: LookAhead | None,
    outcomes: dict[uuid.UUID, DeliveryOutcome],
) -> list[OutboundRequest]:
    """Records the answers handed back and claims the next messages in one transaction (one per turn of the
    window instead of two: half the commits of a burst). If that transaction fails, each part is done again
    on its own, so joining them changes no outcome. Returns the requests to hand over."""
    if not handed:
        return await _claim_group(new_uow, property_id, group, clock, sending_lease, look_ahead, outcomes)
    if not group:
        await _record_group(new_uow, property_id, handed, clock, policy, look_ahead, outcomes)
        return []
    try:
        async with new_uow() as uow:
            if look_ahead is not None:
                await look_ahead(uow, property_id, [request.message_id for request, _, _ in handed] + group)
            recorded = await _record_in(uow, handed, clock, policy, outcomes)
            requests, claimed = await _claim_in(uow, property_id, group, clock, sending_lease)
            await uow.commit()
    except Exception:
        log.warning("recording and claiming together failed; each is done on its own", exc_info=True)
        await _record_group(new_uow, property_id, handed, clock, policy, look_ahead, outcomes)
        return await _claim_group(new_uow, property_id, group, clock, sending_lease, look_ahead, outcomes)
    outcomes |= recorded | claimed
    return requests


async def _claim_group(
    new_uow: Callable[[], UnitOfWork],
    property_id: uuid.UUID,
    message_ids: list[uuid.UUID],
    clock: Clock,
    sending_lease: timedelta | None,
    look_ahead: LookAhead | None,
    outcomes: dict[uuid.UUID, DeliveryOutcome],
) -> list[OutboundRequest]:
    """Claims the messages in one transaction: the requests to hand over (the others have their outcome)."""
    async with new_uow() as uow:
        if look_ahead is not None:
            await look_ahead(uow, property_id, message_ids)
        requests, claimed = await _claim_in(uow, property_id, message_ids, clock, sending_lease)
        await uow.commit()
    outcomes |= claimed
    return requests


async def _claim_in(
    uow: UnitOfWork,
    property_id: uuid.UUID,
    message_ids: list[uuid.UUID],
    clock: Clock,
    sending_lease: timedelta | None,
) -> tuple[list[OutboundRequest], dict[uuid.UUID, DeliveryOutcome]]:
    requests: list[OutboundRequest] = []
    claimed: dict[uuid.UUID, DeliveryOutcome] = {}
    for message_id in message_ids:
        request, claimed[message_id] = await _claim(uow, property_id, message_id, clock, sending_lease)
        if request is not None:
            requests.append(request)
    return requests, claimed


async def _open_senders(
    gateway: ChannelGateway,
    property_id: uuid.UUID,
    requests: list[OutboundRequest],
    senders: dict[Channel, ChannelSender | ProviderFailure],
) -> None:
    """One connection read per channel for the whole batch (a channel that cannot send fails each message)."""
    for channel in {r.channel for r in requests} - senders.keys():
        try:
            senders[channel] = await gateway.sender_for(property_id, channel)
        except ProviderFailure as exc:
            senders[channel] = exc


async def _hand_over(senders: dict[Channel, ChannelSender | ProviderFailure], request: OutboundRequest) -> Handed:
    sender = senders[request.channel]
    if isinstance(sender, ProviderFailure):
        return request, None, sender
    try:
        return request, await sender.send(request), None
    except ProviderFailure as exc:
        return request, None, exc


async def _record_group(
    new_uow: Callable[[], UnitOfWork],
    property_id: uuid.UUID,
    handed: list[Handed],
    clock: Clock,
    policy: RetryPolicy,
    look_ahead: LookAhead | None,
    outcomes: dict[uuid.UUID, DeliveryOutcome],
) -> None:
    try:
        async with new_uow() as uow:
            if look_ahead is not None:
                await look_ahead(uow, property_id, [request.message_id for request, _, _ in handed])
            recorded = await _record_in(uow, handed, clock, policy, outcomes)
            await uow.commit()
        outcomes |= recorded
        return
    except Exception:
        if len(handed) == 1:
            # alone it stays `sending` (settled later as outcome unknown), as in a group below; raising
            # would fail the whole batch and send its waiting messages one job each
            log.exception(
                "a delivery outcome could not be recorded", extra={"message_id": str(handed[0][0].message_id)}
            )
            return
    # one outcome could not be recorded (say, a provider id already filed): the others must not be lost with
    # it, so each is recorded in a transaction of its own
    for request, receipt, failure in handed:
        try:
            async with new_uow() as uow:
                claimed = outcomes[request.message_id]
                outcome = await _record(uow, request, claimed, receipt, failure, clock, policy)
                await uow.commit()
            outcomes[request.message_id] = outcome  # only once committed: a failed record leaves it `sending`
        except Exception:
            log.exception("a delivery outcome could not be recorded", extra={"message_id": str(request.message_id)})


async def _record_in(
    uow: UnitOfWork,
    handed: list[Handed],
    clock: Clock,
    policy: RetryPolicy,
    outcomes: dict[uuid.UUID, DeliveryOutcome],
) -> dict[uuid.UUID, DeliveryOutcome]:
    return {
        request.message_id: await _record(uow, request, outcomes[request.message_id], receipt, failure, clock, policy)
        for request, receipt, failure in handed
    }


async def _record(
    uow: UnitOfWork,
    request: OutboundRequest,
    claimed: DeliveryOutcome,
    receipt: SendReceipt | None,
    failure: ProviderFailure | None,
    clock: Clock,
    policy: RetryPolicy,
) -> DeliveryOutcome:
    message = await uow.messages.get(request.property_id, request.message_id, lock=True)
    if message is None or message.status != MessageStatus.SENDING:
        # a status callback already moved it on; nothing left for us to record
        return DeliveryOutcome(message.status if message else "missing", attempt=claimed.attempt)
    now = clock.now()
    outcome: DeliveryOutcome
    if receipt is not None:
        message.status = MessageStatus.SENT
        message.provider_message_id = receipt.provider_message_id
        message.error_code = message.error_reason = None
        if receipt.cost_amount is not None:
            message.cost_amount, message.cost_currency = receipt.cost_amount, receipt.cost_currency
        message.status_changed_at = now
        outcome = DeliveryOutcome(MessageStatus.SENT, attempt=message.attempts)
    elif failure is not None and failure.code == PAUSED_CODE:
        # nothing was sent: the message waits, saying why, until the connection is authorised again
        message.status, message.next_attempt_at = MessageStatus.QUEUED, None
        message.error_code, message.error_reason = PAUSED_CODE, failure.reason
        message.attempts -= 1
        message.status_changed_at = now
        outcome = DeliveryOutcome("paused", attempt=message.attempts)
    elif failure is not None and policy.should_retry(message.attempts, failure.retryable):
        delay = policy.delay(message.attempts, failure.retry_after_seconds)
        message.status = MessageStatus.QUEUED
        message.next_attempt_at = now + timedelta(seconds=delay)
        message.error_code, message.error_reason = failure.code, f"Retrying: {failure.reason}"
        message.status_changed_at = now
        outcome = DeliveryOutcome(MessageStatus.QUEUED, retry_in_seconds=delay, attempt=message.attempts)
    else:
        assert failure is not None
        await _remember_opt_out(uow, message, failure, now)
        await record_provider_refusal(uow, message, failure.code, now)  # consent register
        reason = failure.reason
        if failure.retryable:
            reason = f"{reason} (gave up after {message.attempts} attempts)"
        _fail(message, failure.code, reason, clock)
        outcome = DeliveryOutcome(MessageStatus.FAILED, attempt=message.attempts)
    _announce(uow, message)
    return outcome
