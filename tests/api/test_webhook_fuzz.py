"""Every webhook endpoint under hostile input: never a 5xx, and nothing kept unless the caller proved who it is.

Bodies come from a fixed corpus of known-nasty shapes plus Hypothesis-drawn bytes and JSON (drawn
synchronously, then sent in the test's event loop, where the database pool lives). Each is sent
unsigned, wrongly signed and correctly signed, under several content types.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import AsyncIterator, Callable
from typing import Any
from urllib.parse import parse_qsl

import httpx
import pytest
from hypothesis import HealthCheck, Phase, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from adapters.db.tables import conversations, guests, messages, webhook_events
from adapters.twilio.signature import compute as twilio_signature
from adapters.whatsapp.signature import sign as meta_signature
from domain.channels import Channel
from tests.factories import connect_channel, make_property

AIRBNB_SECRET = "airbnb-fuzz-secret"
INBOUND_SECRET = "inbound-fuzz-secret"
TWILIO_TOKEN = "12345"  # the factory's SMS connection
ACCOUNT = "AC" + "1" * 32
HOTEL_NUMBER = "+15017122661"
PHONE_NUMBER_ID = "106540352242922"  # the factory's WhatsApp connection

CONTENT_TYPES = [
    None,
    "application/json",
    "application/x-www-form-urlencoded",
    "text/plain; charset=utf-8",
    "multipart/form-data; boundary=x",
    "message/rfc822",
    "application/json; charset=utf-16",
    "a/b/c;;==",
]

NASTY_BODIES: list[bytes] = [
    b"",
    b"{",
    b"null",
    b"[]",
    b'"text"',
    b"12e999999",
    b"NaN",
    b"\xff\xfe\x00\x00",
    b"\x00" * 64,
    b"[" * 100_000 + b"]" * 100_000,  # nesting deep enough to exhaust a recursive parser
    b'{"a":' * 50_000 + b"1" + b"}" * 50_000,
    json.dumps({"object": "whatsapp_business_account"}).encode(),
    json.dumps({"object": "whatsapp_business_account", "entry": "not a list"}).encode(),
    json.dumps({"object": "whatsapp_business_account", "entry": [{"changes": "x"}]}).encode(),
    json.dumps({"object": "whatsapp_business_account", "entry": [None, 1, "x", {"changes": [None, 5]}]}).encode(),
    json.dumps(
        {"object": "x", "entry": [{"id": "W", "changes": [{"field": "messages", "value": {"metadata": "x"}}]}]}
    ).encode(),
    json.dumps(
        {
            "object": "whatsapp_business_account",
            "entry": [
                {
                    "id": "W",
                    "changes": [
                        {
                            "field": "some_future_event",
                            "value": {"metadata": {"phone_number_id": PHONE_NUMBER_ID}, "messages": [{"type": "??"}]},
                        }
                    ],
                }
            ],
        }
    ).encode(),
    json.dumps({"host_id": None, "message": "x"}).encode(),
    json.dumps({"host_id": {"a": 1}, "message": {"id": []}, "event": "reservation.exploded"}).encode(),
    json.dumps({"host_id": "H1", "message": {"id": "M1"}, "event": "unknown.event"}).encode(),
    b"AccountSid=" + ACCOUNT.encode() + b"&MessageSid=&From=",
    b"AccountSid=" + ACCOUNT.encode() + b"&MessageSid=SM1&MessageStatus=exploded&ErrorCode=%ff%fe",
    b"AccountSid=%%%&&&===",
    b"From: \r\n\r\n",
    b"Subject: no sender\r\n\r\nbody",
    b"From: a@b\r\n" + b"X-Long: " + b"a" * 200_000 + b"\r\n\r\nbody",
    'From: 😀 <x@y>\r\nContent-Type: multipart/mixed; boundary=""\r\n\r\n--\r\n'.encode(),
]


def _drawn(strategy: st.SearchStrategy[bytes], count: int) -> list[bytes]:
    drawn: list[bytes] = []

    @hypothesis_settings(
        max_examples=count,
        derandomize=True,
        database=None,
        deadline=None,
        phases=[Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(strategy)
    def collect(value: bytes) -> None:
        drawn.append(value)

    collect()
    return drawn


_JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=10), inner, max_size=4),
    max_leaves=20,
)
# raw bytes, arbitrary JSON, and JSON shaped like each provider's envelope with arbitrary insides
FUZZED_BODIES = (
    _drawn(st.binary(max_size=300), 15)
    + _drawn(_JSON.map(lambda v: json.dumps(v).encode()), 15)
    + _drawn(
        st.fixed_dictionaries(
            {"object": st.just("whatsapp_business_account"), "entry": st.lists(_JSON, max_size=3)}
        ).map(lambda v: json.dumps(v).encode()),
        10,
    )
    + _drawn(
        st.fixed_dictionaries({"host_id": _JSON, "message": _JSON, "event": st.text(max_size=15)}).map(
            lambda v: json.dumps(v).encode()
        ),
        10,
    )
    + _drawn(
        st.dictionaries(
            st.sampled_from(["AccountSid", "MessageSid", "From", "To", "Body", "MessageStatus", "NumMedia", "x"]),
            st.text(max_size=20),
        ).map(lambda form: httpx.QueryParams({"AccountSid": ACCOUNT, **form}).__str__().encode()),
        10,
    )
)


# --- how each endpoint proves its caller ----------------------------------------------------------


def _whatsapp(body: bytes, signed: bool | None) -> dict[str, str]:
    if signed is None:
        return {}
    secret = "test-meta-app-secret" if signed else "not-the-secret"
    return {"x-hub-signature-256": meta_signature(secret, body)}


def _twilio(path: str) -> Callable[[bytes, bool | None], dict[str, str]]:
    def headers(body: bytes, signed: bool | None) -> dict[str, str]:
        if signed is None:
            return {}
        try:
            params = parse_qsl(body.decode("utf-8"), keep_blank_values=True)
        except UnicodeDecodeError:
            params = []
        token = TWILIO_TOKEN if signed else "wrong-token"
        return {"x-twilio-signature": twilio_signature(f"http://testserver{path}", params, token)}

    return headers


def _airbnb(body: bytes, signed: bool | None) -> dict[str, str]:
    if signed is None:
        return {}
    secret = AIRBNB_SECRET if signed else "wrong"
    return {"x-airbnb-signature": "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()}


def _email(body: bytes, signed: bool | None) -> dict[str, str]:
    if signed is None:
        return {}
    return {"x-inbound-secret": INBOUND_SECRET if signed else INBOUND_SECRET[:-1] + "X"}


ENDPOINTS: dict[str, Callable[[bytes, bool | None], dict[str, str]]] = {
    "/webhooks/whatsapp": _whatsapp,
    "/webhooks/twilio/inbound": _twilio("/webhooks/twilio/inbound"),
    "/webhooks/twilio/status": _twilio("/webhooks/twilio/status"),
    "/webhooks/airbnb": _airbnb,
    "/webhooks/email/inbound": _email,
}


@pytest.fixture
async def hotel(container, settings):
    prop = await make_property(container)
    await connect_channel(container, prop, Channel.WHATSAPP)
    await connect_channel(container, prop, Channel.SMS, settings={"account_sid": ACCOUNT, "from_number": HOTEL_NUMBER})
    await connect_channel(container, prop, Channel.AIRBNB, settings={"host_id": "H1"})
    settings.airbnb_webhook_secret = AIRBNB_SECRET
    object.__setattr__(settings, "email_inbound_secret", INBOUND_SECRET)
    return prop


@pytest.fixture
async def raw_client(app) -> AsyncIterator[httpx.AsyncClient]:
    # a 500 comes back as a response to assert on, not as the app's exception raised into the test
    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as http:
        yield http


async def _counts(container) -> dict[str, int]:
    async with container.sessions() as session:
        return {
            table.name: int(await session.scalar(select(func.count()).select_from(table)) or 0)
            for table in (webhook_events, messages, conversations, guests)
        }


async def _send(http: httpx.AsyncClient, path: str, body: bytes, content_type: str | None, signed: bool | None):
    headers = ENDPOINTS[path](body, signed)
    if content_type:
        headers["content-type"] = content_type
    return await http.post(path, content=body, headers=headers)


@pytest.mark.parametrize("path", list(ENDPOINTS))
async def test_unsigned_or_forged_garbage_is_refused_and_nothing_is_kept(raw_client, container, hotel, path):
    before = await _counts(container)
    answered: set[int] = set()
    bodies = NASTY_BODIES + FUZZED_BODIES
    for index, body in enumerate(bodies):
        for signed in (None, False):
            content_type = CONTENT_TYPES[index % len(CONTENT_TYPES)]
            response = await _send(raw_client, path, body, content_type, signed)
            assert response.status_code < 500, (path, signed, content_type, body[:80], response.text[:300])
            assert response.status_code in (400, 401, 403, 413, 415), (path, response.status_code, body[:80])
            assert response.headers["content-type"].startswith("application/problem+json")
            answered.add(response.status_code)
    assert await _counts(container) == before
    assert answered & {401, 403}, answered


@pytest.mark.parametrize("path", list(ENDPOINTS))
async def test_correctly_signed_garbage_never_breaks_the_endpoint(raw_client, container, hotel, path):
    before = await _counts(container)
    statuses: dict[int, int] = {}
    for index, body in enumerate(NASTY_BODIES + FUZZED_BODIES):
        for content_type in (CONTENT_TYPES[index % len(CONTENT_TYPES)], "message/rfc822"):
            response = await _send(raw_client, path, body, content_type, True)
            assert response.status_code < 500, (path, content_type, body[:80], response.text[:300])
            statuses[response.status_code] = statuses.get(response.status_code, 0) + 1
    # signed events may be kept for the worker, but the endpoint itself never writes a message or a guest
    after = await _counts(container)
    assert {k: v for k, v in after.items() if k != "webhook_events"} == {
        k: v for k, v in before.items() if k != "webhook_events"
    }
    assert 400 in statuses or 415 in statuses, statuses  # malformed, signed: refused in plain words


GET_QUERIES: list[dict[str, Any]] = [
    {},
    {"hub.mode": "subscribe"},
    {"hub.mode": "subscribe", "hub.verify_token": "wrong", "hub.challenge": "1"},
    {"hub.mode": "subscribe", "hub.verify_token": "x" * 10_000, "hub.challenge": "1"},
    {"hub.mode": "subscribe", "hub.verify_token": "test-verify-token", "hub.challenge": "<script>" * 100},
    {"hub.mode": "\x00", "hub.verify_token": "\ud7ff", "hub.challenge": ""},
    {"hub.mode": ["subscribe", "x"], "hub.verify_token": ["a", "b"]},
]


@pytest.mark.parametrize("query", GET_QUERIES)
async def test_the_verification_handshake_never_breaks(raw_client, container, hotel, query):
    response = await raw_client.get("/webhooks/whatsapp", params=query)
    assert response.status_code in (200, 403, 422), response.text[:200]
    if response.status_code == 200:
        # the challenge is echoed as plain text only, so a browser never renders it
        assert response.headers["content-type"].startswith("text/plain")
        assert query["hub.verify_token"] == "test-verify-token"


async def _endless(chunk: bytes, counter: list[int], chunks: int) -> AsyncIterator[bytes]:
    for _ in range(chunks):
        counter[0] += 1
        yield chunk


@pytest.mark.parametrize("path", list(ENDPOINTS))
@pytest.mark.parametrize("declared", [True, False], ids=["content-length", "chunked"])
async def test_huge_bodies_are_413_before_they_are_read(raw_client, container, hotel, path, declared):
    limit = container.settings.max_webhook_bytes
    if "email" in path:  # a raw e-mail with its attachments has a limit of its own
        limit = container.settings.email_inbound_max_bytes
    before = await _counts(container)
    chunk = b"x" * 65_536
    total_chunks = (limit // len(chunk)) * 40  # 40 times the limit
    pulled = [0]
    headers = ENDPOINTS[path](b"", True)  # the right secret where it is checked before the body
    headers["content-type"] = "message/rfc822" if "email" in path else "application/json"
    if declared:
        headers["content-length"] = str(len(chunk) * total_chunks)
    response = await raw_client.post(path, content=_endless(chunk, pulled, total_chunks), headers=headers)
    assert response.status_code == 413, (path, response.status_code, response.text[:200])
    assert response.json()["code"] == "payload_too_large"
    # the reading stopped at the limit (a declared size is refused before the first chunk is used)
    assert pulled[0] <= limit // len(chunk) + 2, pulled[0]
    assert await _counts(container) == before
