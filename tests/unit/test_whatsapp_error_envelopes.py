"""Every error code of PROVIDERS.md's WhatsApp table, in Meta's envelope, through the real sender (respx)."""

from __future__ import annotations

import uuid

import httpx
import pytest
import respx

from adapters.whatsapp.cloud_api_sender import WhatsAppCloudSender
from domain.channels import Channel
from domain.errors import ProviderFailure
from domain.ports.channels import OutboundRequest

URL = "https://graph.test/v21.0/106540352242922/messages"
RETRYABLE = {130429, 131056, 4, 80007, 131000, 131016, 135000}
CODES = [
    (131047, 400),
    (131026, 400),
    (130429, 400),
    (131056, 400),
    (131048, 400),
    (131049, 400),
    (131050, 400),
    (132000, 400),
    (132001, 404),
    (132005, 400),
    (132007, 400),
    (132012, 400),
    (132015, 400),
    (132016, 400),
    (190, 401),
    (0, 401),
    (3, 403),
    (10, 403),
    (200, 403),
    (4, 400),
    (80007, 400),
    (368, 400),
    (131031, 400),
    (131000, 500),
    (131016, 503),
    (135000, 500),
    (131030, 400),
    (131042, 400),
]


@pytest.mark.parametrize(("code", "status"), CODES)
async def test_each_meta_error_becomes_a_failure_with_the_right_retry_decision(code, status):
    envelope = {
        "error": {
            "message": f"(#{code}) something",
            "type": "OAuthException",
            "code": code,
            "error_data": {"messaging_product": "whatsapp", "details": "details from Meta"},
            "error_subcode": 2494071,
            "fbtrace_id": "A4O5a8RAgePwbcGSu",
        }
    }
    async with httpx.AsyncClient() as http:
        sender = WhatsAppCloudSender(
            http, phone_number_id="106540352242922", access_token="EAAG-x", base_url="https://graph.test/v21.0"
        )
        with respx.mock(assert_all_called=True) as mock:
            mock.post(URL).respond(status, json=envelope, headers={"Retry-After": "7"} if code == 130429 else {})
            with pytest.raises(ProviderFailure) as failure:
                await sender.send(
                    OutboundRequest(uuid.uuid4(), uuid.uuid4(), Channel.WHATSAPP, "+33612345678", "Hello")
                )
    assert failure.value.code == f"whatsapp_{code}"
    assert failure.value.retryable is (code in RETRYABLE), code
    assert failure.value.provider_status == status
    assert failure.value.reason and "(#" not in failure.value.reason  # words for a hotelier, not Meta's raw text
    if code == 130429:
        assert failure.value.retry_after_seconds == 7


async def test_an_unknown_code_keeps_metas_details_and_is_retried_only_when_transient():
    envelope = {
        "error": {
            "message": "(#999999) new",
            "type": "OAuthException",
            "code": 999999,
            "is_transient": True,
            "error_data": {"details": "Something new happened"},
        }
    }
    async with httpx.AsyncClient() as http:
        sender = WhatsAppCloudSender(
            http, phone_number_id="106540352242922", access_token="EAAG-x", base_url="https://graph.test/v21.0"
        )
        with respx.mock:
            respx.post(URL).respond(400, json=envelope)
            with pytest.raises(ProviderFailure) as failure:
                await sender.send(
                    OutboundRequest(uuid.uuid4(), uuid.uuid4(), Channel.WHATSAPP, "+33612345678", "Hello")
                )
    assert failure.value.retryable and failure.value.reason == "Something new happened"
