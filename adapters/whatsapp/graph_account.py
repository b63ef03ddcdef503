"""Reads a WhatsApp number from the Graph API, to prove a connection's credentials work."""

from __future__ import annotations

import httpx

from adapters.http_failures import failure_from_transport
from adapters.whatsapp.cloud_api_sender import DEFAULT_GRAPH_URL
from adapters.whatsapp.errors import failure_from_error
from domain.errors import ProviderFailure
from domain.ports.connections import WhatsAppNumber


class GraphWhatsAppAccountCheck:
    def __init__(self, http: httpx.AsyncClient) -> None:
        self._http = http

    async def phone_number(self, phone_number_id: str, access_token: str, api_base_url: str | None) -> WhatsAppNumber:
        url = f"{(api_base_url or DEFAULT_GRAPH_URL).rstrip('/')}/{phone_number_id}"
        try:
            response = await self._http.get(
                url,
                params={"fields": "display_phone_number,verified_name,quality_rating"},
                headers={"Authorization": f"Bearer {access_token}"},
            )
        except httpx.HTTPError as exc:
            raise failure_from_transport("whatsapp", exc) from exc
        try:
            body = response.json()
        except ValueError:
            body = {}
        if response.status_code >= 400 or not isinstance(body, dict) or "error" in body:
            error = body.get("error") if isinstance(body, dict) else None
            if isinstance(error, dict):
                raise failure_from_error(error, response.status_code)
            raise ProviderFailure(
                f"whatsapp_http_{response.status_code}", f"WhatsApp answered HTTP {response.status_code}.", False
            )
        return WhatsAppNumber(
            display_phone_number=str(body.get("display_phone_number", "")),
            verified_name=body.get("verified_name"),
            quality_rating=body.get("quality_rating"),
        )
