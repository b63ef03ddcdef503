"""The WhatsApp adapter's wire-level pieces: the signature and the webhook parser."""

from __future__ import annotations

from adapters.whatsapp import signature
from adapters.whatsapp.webhook_parser import parse
from tests import whatsapp_payloads as wa


def test_signature_matches_the_published_test_vector():
    body = b'{"object":"whatsapp_business_account","entry":[]}'
    expected = "sha256=c236c758c9b2bd40b388a550eeca09eaca72384dd0aa5e7c31d19cddac5bba46"
    assert signature.sign("app_secret", body) == expected
    assert signature.is_valid("app_secret", body, expected)


def test_signature_rejects_missing_malformed_forged_and_altered():
    body = b'{"object":"whatsapp_business_account","entry":[]}'
    good = signature.sign("app_secret", body)
    assert not signature.is_valid("app_secret", body, None)
    assert not signature.is_valid("app_secret", body, "sha1=" + good[7:])
    assert not signature.is_valid("app_secret", body, good[:-1])
    assert not signature.is_valid("other_secret", body, good)
    assert not signature.is_valid("app_secret", body + b" ", good)


def _one(msg):
    [change] = parse(wa.envelope(wa.inbound(msg)))
    [item] = change.inbound
    return item


def test_every_inbound_type_becomes_a_message_and_none_is_dropped():
    assert _one({"id": "w1", "type": "text", "text": {"body": "Hi"}}).body == "Hi"
    image = _one(
        {"id": "w2", "type": "image", "image": {"id": "MEDIA1", "mime_type": "image/jpeg", "caption": "my car"}}
    )
    assert (image.kind, image.body, image.details["media_id"]) == ("media", "my car", "MEDIA1")
    doc = _one({"id": "w3", "type": "document", "document": {"id": "M2", "filename": "passport.pdf"}})
    assert doc.body == "[document]" and doc.details["filename"] == "passport.pdf"
    for kind in ("audio", "video", "sticker"):
        assert _one({"id": f"w-{kind}", "type": kind, kind: {"id": "M"}}).body == f"[{kind}]"
    loc = _one({"id": "w4", "type": "location", "location": {"latitude": 48.85, "longitude": 2.35, "name": "Gare"}})
    assert "Gare" in loc.body and loc.details["latitude"] == 48.85
    contacts = _one({"id": "w5", "type": "contacts", "contacts": [{"name": {"formatted_name": "Ann Lee"}}]})
    assert "Ann Lee" in contacts.body
    button = _one({"id": "w6", "type": "button", "button": {"text": "Late check-in", "payload": "LATE"}})
    assert button.body == "Late check-in" and button.details["payload"] == "LATE"
    interactive = _one(
        {
            "id": "w7",
            "type": "interactive",
            "interactive": {"type": "button_reply", "button_reply": {"id": "yes", "title": "Yes"}},
        }
    )
    assert interactive.body == "Yes"
    reaction = _one({"id": "w8", "type": "reaction", "reaction": {"message_id": "wamid.X", "emoji": "👍"}})
    assert reaction.details["reacted_to"] == "wamid.X" and "👍" in reaction.body
    reply = _one({"id": "w9", "type": "text", "text": {"body": "yes"}, "context": {"id": "wamid.PREV"}})
    assert reply.details["reply_to"] == "wamid.PREV"
    odd = _one({"id": "w10", "type": "ephemeral"})
    assert odd.body == "Unsupported message type: ephemeral" and odd.details["unsupported"]


def test_sender_profile_and_phone():
    item = _one({"id": "w1", "type": "text", "text": {"body": "Hi"}})
    assert item.phone == "+33612345678" and item.profile_name == "Sheena Nelson"
    assert item.received_at.timestamp() == 1749416383


def test_statuses_carry_errors_and_pricing():
    changes = parse(
        wa.envelope(
            wa.status("wamid.A", "failed", errors=wa.RE_ENGAGEMENT_ERROR, tracker="t-1"),
            wa.status("wamid.B", "delivered", pricing=wa.PMP_UTILITY),
        )
    )
    [failed], [delivered] = (c.statuses for c in changes)
    assert (
        failed.error_code == "whatsapp_131047" and "24 hours" in failed.error_reason and failed.our_message_id == "t-1"
    )
    assert (delivered.status, delivered.pricing_category, delivered.billable) == ("delivered", "utility", True)


def test_batched_entries_are_all_parsed():
    payload = wa.envelope(wa.text("w1", "a"), wa.text("w2", "b", wa_id="447911123456"))
    payload["entry"].append(wa.envelope(wa.text("w3", "c"))["entry"][0])
    assert sorted(m.provider_message_id for c in parse(payload) for m in c.inbound) == ["w1", "w2", "w3"]
