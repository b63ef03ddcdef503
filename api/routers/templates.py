from __future__ import annotations

import uuid

from fastapi import APIRouter, Response

from adapters.db.connection_store import SqlaConnectionStore
from adapters.db.template_store import SqlaTemplateStore
from adapters.whatsapp.template_api import GraphTemplateApi
from api.auth import CurrentPrincipal, Principal
from api.deps import ContainerDep
from api.errors import ERROR_RESPONSES
from api.schemas.templates import PlaceholderOut, TemplateIn, TemplateOut, ValidationReport
from domain.errors import PolicyViolation
from domain.model import Role
from domain.ports.templates import WhatsAppAccount
from domain.services import templates as lifecycle
from domain.templates.model import ButtonKind, TemplateButton, TemplateCategory, TemplateVariable, WhatsAppTemplate
from domain.templates.placeholders import PLACEHOLDERS
from domain.templates.validation import validate_template

router = APIRouter(prefix="/api/v1/whatsapp", tags=["whatsapp"], responses=ERROR_RESPONSES)


def to_domain(body: TemplateIn, property_id: uuid.UUID) -> WhatsAppTemplate:
    return WhatsAppTemplate(
        property_id=property_id,
        name=body.name,
        language=body.language,
        category=TemplateCategory(body.category),
        body=body.body,
        header_text=body.header_text or None,
        footer=body.footer or None,
        buttons=[
            TemplateButton(
                kind=ButtonKind(b.kind),
                text=b.text,
                url=b.url,
                phone_number=b.phone_number,
                example=b.example,
                placeholder=b.placeholder,
            )
            for b in body.buttons
        ],
        body_variables=[TemplateVariable(v.index, v.placeholder, v.example) for v in body.body_variables],
        header_variable=TemplateVariable(
            body.header_variable.index, body.header_variable.placeholder, body.header_variable.example
        )
        if body.header_variable
        else None,
    )


def to_out(t: WhatsAppTemplate) -> TemplateOut:
    return TemplateOut.model_validate(
        {
            "id": t.id,
            "name": t.name,
            "language": t.language,
            "category": t.category.value,
            "header_text": t.header_text,
            "body": t.body,
            "footer": t.footer,
            "buttons": [
                {
                    "kind": b.kind.value,
                    "text": b.text,
                    "url": b.url,
                    "phone_number": b.phone_number,
                    "example": b.example,
                    "placeholder": b.placeholder,
                }
                for b in t.buttons
            ],
            "body_variables": [v.__dict__ for v in t.body_variables],
            "header_variable": t.header_variable.__dict__ if t.header_variable else None,
            "status": t.status.value,
            "rejection_reason": t.rejection_reason,
            "rejection_recommendation": t.rejection_recommendation,
            "provider_template_id": t.provider_template_id,
            "created_at": t.created_at,
            "updated_at": t.updated_at,
        }
    )


async def whatsapp_account(container: ContainerDep, property_id: uuid.UUID) -> WhatsAppAccount | None:
    record = await SqlaConnectionStore(container.sessions, container.secret_box).get(property_id, "whatsapp")
    if record is None or "waba_id" not in record.settings:
        return None
    return WhatsAppAccount(
        record.settings["waba_id"], str(record.secrets.get("access_token", "")), record.settings.get("api_base_url")
    )


def _editor(principal: Principal) -> None:
    principal.require(Role.OWNER, Role.MANAGER)


@router.get(
    "/placeholders", response_model=list[PlaceholderOut], summary="The placeholders a template variable can map to"
)
async def placeholders(principal: CurrentPrincipal) -> list[PlaceholderOut]:
    return [
        PlaceholderOut(key=p.key, description=p.description, example=p.example, needs_booking=p.needs_booking)
        for p in PLACEHOLDERS.values()
    ]


@router.get(
    "/templates", response_model=list[TemplateOut], summary="The property's WhatsApp templates with their review status"
)
async def list_templates(principal: CurrentPrincipal, container: ContainerDep) -> list[TemplateOut]:
    return [to_out(t) for t in await SqlaTemplateStore(container.sessions).all_for(principal.property_id)]


@router.post(
    "/templates/validate",
    response_model=ValidationReport,
    summary="Check a template against Meta's rules without saving it (for live editing)",
)
async def validate(body: TemplateIn, principal: CurrentPrincipal, container: ContainerDep) -> ValidationReport:
    existing = await SqlaTemplateStore(container.sessions).all_for(principal.property_id)
    problems = validate_template(to_domain(body, principal.property_id), existing)
    return ValidationReport(problems=[{"field": p.part, "code": p.code, "message": p.message} for p in problems])  # type: ignore[misc]


@router.post(
    "/templates", response_model=TemplateOut, status_code=201, summary="Save a new template as a draft (validated)"
)
async def create(body: TemplateIn, principal: CurrentPrincipal, container: ContainerDep) -> TemplateOut:
    _editor(principal)
    template = await lifecycle.create_template(
        SqlaTemplateStore(container.sessions), to_domain(body, principal.property_id), container.clock.now()
    )
    return to_out(template)


@router.get("/templates/{template_id}", response_model=TemplateOut, summary="Read a template")
async def read(template_id: uuid.UUID, principal: CurrentPrincipal, container: ContainerDep) -> TemplateOut:
    return to_out(
        await lifecycle.load_template(SqlaTemplateStore(container.sessions), principal.property_id, template_id)
    )


@router.put(
    "/templates/{template_id}",
    response_model=TemplateOut,
    summary="Edit a template (not while Meta reviews it); it must be submitted again",
)
async def update(
    template_id: uuid.UUID, body: TemplateIn, principal: CurrentPrincipal, container: ContainerDep
) -> TemplateOut:
    _editor(principal)
    template = await lifecycle.update_template(
        SqlaTemplateStore(container.sessions),
        template_id,
        to_domain(body, principal.property_id),
        container.clock.now(),
    )
    return to_out(template)


@router.post(
    "/templates/{template_id}/submit", response_model=TemplateOut, summary="Submit the template to Meta for review"
)
async def submit(template_id: uuid.UUID, principal: CurrentPrincipal, container: ContainerDep) -> TemplateOut:
    _editor(principal)
    store = SqlaTemplateStore(container.sessions)
    await lifecycle.load_template(
        store, principal.property_id, template_id
    )  # another property's template is simply not found
    account = await whatsapp_account(container, principal.property_id)
    if account is None:
        raise PolicyViolation("channel_not_connected", "Connect WhatsApp before submitting templates.")
    template = await lifecycle.submit_template(
        SqlaTemplateStore(container.sessions),
        GraphTemplateApi(container.http),
        account,
        principal.property_id,
        template_id,
        container.clock.now(),
    )
    return to_out(template)


@router.delete("/templates/{template_id}", status_code=204, summary="Delete a template (at Meta too)")
async def remove(template_id: uuid.UUID, principal: CurrentPrincipal, container: ContainerDep) -> Response:
    _editor(principal)
    await lifecycle.delete_template(
        SqlaTemplateStore(container.sessions),
        GraphTemplateApi(container.http),
        await whatsapp_account(container, principal.property_id),
        principal.property_id,
        template_id,
    )
    return Response(status_code=204)
