"""Fetches the Twilio account with the credentials given, to prove them before they are kept."""

from __future__ import annotations

import httpx

from adapters.http_failures import failure_from_transport
from adapters.twilio.errors import reason_for
from adapters.twilio.sms_sender import DEFAULT_API_URL
from domain.errors import ProviderFailure
from domain.ports.connections import TwilioAccount


class HttpTwilioAccountCheck:
    def __init__(self, http: httpx.AsyncClient) -> None:
        self._http = http

    async def account(self, account_sid: str, auth_token: str, api_base_url: str | None) -> TwilioAccount:
        url = f"{(api_base_url or DEFAULT_API_URL).rstrip('/')}/2010-04-01/Accounts/{account_sid}.json"
        try:
            response = await self._http.get(
                url, auth=httpx.BasicAuth(account_sid, auth_token), headers={"Accept": "application/json"}
            )
        except httpx.HTTPError as exc:
            raise failure_from_transport("twilio", exc) from exc
        try:
            body = response.json()
        except ValueError:
            body = {}
        if response.status_code >= 400:
            code = body.get("code") if isinstance(body, dict) else None
            raise ProviderFailure(
                f"twilio_{code or response.status_code}",
                reason_for(code, f"Twilio answered HTTP {response.status_code}.")[1],
                False,
            )
        return TwilioAccount(friendly_name=str(body.get("friendly_name", "")), status=str(body.get("status", "")))
