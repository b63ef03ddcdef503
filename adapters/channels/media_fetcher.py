"""Downloads inbound attachments with the connection's own credentials (Graph media API, Twilio media URLs)."""

from __future__ import annotations

import uuid

import httpx

from adapters.db.connection_store import SqlaConnectionStore
from adapters.http_failures import failure_from_transport
from adapters.whatsapp.cloud_api_sender import DEFAULT_GRAPH_URL
from domain.errors import ProviderFailure
from domain.ports.media import FetchedMedia

MAX_BYTES = 16 * 1024 * 1024  # WhatsApp's own ceiling for most media types


class ConnectionMediaFetcher:
    def __init__(self, store: SqlaConnectionStore, http: httpx.AsyncClient) -> None:
        self._store = store
        self._http = http

    async def _get(self, provider: str, url: str, **kwargs: object) -> httpx.Response:
        try:
            response = await self._http.get(url, follow_redirects=True, **kwargs)  # type: ignore[arg-type]
        except httpx.HTTPError as exc:
            raise failure_from_transport(provider, exc) from exc
        if response.status_code >= 400:
            raise ProviderFailure(
                f"{provider}_media_{response.status_code}",
                f"The attachment could not be downloaded (HTTP {response.status_code}).",
                response.status_code >= 500 or response.status_code == 429,
            )
        if len(response.content) > MAX_BYTES:
            raise ProviderFailure(f"{provider}_media_too_large", "The attachment is larger than 16 MB.", False)
        return response

    async def fetch(
        self, property_id: uuid.UUID, channel: str, details: dict[str, object], position: int
    ) -> FetchedMedia:
        record = await self._store.get(property_id, channel)
        if record is None:
            raise ProviderFailure("channel_not_connected", f"{channel} is not connected.", False)
        if channel == "whatsapp":
            token = str(record.secrets.get("access_token", ""))
            headers = {"Authorization": f"Bearer {token}"}
            base = str(record.settings.get("api_base_url") or DEFAULT_GRAPH_URL).rstrip("/")
            info = (await self._get("whatsapp", f"{base}/{details['media_id']}", headers=headers)).json()
            content = await self._get("whatsapp", str(info["url"]), headers=headers)
            filename = details.get("filename")
            return FetchedMedia(
                str(info.get("mime_type") or details.get("mime_type") or "application/octet-stream"),
                content.content,
                filename if isinstance(filename, str) else None,
            )
        media = details.get("media")
        if not isinstance(media, list) or position >= len(media):
            raise ProviderFailure("media_missing", "The message has no such attachment.", False)
        item = media[position]
        auth = httpx.BasicAuth(str(record.settings.get("account_sid", "")), str(record.secrets.get("auth_token", "")))
        content = await self._get("twilio", str(item["url"]), auth=auth)
        return FetchedMedia(
            str(item.get("content_type") or content.headers.get("content-type") or "application/octet-stream"),
            content.content,
        )
