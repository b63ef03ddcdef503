"""Airbnb over httpx. The partner API is private; this targets the documented OAuth exchange and our
own contract for threads and reservations, against a base URL from configuration."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlencode

import httpx

from adapters.http_failures import failure_from_transport, retry_after_of
from domain.errors import ProviderFailure
from domain.ports.airbnb import AirbnbReservation, AirbnbThreadMessage, AirbnbTokens


class HttpAirbnbGateway:
    def __init__(
        self, http: httpx.AsyncClient, *, api_base_url: str, authorize_base_url: str, client_id: str, client_secret: str
    ) -> None:
        self._http = http
        self._api = api_base_url.rstrip("/")
        self._authorize = authorize_base_url.rstrip("/")
        self._client = httpx.BasicAuth(client_id, client_secret)
        self._client_id = client_id

    def authorize_url(self, state: str, redirect_uri: str) -> str:
        query = urlencode(
            {"client_id": self._client_id, "redirect_uri": redirect_uri, "scope": "vr,messages_write", "state": state}
        )
        return f"{self._authorize}/oauth2/auth?{query}"

    async def _call(self, method: str, path: str, **kwargs: Any) -> Any:
        try:
            response = await self._http.request(method, f"{self._api}{path}", **kwargs)
        except httpx.HTTPError as exc:
            raise failure_from_transport("airbnb", exc) from exc
        try:
            body = response.json()
        except ValueError:
            body = {}
        if response.status_code >= 400:
            message = body.get("error_message") or body.get("error") or f"HTTP {response.status_code}"
            code = body.get("error_code") or str(response.status_code)
            if response.status_code == 401:
                raise ProviderFailure(
                    "airbnb_unauthorized", "Airbnb refused the authorisation: re-authorise Airbnb.", False
                )
            raise ProviderFailure(
                f"airbnb_{code}",
                f"Airbnb refused: {message}",
                response.status_code >= 500 or response.status_code == 429,
                retry_after_of(response),
            )
        return body

    def _tokens(self, body: dict[str, Any]) -> AirbnbTokens:
        return AirbnbTokens(
            str(body["access_token"]),
            str(body["refresh_token"]),
            datetime.fromtimestamp(int(body["expires_at"]), UTC),
            str(body["user_id"]),
        )

    async def exchange(self, code: str) -> AirbnbTokens:
        return self._tokens(
            await self._call(
                "POST",
                "/v2/oauth2/authorizations",
                params={"_unwrapped": "true"},
                auth=self._client,
                json={"code": code},
            )
        )

    async def refresh(self, refresh_token: str) -> AirbnbTokens:
        return self._tokens(
            await self._call(
                "POST",
                "/v2/oauth2/authorizations",
                params={"_unwrapped": "true"},
                auth=self._client,
                json={"refresh_token": refresh_token, "reset_refresh_token": 1},
            )
        )

    def _bearer(self, token: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {token}"}

    async def reservation(self, access_token: str, confirmation_code: str) -> AirbnbReservation | None:
        try:
            body = await self._call("GET", f"/v2/reservations/{confirmation_code}", headers=self._bearer(access_token))
        except ProviderFailure as failure:
            if failure.code == "airbnb_404":
                return None
            raise
        return AirbnbReservation(str(body["confirmation_code"]), str(body["status"]), body.get("thread_id"))

    async def listings(self, access_token: str) -> list[dict[str, str]]:
        body = await self._call("GET", "/v2/listings", headers=self._bearer(access_token))
        return [{"id": str(item["id"]), "name": str(item.get("name", ""))} for item in body.get("listings", [])]

    async def send(self, access_token: str, thread_id: str, text: str) -> str:
        body = await self._call(
            "POST", f"/v2/threads/{thread_id}/messages", headers=self._bearer(access_token), json={"message": text}
        )
        return str(body["id"])

    async def recent_messages(self, access_token: str, since: datetime) -> list[AirbnbThreadMessage]:
        body = await self._call(
            "GET", "/v2/threads", headers=self._bearer(access_token), params={"since": int(since.timestamp())}
        )
        return [
            AirbnbThreadMessage(
                thread_id=str(m["thread_id"]),
                message_id=str(m["id"]),
                confirmation_code=str(m["confirmation_code"]),
                body=str(m["body"]),
                sent_at=datetime.fromtimestamp(int(m["sent_at"]), UTC),
                sender_role=str(m["sender_role"]),
                guest_first_name=m.get("guest_first_name"),
            )
            for thread in body.get("threads", [])
            for m in thread.get("messages", [])
        ]


class AirbnbSender:
    """The ChannelSender for Airbnb: `to` is the reservation's thread id."""

    def __init__(self, gateway: HttpAirbnbGateway, access_token: str) -> None:
        self._gateway = gateway
        self._token = access_token

    async def send(self, request: Any) -> Any:
        from domain.ports.channels import SendReceipt

        return SendReceipt(provider_message_id=await self._gateway.send(self._token, request.to, request.body))
