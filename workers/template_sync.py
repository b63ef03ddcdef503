"""Safety net for template reviews: templates still pending are checked at Meta now and then,
in case a status webhook was lost."""

from __future__ import annotations

import logging

import httpx
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from adapters.crypto.fernet_secret_box import FernetSecretBox
from adapters.db.connection_store import SqlaConnectionStore
from adapters.db.template_store import SqlaTemplateStore
from adapters.whatsapp.template_api import GraphTemplateApi
from domain.clock import Clock
from domain.errors import ProviderFailure
from domain.ports.templates import WhatsAppAccount
from domain.services.templates import apply_review

log = logging.getLogger("workers.template_sync")


async def sync_pending_templates(
    sessions: async_sessionmaker[AsyncSession], box: FernetSecretBox, http: httpx.AsyncClient, clock: Clock
) -> int:
    store, connections, api = SqlaTemplateStore(sessions), SqlaConnectionStore(sessions, box), GraphTemplateApi(http)
    changed = 0
    for template in await store.pending():
        record = await connections.get(template.property_id, "whatsapp")
        if record is None or template.provider_template_id is None or "waba_id" not in record.settings:
            continue
        account = WhatsAppAccount(
            record.settings["waba_id"], str(record.secrets.get("access_token", "")), record.settings.get("api_base_url")
        )
        try:
            review = await api.fetch(account, template.provider_template_id)
        except ProviderFailure as failure:
            log.warning("template sync failed", extra={"template": template.name, "reason": failure.reason})
            continue
        changed += int(await apply_review(store, review, clock.now()) is not None)
    return changed
