"""WhatsApp templates through the API: validation, Meta's review, and sending with the right parameters."""

from __future__ import annotations

import json
import uuid
from datetime import date
from decimal import Decimal

import respx

from adapters.db.template_store import SqlaTemplateStore
from domain.channels import Channel
from domain.templates.model import TemplateStatus
from tests import whatsapp_payloads as wa
from tests.factories import connect_channel, guest_writes, make_booking, make_property, make_user
from tests.integration.test_whatsapp_webhooks import post, process

GRAPH = "https://graph.test/v21.0"
PRE_ARRIVAL = {
    "name": "pre_arrival",
    "language": "fr",
    "category": "UTILITY",
    "header_text": "Votre séjour à {{1}}",
    "header_variable": {"index": 1, "placeholder": "property.name", "example": "Hôtel des Tilleuls"},
    "body": "Bonjour {{1}}, nous vous attendons le {{2}}. Votre code de porte est {{3}}, bonne route.",
    "body_variables": [
        {"index": 1, "placeholder": "guest.first_name", "example": "Camille"},
        {"index": 2, "placeholder": "booking.check_in", "example": "lundi 14 décembre 2026"},
        {"index": 3, "placeholder": "booking.door_code", "example": "4821"},
    ],
    "footer": "Répondez STOP pour ne plus recevoir de messages",
    "buttons": [{"kind": "phone_number", "text": "Appeler l'hôtel", "phone_number": "+33184880000"}],
}


async def _hotel(client, container, **connection):
    prop = await make_property(container, "Hôtel des Tilleuls")
    await make_user(container, prop, email="owner@hotel.test")
    await connect_channel(
        container, prop, Channel.WHATSAPP, settings={"display_phone_number": "+33 1 84 88 00 00", **connection}
    )
    await client.login("owner@hotel.test", "correct horse")
    return prop


async def test_validation_problems_are_listed_with_codes_and_parts(client, container):
    await _hotel(client, container)
    bad = {
        **PRE_ARRIVAL,
        "name": "Pre Arrival",
        "category": "UTILITY",
        "body": "{{1}}{{2}} -50% off, book now! Send us your card number",
        "body_variables": [],
    }
    response = await client.post("/api/v1/whatsapp/templates", json=bad)
    assert response.status_code == 422
    codes = {(e["field"], e["code"]) for e in response.json()["errors"]}
    assert ("name", "invalid_name") in codes and ("body", "adjacent_variables") in codes
    assert any(code == "likely_marketing_content" for _, code in codes)
    assert any(code == "asks_sensitive_data" for _, code in codes)
    assert any(code == "variable_without_example" for _, code in codes)
    live = (await client.post("/api/v1/whatsapp/templates/validate", json=bad)).json()["problems"]
    assert {(p["field"], p["code"]) for p in live} == codes
    assert (await client.get("/api/v1/whatsapp/templates")).json() == []


async def test_submit_sends_metas_exact_shape_and_the_review_webhook_approves(
    client, container, settings, worker_ctx, arq_pool
):
    await _hotel(client, container)
    created = await client.post("/api/v1/whatsapp/templates", json=PRE_ARRIVAL)
    assert created.status_code == 201 and created.json()["status"] == "draft"
    tid = created.json()["id"]
    with respx.mock:
        route = respx.post(f"{GRAPH}/WABA1/message_templates").respond(
            200, json={"id": "594425479261596", "status": "PENDING", "category": "UTILITY"}
        )
        submitted = await client.post(f"/api/v1/whatsapp/templates/{tid}/submit")
    assert submitted.json()["status"] == "pending" and submitted.json()["provider_template_id"] == "594425479261596"
    assert json.loads(route.calls.last.request.content) == {
        "name": "pre_arrival",
        "language": "fr",
        "category": "UTILITY",
        "components": [
            {
                "type": "HEADER",
                "format": "TEXT",
                "text": "Votre séjour à {{1}}",
                "example": {"header_text": ["Hôtel des Tilleuls"]},
            },
            {
                "type": "BODY",
                "text": PRE_ARRIVAL["body"],
                "example": {"body_text": [["Camille", "lundi 14 décembre 2026", "4821"]]},
            },
            {"type": "FOOTER", "text": "Répondez STOP pour ne plus recevoir de messages"},
            {
                "type": "BUTTONS",
                "buttons": [{"type": "PHONE_NUMBER", "text": "Appeler l'hôtel", "phone_number": "33184880000"}],
            },
        ],
    }
    edit = await client.put(f"/api/v1/whatsapp/templates/{tid}", json=PRE_ARRIVAL)
    assert edit.status_code == 409 and edit.json()["code"] == "template_not_editable"
    event = {
        "event": "APPROVED",
        "message_template_id": 594425479261596,
        "message_template_name": "pre_arrival",
        "message_template_language": "fr",
        "reason": "NONE",
    }
    await post(client, wa.envelope(event, field="message_template_status_update", waba_id="WABA1"))
    await process(container, settings, worker_ctx, arq_pool)
    assert (await client.get(f"/api/v1/whatsapp/templates/{tid}")).json()["status"] == "approved"


async def test_rejection_shows_reason_and_recommendation_and_a_foreign_waba_cannot_change_it(
    client, container, settings, worker_ctx, arq_pool
):
    await _hotel(client, container)
    tid = (await client.post("/api/v1/whatsapp/templates", json=PRE_ARRIVAL)).json()["id"]
    with respx.mock:
        respx.post(f"{GRAPH}/WABA1/message_templates").respond(200, json={"id": "777", "status": "PENDING"})
        await client.post(f"/api/v1/whatsapp/templates/{tid}/submit")
    forged = {"event": "APPROVED", "message_template_id": 777, "reason": "NONE"}
    await post(client, wa.envelope(forged, field="message_template_status_update", waba_id="SOMEONE-ELSE"))
    rejected = {
        "event": "REJECTED",
        "message_template_id": 777,
        "reason": "INVALID_FORMAT",
        "rejection_info": {"reason": "Parameters placed next to each other.", "recommendation": "Separate parameters…"},
    }
    await post(client, wa.envelope(rejected, field="message_template_status_update", waba_id="WABA1"))
    await process(container, settings, worker_ctx, arq_pool)
    template = (await client.get(f"/api/v1/whatsapp/templates/{tid}")).json()
    assert (template["status"], template["rejection_reason"], template["rejection_recommendation"]) == (
        "rejected",
        "INVALID_FORMAT",
        "Separate parameters…",
    )
    fixed = await client.put(f"/api/v1/whatsapp/templates/{tid}", json={**PRE_ARRIVAL, "footer": "Merci"})
    assert fixed.status_code == 200 and fixed.json()["status"] == "draft" and fixed.json()["rejection_reason"] is None
    with respx.mock:
        edit = respx.post(f"{GRAPH}/777").respond(200, json={"success": True})
        assert (await client.post(f"/api/v1/whatsapp/templates/{tid}/submit")).json()["status"] == "pending"
    assert json.loads(edit.calls.last.request.content)["components"][2] == {"type": "FOOTER", "text": "Merci"}


async def test_the_sync_safety_net_and_delete(client, container, worker_ctx):
    await _hotel(client, container)
    tid = (await client.post("/api/v1/whatsapp/templates", json=PRE_ARRIVAL)).json()["id"]
    with respx.mock:
        respx.post(f"{GRAPH}/WABA1/message_templates").respond(200, json={"id": "888", "status": "PENDING"})
        await client.post(f"/api/v1/whatsapp/templates/{tid}/submit")
    from workers.main import sync_templates

    with respx.mock:
        respx.get(f"{GRAPH}/888").respond(200, json={"id": "888", "name": "pre_arrival", "status": "APPROVED"})
        assert await sync_templates(worker_ctx) == 1
    assert (await client.get(f"/api/v1/whatsapp/templates/{tid}")).json()["status"] == "approved"
    with respx.mock:
        route = respx.delete(f"{GRAPH}/WABA1/message_templates").respond(200, json={"success": True})
        assert (await client.delete(f"/api/v1/whatsapp/templates/{tid}")).status_code == 204
    assert dict(route.calls.last.request.url.params) == {"name": "pre_arrival", "hsm_id": "888"}
    assert (await client.get(f"/api/v1/whatsapp/templates/{tid}")).status_code == 404


async def _approved(client, container, prop, body=PRE_ARRIVAL) -> str:
    """A template as Meta approved it (the review itself is tested above)."""
    tid = (await client.post("/api/v1/whatsapp/templates", json=body)).json()["id"]
    store = SqlaTemplateStore(container.sessions)
    template = await store.get(prop.id, uuid.UUID(tid))
    template.status, template.provider_template_id = TemplateStatus.APPROVED, "999"
    await store.save(template)
    return tid


async def test_preview_send_and_the_exact_template_payload(client, container, settings, worker_ctx, arq_pool):
    prop = await _hotel(client, container)
    check_in = date(2026, 6, 22)
    await make_booking(
        container,
        prop,
        ref="PMS-1",
        first="Camille",
        phone="+33612345678",
        check_in=check_in,
        custom_fields={"door_code": "4821"},
    )
    tid = await _approved(client, container, prop)
    cid = (await guest_writes(container, prop, "+33612345678", "Bonjour")).conversation.id
    container.clock.advance(hours=30)  # the window has closed: free-form is refused, a template is the way
    assert (
        await client.post(f"/api/v1/conversations/{cid}/messages", json={"channel": "whatsapp", "body": "hi"})
    ).status_code == 409
    preview = (await client.post(f"/api/v1/conversations/{cid}/template-preview", json={"template_id": tid})).json()
    assert preview["parameters"] == {
        "header": "Hôtel des Tilleuls",
        "body": ["Camille", "lundi 22 juin 2026", "4821"],
        "buttons": [],
    }
    assert "Bonjour Camille, nous vous attendons le lundi 22 juin 2026. Votre code de porte est 4821" in preview["text"]
    assert (
        preview["cost"]["category"] == "utility"
        and Decimal(preview["cost"]["amount"]) > 0
        and not preview["cost"]["free"]
    )
    sent = await client.post(
        f"/api/v1/conversations/{cid}/template-messages", json={"template_id": tid, "overrides": {"3": "9999"}}
    )
    assert sent.status_code == 202 and sent.json()["kind"] == "template" and "9999" in sent.json()["body"]
    with respx.mock:
        route = respx.post(f"{GRAPH}/106540352242922/messages").respond(200, json={"messages": [{"id": "wamid.T1"}]})
        await process(container, settings, worker_ctx, arq_pool)
    payload = json.loads(route.calls.last.request.content)
    assert payload["type"] == "template" and payload["to"] == "33612345678"
    assert payload["template"] == {
        "name": "pre_arrival",
        "language": {"code": "fr"},
        "components": [
            {"type": "header", "parameters": [{"type": "text", "text": "Hôtel des Tilleuls"}]},
            {
                "type": "body",
                "parameters": [
                    {"type": "text", "text": "Camille"},
                    {"type": "text", "text": "lundi 22 juin 2026"},
                    {"type": "text", "text": "9999"},
                ],
            },
        ],
    }


async def test_new_message_to_a_guest_without_conversation_and_missing_values(client, container):
    prop = await _hotel(client, container)
    tid = await _approved(client, container, prop)
    no_booking = await client.put(
        "/api/v1/bookings/X",
        json={
            "guest": {"first_name": "Ann", "phone": "+447911123456"},
            "check_in": str(date(2026, 8, 1)),
            "check_out": str(date(2026, 8, 3)),
        },
    )
    guest_id = no_booking.json()["guest"]["id"]
    # the booking has no door code: the product refuses rather than send a blank
    refused = await client.post(f"/api/v1/guests/{guest_id}/template-messages", json={"template_id": tid})
    assert refused.status_code == 409 and refused.json()["code"] == "template_parameter_missing"
    sent = await client.post(
        f"/api/v1/guests/{guest_id}/template-messages", json={"template_id": tid, "overrides": {"3": "1234"}}
    )
    assert sent.status_code == 202
    conversation = (await client.get(f"/api/v1/conversations/{sent.json()['conversation_id']}")).json()
    assert conversation["guest"]["id"] == guest_id and conversation["booking"]["external_ref"] == "X"
    draft = (
        await client.post(
            "/api/v1/whatsapp/templates",
            json={**PRE_ARRIVAL, "name": "other_one", "body": PRE_ARRIVAL["body"] + " Merci."},
        )
    ).json()
    not_approved = await client.post(f"/api/v1/guests/{guest_id}/template-messages", json={"template_id": draft["id"]})
    assert not_approved.status_code == 409 and not_approved.json()["code"] == "template_not_approved"
