"""A template's life: drafted and checked here, reviewed by Meta, then usable while approved."""

from __future__ import annotations

import uuid
from datetime import datetime

from domain.errors import NotFound, PolicyViolation, ProviderFailure
from domain.ports.templates import TemplateGateway, TemplateReview, TemplateStore, WhatsAppAccount
from domain.templates.model import TemplateStatus, WhatsAppTemplate, status_from_meta
from domain.templates.validation import raise_if_invalid

# Meta lets a template be edited only once reviewed (approved, rejected or paused); never while in review
EDITABLE = {TemplateStatus.DRAFT, TemplateStatus.APPROVED, TemplateStatus.REJECTED, TemplateStatus.PAUSED}


async def load_template(store: TemplateStore, property_id: uuid.UUID, template_id: uuid.UUID) -> WhatsAppTemplate:
    template = await store.get(property_id, template_id)
    if template is None:
        raise NotFound("Template not found.")
    return template


async def create_template(store: TemplateStore, draft: WhatsAppTemplate, now: datetime) -> WhatsAppTemplate:
    raise_if_invalid(draft, await store.all_for(draft.property_id))
    draft.status, draft.created_at, draft.updated_at = TemplateStatus.DRAFT, now, now
    draft.provider_template_id = draft.rejection_reason = draft.rejection_recommendation = None
    await store.save(draft)
    return draft


async def update_template(
    store: TemplateStore, template_id: uuid.UUID, changes: WhatsAppTemplate, now: datetime
) -> WhatsAppTemplate:
    current = await load_template(store, changes.property_id, template_id)
    if current.status not in EDITABLE:
        raise PolicyViolation(
            "template_not_editable", f"A {current.status.value} template cannot be edited; wait for Meta's review."
        )
    if current.provider_template_id and (changes.name, changes.language) != (current.name, current.language):
        raise PolicyViolation("template_rename_not_allowed", "Meta does not allow renaming a submitted template.")
    changes.id, changes.created_at, changes.updated_at = current.id, current.created_at, now
    changes.provider_template_id = current.provider_template_id
    raise_if_invalid(changes, await store.all_for(changes.property_id))
    # an edited template must be reviewed again before it can be sent
    changes.status = TemplateStatus.DRAFT
    changes.rejection_reason = changes.rejection_recommendation = None
    await store.save(changes)
    return changes


async def submit_template(
    store: TemplateStore,
    gateway: TemplateGateway,
    account: WhatsAppAccount,
    property_id: uuid.UUID,
    template_id: uuid.UUID,
    now: datetime,
) -> WhatsAppTemplate:
    template = await load_template(store, property_id, template_id)
    if template.status == TemplateStatus.PENDING:
        return template  # already with Meta: submitting twice is harmless
    if template.status not in EDITABLE:
        raise PolicyViolation("template_not_submittable", f"A {template.status.value} template cannot be submitted.")
    raise_if_invalid(template, await store.all_for(property_id))
    try:
        review = await gateway.submit(account, template)
    except ProviderFailure as failure:
        raise PolicyViolation("provider_rejected", failure.reason) from failure
    template.provider_template_id = review.provider_template_id
    _apply(template, review, now)
    if template.status not in (TemplateStatus.APPROVED, TemplateStatus.REJECTED):
        template.status = TemplateStatus.PENDING
    await store.save(template)
    return template


async def delete_template(
    store: TemplateStore,
    gateway: TemplateGateway,
    account: WhatsAppAccount | None,
    property_id: uuid.UUID,
    template_id: uuid.UUID,
) -> None:
    template = await load_template(store, property_id, template_id)
    if template.provider_template_id and account is not None:
        try:
            await gateway.delete(account, template)
        except ProviderFailure as failure:
            raise PolicyViolation("provider_rejected", failure.reason) from failure
    await store.delete(template)


def _apply(
    template: WhatsAppTemplate, review: TemplateReview, now: datetime, recommendation: str | None = None
) -> bool:
    status = status_from_meta(review.status)
    if status is None or status == template.status and status != TemplateStatus.REJECTED:
        return False
    template.status = status
    if status == TemplateStatus.REJECTED:
        template.rejection_reason = review.reason if review.reason and review.reason != "NONE" else "UNKNOWN"
        template.rejection_recommendation = recommendation or template.rejection_recommendation
    elif status == TemplateStatus.APPROVED:
        template.rejection_reason = template.rejection_recommendation = None
    template.updated_at = now
    return True


async def apply_review(
    store: TemplateStore, review: TemplateReview, now: datetime, recommendation: str | None = None
) -> WhatsAppTemplate | None:
    """Meta's verdict (a webhook event or a sync); repeated or unknown events change nothing."""
    template = await store.by_provider_id(review.provider_template_id)
    if template is None or not _apply(template, review, now, recommendation):
        return None
    await store.save(template)
    return template
