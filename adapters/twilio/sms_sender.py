"""Sends SMS through the hotel's own Twilio account (Messages.json, form-encoded, basic auth)."""

from __future__ import annotations

import base64
from decimal import Decimal, InvalidOperation
from urllib.parse import urlencode

import httpx

from adapters.http_failures import failure_from_transport, retry_after_of
from adapters.twilio.errors import reason_for
from domain.errors import ProviderFailure
from domain.ports.channels import OutboundRequest, SendReceipt

DEFAULT_API_URL = "https://api.twilio.com"


class TwilioSmsSender:
    def __init__(
        self,
        http: httpx.AsyncClient,
        *,
        account_sid: str,
        auth_token: str,
        from_number: str | None = None,
        messaging_service_sid: str | None = None,
        status_callback: str | None = None,
        base_url: str = DEFAULT_API_URL,
    ) -> None:
        if not (from_number or messaging_service_sid):
            raise ValueError("a sender number or a Messaging Service SID is required")
        self._http = http
        # parsed, encoded and built once: a burst sends thousands through one sender, and httpx otherwise
        # parses the URL, runs an auth flow and encodes the form for each (bench/README.md, session 9)
        self._url = httpx.URL(f"{base_url.rstrip('/')}/2010-04-01/Accounts/{account_sid}/Messages.json")
        credentials = base64.b64encode(f"{account_sid}:{auth_token}".encode()).decode()
        self._headers = {
            "Accept": "application/json",
            "Authorization": f"Basic {credentials}",
            "Content-Type": "application/x-www-form-urlencoded",
        }
        self._from = from_number
        self._service = messaging_service_sid
        self._callback = status_callback

    def form(self, request: OutboundRequest) -> dict[str, str]:
        data = {"To": request.to, "Body": request.body}
        if self._service:
            data["MessagingServiceSid"] = self._service
        else:
            assert self._from is not None
            data["From"] = self._from
        if self._callback:
            data["StatusCallback"] = self._callback
        return data

    async def send(self, request: OutboundRequest) -> SendReceipt:
        try:
            response = await self._http.post(self._url, content=urlencode(self.form(request)), headers=self._headers)
        except httpx.HTTPError as exc:
            raise failure_from_transport("twilio", exc) from exc
        try:
            body = response.json()
        except ValueError:
            body = {}
        if response.status_code >= 400:
            code = body.get("code") if isinstance(body, dict) else None
            retryable, reason = reason_for(code, body.get("message") or f"Twilio answered HTTP {response.status_code}.")
            if response.status_code == 429 or response.status_code >= 500:
                retryable = True
            raise ProviderFailure(
                code=f"twilio_{code or response.status_code}",
                reason=reason,
                retryable=retryable,
                retry_after_seconds=retry_after_of(response),
                provider_status=response.status_code,
            )
        sid = body.get("sid") if isinstance(body, dict) else None
        if not sid:
            raise ProviderFailure("twilio_bad_response", "Twilio answered without a message SID.", True)
        return SendReceipt(
            provider_message_id=str(sid), cost_amount=_price(body.get("price")), cost_currency=body.get("price_unit")
        )


def _price(value: object) -> Decimal | None:
    """Twilio reports a billed price as a negative string ("-0.00790"); we store the cost as positive."""
    if value in (None, ""):
        return None
    try:
        return abs(Decimal(str(value)))
    except InvalidOperation:
        return None
