"""Reply tokens and addresses: a guest's reply finds its conversation, a forged one finds nothing."""

from __future__ import annotations

import uuid

import pytest

from domain.email.addresses import (
    address_of,
    addresses_in,
    is_bounce_sender,
    message_ids,
    references_newest_first,
    reply_address,
    token_in,
    without_token,
)
from domain.email.reply_token import TOKEN_LENGTH, conversation_of, derive_reply_key, reply_token
from domain.email.smtp_replies import enhanced_status, explain, retryable

KEY = derive_reply_key("a-deployment-master-key")
CONVERSATION = uuid.UUID("0b8f6c1e-2d4a-4c5e-9f00-123456789abc")


def test_a_token_names_its_conversation() -> None:
    token = reply_token(CONVERSATION, KEY)
    assert len(token) == TOKEN_LENGTH == 42 and token.isalnum() and token == token.lower()
    assert conversation_of(token, KEY) == CONVERSATION
    assert conversation_of(token.upper(), KEY) == CONVERSATION  # some servers upper-case local parts


def test_forged_and_damaged_tokens_name_nothing() -> None:
    token = reply_token(CONVERSATION, KEY)
    other = reply_token(uuid.uuid4(), KEY)
    assert conversation_of(token[:26] + other[26:], KEY) is None  # another conversation's tag
    assert conversation_of(token, derive_reply_key("another deployment")) is None
    flipped = token[:30] + ("a" if token[30] != "a" else "b") + token[31:]
    assert conversation_of(flipped, KEY) is None
    assert conversation_of(token[:-1], KEY) is None
    assert conversation_of("1" * TOKEN_LENGTH, KEY) is None  # not base32
    assert conversation_of("", KEY) is None


def test_keys_must_not_be_empty() -> None:
    with pytest.raises(ValueError):
        reply_token(CONVERSATION, b"")
    with pytest.raises(ValueError):
        derive_reply_key("")


def test_reply_addresses_carry_the_token_and_fit_an_address() -> None:
    token = reply_token(CONVERSATION, KEY)
    on_domain = reply_address("Reply.Hotel.test", token)
    assert on_domain == f"reply+{token}@reply.hotel.test" and len(on_domain.partition("@")[0]) <= 64
    assert reply_address("inbox@hotel.test", token) == f"inbox+{token}@hotel.test"
    assert token_in(on_domain.upper()) == token
    assert token_in("contact@hotel.test") is None
    assert without_token(f"inbox+{token}@hotel.test") == "inbox@hotel.test"


def test_addresses_and_message_ids_from_headers() -> None:
    assert address_of('"Durand, Camille" <Camille@Example.com>') == "camille@example.com"
    assert address_of("not an address") == ""
    assert addresses_in("A <a@x.test>, b@y.test", None, "B <A@x.test>") == ["a@x.test", "b@y.test"]
    assert message_ids("<one@x> <two@y>", "three@z") == ["<one@x>", "<two@y>", "<three@z>"]
    assert references_newest_first("<c@x>", "<a@x> <b@x> <c@x>") == ["<c@x>", "<b@x>", "<a@x>"]
    assert is_bounce_sender("MAILER-DAEMON@mx.example.com") and is_bounce_sender("postmaster@x.test")
    assert not is_bounce_sender("camille@example.com")


def test_smtp_replies_in_plain_words() -> None:
    said = "5.1.1 <x@guest.test>: Recipient address rejected: User unknown"
    assert enhanced_status(said) == "5.1.1"
    assert explain(550, said, "Refused") == (
        "The guest's address does not exist (the server said: 550 5.1.1 <x@guest.test>: "
        "Recipient address rejected: User unknown)."
    )
    assert explain(535, "5.7.8 Bad credentials", "Wrong login", by_status=False) == (
        "Wrong login (the server said: 535 5.7.8 Bad credentials)."
    )
    assert explain(554, "no", "The mail server refused the message") == (
        "The mail server refused the message (the server said: 554 no)."
    )
    assert retryable(451) and retryable(None) and not retryable(550)
