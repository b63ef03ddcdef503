"""Labels on conversations ("late arrival", "VIP"): a catalogue per property, added and removed by staff."""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING

from domain.errors import FieldProblem, InvalidInput, NotFound, PolicyViolation
from domain.model import new_id
from domain.ports.unit_of_work import UnitOfWork
from domain.services.conversations import load

if TYPE_CHECKING:
    from domain.ports.labels import LabelStore

COLOUR = re.compile(r"^#[0-9a-f]{6}$")
MAX_NAME = 60
MAX_PER_CONVERSATION = 10
DEFAULT_COLOUR = "#6b7280"


@dataclass(eq=False)
class Label:
    property_id: uuid.UUID
    name: str
    colour: str = DEFAULT_COLOUR
    id: uuid.UUID = field(default_factory=new_id)
    created_at: datetime | None = None


def _same_name(a: str, b: str) -> bool:
    # "VIP" and "vip " are one label to staff reading the list
    return " ".join(a.split()).casefold() == " ".join(b.split()).casefold()


def validate_label(label: Label, catalogue: list[Label]) -> None:
    problems: list[FieldProblem] = []
    if not label.name:
        problems.append(FieldProblem("name", "required", "Give the label a name."))
    elif len(label.name) > MAX_NAME:
        problems.append(FieldProblem("name", "too_long", f"Keep the name under {MAX_NAME} characters."))
    elif any(_same_name(other.name, label.name) and other.id != label.id for other in catalogue):
        problems.append(FieldProblem("name", "label_exists", f"A label named {label.name} already exists."))
    if not COLOUR.match(label.colour):
        problems.append(FieldProblem("colour", "invalid_colour", "Use a colour such as #2563eb."))
    if problems:
        raise InvalidInput(problems, "The label has problems.")


async def load_label(store: LabelStore, property_id: uuid.UUID, label_id: uuid.UUID) -> Label:
    label = await store.get(property_id, label_id)
    if label is None:
        raise NotFound("Label not found.")
    return label


async def create_label(store: LabelStore, property_id: uuid.UUID, name: str, colour: str, now: datetime) -> Label:
    label = Label(property_id, " ".join(name.split()), colour.strip().lower(), created_at=now)
    validate_label(label, await store.all_for(property_id))
    await store.save(label)
    return label


async def update_label(store: LabelStore, property_id: uuid.UUID, label_id: uuid.UUID, name: str, colour: str) -> Label:
    label = await load_label(store, property_id, label_id)
    label.name, label.colour = " ".join(name.split()), colour.strip().lower()
    validate_label(label, await store.all_for(property_id))
    await store.save(label)
    return label


async def delete_label(store: LabelStore, property_id: uuid.UUID, label_id: uuid.UUID) -> None:
    await store.delete(await load_label(store, property_id, label_id))


async def add_to_conversation(
    uow: UnitOfWork,
    store: LabelStore,
    property_id: uuid.UUID,
    conversation_id: uuid.UUID,
    label_id: uuid.UUID,
    now: datetime,
) -> list[Label]:
    conversation = await load(uow, property_id, conversation_id)
    label = await load_label(store, property_id, label_id)
    current = await store.for_conversation(property_id, conversation.id)
    if all(existing.id != label.id for existing in current) and len(current) >= MAX_PER_CONVERSATION:
        raise PolicyViolation("too_many_labels", f"A conversation can carry at most {MAX_PER_CONVERSATION} labels.")
    await store.attach(label, conversation.id, now)
    return await store.for_conversation(property_id, conversation.id)


async def remove_from_conversation(
    uow: UnitOfWork, store: LabelStore, property_id: uuid.UUID, conversation_id: uuid.UUID, label_id: uuid.UUID
) -> list[Label]:
    conversation = await load(uow, property_id, conversation_id)
    label = await load_label(store, property_id, label_id)
    await store.detach(label, conversation.id)
    return await store.for_conversation(property_id, conversation.id)
