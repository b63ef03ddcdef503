"""Outgoing webhooks: the signature integrators verify, replay refusal, the retry schedule, URL rules."""

from __future__ import annotations

import hashlib
import hmac
import uuid
from datetime import UTC, datetime, timedelta

import pytest

from domain.errors import InvalidInput
from domain.outgoing_webhooks import (
    SIGNATURE_TOLERANCE_SECONDS,
    new_secret,
    next_attempt_at,
    retry_delay,
    sign,
    validate_subscription,
    verify,
)
from domain.services.outgoing_webhooks import after_attempt, body_bytes, envelope

SECRET = "whsec_test"
BODY = b'{"id":"1","type":"message.received"}'
T = 1_780_000_000


class TestSignature:
    def test_v1_is_hmac_sha256_over_timestamp_dot_body(self):
        expected = hmac.new(SECRET.encode(), f"{T}.".encode() + BODY, hashlib.sha256).hexdigest()
        assert sign(SECRET, T, BODY) == f"t={T},v1={expected}"

    def test_a_receiver_accepts_the_exact_body_with_the_right_secret(self):
        assert verify(SECRET, sign(SECRET, T, BODY), BODY, now=T + 10)

    def test_a_changed_body_or_another_secret_is_refused(self):
        header = sign(SECRET, T, BODY)
        assert not verify(SECRET, header, BODY + b" ", now=T)
        assert not verify("whsec_other", header, BODY, now=T)

    def test_an_old_or_future_timestamp_is_refused_replay_safe(self):
        header = sign(SECRET, T, BODY)
        assert verify(SECRET, header, BODY, now=T + SIGNATURE_TOLERANCE_SECONDS)
        assert not verify(SECRET, header, BODY, now=T + SIGNATURE_TOLERANCE_SECONDS + 1)
        assert not verify(SECRET, header, BODY, now=T - SIGNATURE_TOLERANCE_SECONDS - 1)

    def test_a_moved_timestamp_breaks_the_signature(self):
        forged = sign(SECRET, T, BODY).replace(f"t={T}", f"t={T + 60}")
        assert not verify(SECRET, forged, BODY, now=T + 60)

    def test_garbage_headers_are_refused(self):
        assert not verify(SECRET, "nonsense", BODY, now=T)
        assert not verify(SECRET, "t=abc,v1=00", BODY, now=T)

    def test_secrets_are_prefixed_and_random(self):
        a, b = new_secret(), new_secret()
        assert a.startswith("whsec_") and a != b and len(a) > 40


class TestRetries:
    def test_backoff_doubles_from_30_seconds_up_to_an_hour(self):
        assert [retry_delay(n) for n in range(1, 9)] == [30, 60, 120, 240, 480, 960, 1920, 3600]
        assert retry_delay(30) == 3600

    def test_retries_stop_after_24_hours(self):
        start = datetime(2026, 6, 15, tzinfo=UTC)
        assert next_attempt_at(start, 1, start) == start + timedelta(seconds=30)
        assert next_attempt_at(start, 20, start + timedelta(hours=23, minutes=30)) is None

    def test_an_attempt_outcome(self):
        start = datetime(2026, 6, 15, tzinfo=UTC)
        assert after_attempt(start, 1, 204, None, start).state == "succeeded"
        failed = after_attempt(start, 2, 500, None, start)
        assert failed.state == "pending" and failed.next_attempt_at == start + timedelta(seconds=60)
        assert "HTTP 500" in failed.error
        gone = after_attempt(start, 40, None, "ConnectError", start + timedelta(hours=24))
        assert gone.state == "failed" and gone.error.startswith("Gave up after 24 hours")


class TestEnvelopeAndSubscriptions:
    def test_the_body_is_deterministic(self):
        event_id, prop = uuid.uuid4(), uuid.uuid4()
        at = datetime(2026, 6, 15, tzinfo=UTC)
        payload = envelope(event_id, "message.status", prop, at, {"b": 1, "a": "é"})
        assert body_bytes(payload) == body_bytes(dict(reversed(list(payload.items()))))
        assert payload["id"] == str(event_id) and payload["data"] == {"b": 1, "a": "é"}

    def test_https_is_required_except_localhost_in_sandbox(self):
        validate_subscription("https://hooks.example.com/in", ["message.received"], allow_local_http=False)
        validate_subscription("http://127.0.0.1:8123/in", ["message.status"], allow_local_http=True)
        for url in ("http://hooks.example.com/in", "http://localhost/in", "https://10.0.0.5/in", "ftp://x/y"):
            with pytest.raises(InvalidInput):
                validate_subscription(url, ["message.received"], allow_local_http=False)

    def test_event_types_must_be_known_and_present(self):
        with pytest.raises(InvalidInput) as bad:
            validate_subscription("https://h.example.com", ["message.deleted"], allow_local_http=False)
        assert bad.value.problems[0].code == "unknown_event"
        with pytest.raises(InvalidInput):
            validate_subscription("https://user:pw@h.example.com", [], allow_local_http=False)
