"""WhatsApp Business Management API for templates: create or edit, fetch the review, delete."""

from __future__ import annotations

from typing import Any

import httpx

from adapters.http_failures import failure_from_transport
from adapters.whatsapp.cloud_api_sender import DEFAULT_GRAPH_URL
from adapters.whatsapp.errors import failure_from_error
from domain.errors import ProviderFailure
from domain.ports.templates import TemplateReview, WhatsAppAccount
from domain.templates.model import ButtonKind, TemplateButton, WhatsAppTemplate


def _button(button: TemplateButton) -> dict[str, Any]:
    if button.kind == ButtonKind.URL:
        out: dict[str, Any] = {"type": "URL", "text": button.text, "url": button.url}
        if button.url and button.url.endswith("{{1}}"):
            out["example"] = [button.example or ""]
        return out
    if button.kind == ButtonKind.PHONE_NUMBER:
        return {"type": "PHONE_NUMBER", "text": button.text, "phone_number": (button.phone_number or "").lstrip("+")}
    return {"type": "QUICK_REPLY", "text": button.text}


def components(template: WhatsAppTemplate) -> list[dict[str, Any]]:
    """Meta's component list, with the examples its reviewers need for every variable."""
    out: list[dict[str, Any]] = []
    if template.header_text:
        header: dict[str, Any] = {"type": "HEADER", "format": "TEXT", "text": template.header_text}
        if template.header_variable:
            header["example"] = {"header_text": [template.header_variable.example]}
        out.append(header)
    body: dict[str, Any] = {"type": "BODY", "text": template.body}
    if template.body_variables:
        ordered = sorted(template.body_variables, key=lambda v: v.index)
        body["example"] = {"body_text": [[v.example for v in ordered]]}
    out.append(body)
    if template.footer:
        out.append({"type": "FOOTER", "text": template.footer})
    if template.buttons:
        out.append({"type": "BUTTONS", "buttons": [_button(b) for b in template.buttons]})
    return out


def creation_body(template: WhatsAppTemplate) -> dict[str, Any]:
    return {
        "name": template.name,
        "language": template.language,
        "category": template.category.value,
        "components": components(template),
    }


class GraphTemplateApi:
    def __init__(self, http: httpx.AsyncClient) -> None:
        self._http = http

    async def _call(self, method: str, account: WhatsAppAccount, path: str, **kwargs: Any) -> dict[str, Any]:
        url = f"{(account.api_base_url or DEFAULT_GRAPH_URL).rstrip('/')}/{path}"
        try:
            response = await self._http.request(
                method, url, headers={"Authorization": f"Bearer {account.access_token}"}, **kwargs
            )
        except httpx.HTTPError as exc:
            raise failure_from_transport("whatsapp", exc) from exc
        try:
            body = response.json()
        except ValueError:
            body = {}
        if response.status_code >= 400 or not isinstance(body, dict):
            error = body.get("error") if isinstance(body, dict) else None
            if isinstance(error, dict):
                failure = failure_from_error(error, response.status_code)
                user_message = error.get("error_user_msg") or error.get("message")
                if user_message and failure.code == "whatsapp_100":
                    failure.reason = f"Meta refused the template: {user_message}"
                raise failure
            raise ProviderFailure(
                f"whatsapp_http_{response.status_code}",
                f"WhatsApp answered HTTP {response.status_code}.",
                response.status_code >= 500,
            )
        return body

    async def submit(self, account: WhatsAppAccount, template: WhatsAppTemplate) -> TemplateReview:
        if template.provider_template_id:
            await self._call(
                "POST",
                account,
                template.provider_template_id,
                json={"category": template.category.value, "components": components(template)},
            )
            return TemplateReview(template.provider_template_id, "PENDING")
        body = await self._call("POST", account, f"{account.waba_id}/message_templates", json=creation_body(template))
        return TemplateReview(str(body["id"]), str(body.get("status", "PENDING")))

    async def fetch(self, account: WhatsAppAccount, provider_template_id: str) -> TemplateReview:
        body = await self._call("GET", account, provider_template_id, params={"fields": "name,status,rejected_reason"})
        return TemplateReview(provider_template_id, str(body.get("status", "")), body.get("rejected_reason"))

    async def delete(self, account: WhatsAppAccount, template: WhatsAppTemplate) -> None:
        params = {"name": template.name}
        if template.provider_template_id:
            params["hsm_id"] = template.provider_template_id
        await self._call("DELETE", account, f"{account.waba_id}/message_templates", params=params)
