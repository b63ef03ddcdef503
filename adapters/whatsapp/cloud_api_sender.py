"""Sends through the WhatsApp Cloud API (Graph API) over httpx."""

from __future__ import annotations

from typing import Any

import httpx

from adapters.http_failures import failure_from_transport, retry_after_of
from adapters.whatsapp.errors import failure_from_error
from domain.errors import ProviderFailure
from domain.ports.channels import OutboundRequest, SendReceipt

DEFAULT_GRAPH_URL = "https://graph.facebook.com/v21.0"


def wa_recipient(e164: str) -> str:
    return e164.lstrip("+")


def text_payload(request: OutboundRequest) -> dict[str, Any]:
    return {
        "messaging_product": "whatsapp",
        "recipient_type": "individual",
        "to": wa_recipient(request.to),
        "type": "text",
        "text": {"preview_url": False, "body": request.body},
        # comes back in status webhooks, so a status can find our message even before its wamid is stored
        "biz_opaque_callback_data": str(request.message_id),
    }


def template_payload(request: OutboundRequest) -> dict[str, Any]:
    """A template send: the parameters were resolved when the message was written, one per variable."""
    params = request.template_params or {}
    parts: list[dict[str, Any]] = []
    if params.get("header"):
        parts.append({"type": "header", "parameters": [{"type": "text", "text": params["header"]}]})
    if params.get("body"):
        parts.append({"type": "body", "parameters": [{"type": "text", "text": value} for value in params["body"]]})
    for button in params.get("buttons") or []:
        parts.append(
            {
                "type": "button",
                "sub_type": "url",
                "index": str(button["index"]),
                "parameters": [{"type": "text", "text": button["text"]}],
            }
        )
    template: dict[str, Any] = {"name": request.template_name, "language": {"code": request.template_language or "en"}}
    if parts:
        template["components"] = parts
    return {
        "messaging_product": "whatsapp",
        "recipient_type": "individual",
        "to": wa_recipient(request.to),
        "type": "template",
        "template": template,
        "biz_opaque_callback_data": str(request.message_id),
    }


class WhatsAppCloudSender:
    def __init__(
        self, http: httpx.AsyncClient, *, phone_number_id: str, access_token: str, base_url: str = DEFAULT_GRAPH_URL
    ) -> None:
        self._http = http
        self._url = f"{base_url.rstrip('/')}/{phone_number_id}/messages"
        self._headers = {"Authorization": f"Bearer {access_token}", "Content-Type": "application/json"}

    async def send(self, request: OutboundRequest) -> SendReceipt:
        payload = template_payload(request) if request.template_name else text_payload(request)
        try:
            response = await self._http.post(self._url, json=payload, headers=self._headers)
        except httpx.HTTPError as exc:
            raise failure_from_transport("whatsapp", exc) from exc
        body = _json(response)
        if response.status_code >= 400 or "error" in body:
            error = body.get("error") if isinstance(body.get("error"), dict) else {}
            if not error:
                raise ProviderFailure(
                    code=f"whatsapp_http_{response.status_code}",
                    reason=f"WhatsApp answered HTTP {response.status_code}.",
                    retryable=response.status_code >= 500 or response.status_code == 429,
                    retry_after_seconds=retry_after_of(response),
                    provider_status=response.status_code,
                )
            raise failure_from_error(error, response.status_code, retry_after_of(response))
        try:
            wamid = str(body["messages"][0]["id"])
        except (KeyError, IndexError, TypeError) as exc:
            raise ProviderFailure("whatsapp_bad_response", "WhatsApp answered without a message id.", True) from exc
        return SendReceipt(
            provider_message_id=wamid, extra={"message_status": body["messages"][0].get("message_status")}
        )


def _json(response: httpx.Response) -> dict[str, Any]:
    try:
        data = response.json()
    except ValueError:
        return {}
    return data if isinstance(data, dict) else {}
