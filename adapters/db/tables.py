"""The schema, and the imperative mapping of the domain's dataclasses onto it.

Constraint names follow one convention so a violated constraint can be turned into a domain
error by name, and so alembic's autogenerate sees the same names the migrations created.
"""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    Numeric,
    String,
    Table,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.dialects.postgresql import JSONB, UUID
from sqlalchemy.orm import registry

metadata = MetaData(
    naming_convention={
        "ix": "ix_%(table_name)s_%(column_0_N_name)s",
        "uq": "uq_%(table_name)s_%(column_0_N_name)s",
        "ck": "ck_%(table_name)s_%(constraint_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
    }
)
mapper_registry = registry(metadata=metadata)

TS = DateTime(timezone=True)


def _id() -> Column:  # type: ignore[type-arg]
    return Column("id", UUID(as_uuid=True), primary_key=True)


def _property_fk() -> Column:  # type: ignore[type-arg]
    return Column("property_id", UUID(as_uuid=True), ForeignKey("properties.id", ondelete="CASCADE"), nullable=False)


properties = Table(
    "properties",
    metadata,
    _id(),
    Column("name", String(200), nullable=False),
    Column("timezone", String(64), nullable=False),
    Column("locale", String(16), nullable=False),
    Column("country", String(2), nullable=False),
    Column("currency", String(3), nullable=False),
    Column("created_at", TS, nullable=False, server_default=text("now()")),
)

users = Table(
    "users",
    metadata,
    _id(),
    Column("email", String(320), nullable=False, unique=True),
    Column("name", String(200), nullable=False),
    Column("password_hash", String(255), nullable=False),
    Column("created_at", TS, nullable=False, server_default=text("now()")),
)

memberships = Table(
    "memberships",
    metadata,
    Column("user_id", UUID(as_uuid=True), ForeignKey("users.id", ondelete="CASCADE"), primary_key=True),
    Column("property_id", UUID(as_uuid=True), ForeignKey("properties.id", ondelete="CASCADE"), primary_key=True),
    Column("role", String(16), nullable=False),
)

web_sessions = Table(
    "web_sessions",
    metadata,
    Column("token_hash", String(64), primary_key=True),
    Column("user_id", UUID(as_uuid=True), ForeignKey("users.id", ondelete="CASCADE"), nullable=False, index=True),
    _property_fk(),
    Column("csrf_token", String(64), nullable=False),
    Column("created_at", TS, nullable=False),
    Column("expires_at", TS, nullable=False),
)

api_keys = Table(
    "api_keys",
    metadata,
    _id(),
    _property_fk(),
    Column("name", String(120), nullable=False),
    Column("prefix", String(16), nullable=False),
    Column("key_hash", String(64), nullable=False, unique=True),
    Column("role", String(16), nullable=False),
    Column("created_by", UUID(as_uuid=True), ForeignKey("users.id", ondelete="SET NULL")),
    Column("created_at", TS, nullable=False),
    Column("last_used_at", TS),
    Column("revoked_at", TS),
)

guests = Table(
    "guests",
    metadata,
    _id(),
    _property_fk(),
    Column("first_name", String(200), nullable=False),
    Column("last_name", String(200), nullable=False, server_default=""),
    Column("phone", String(20)),
    Column("email", String(320)),
    Column("language", String(16)),
    Column("airbnb_user_id", String(64)),
    # channel -> {"at": ISO time, "source": "STOP keyword" | "provider 21610" | "staff" | "api"}
    Column("opt_outs", JSONB, nullable=False, server_default=text("'{}'::jsonb")),
    Column("created_at", TS, nullable=False),
    Column("updated_at", TS, nullable=False),
    # guests are deduplicated by contact within a property; the database is the last word
    Index(
        "uq_guests_property_id_phone", "property_id", "phone", unique=True, postgresql_where=text("phone IS NOT NULL")
    ),
    Index(
        "uq_guests_property_id_email", "property_id", "email", unique=True, postgresql_where=text("email IS NOT NULL")
    ),
    Index("ix_guests_property_id_last_name", "property_id", "last_name"),
)

bookings = Table(
    "bookings",
    metadata,
    _id(),
    _property_fk(),
    Column("guest_id", UUID(as_uuid=True), ForeignKey("guests.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("external_ref", String(120), nullable=False),
    Column("source", String(32), nullable=False),
    Column("status", String(16), nullable=False),
    Column("confirmation_code", String(32)),
    Column("check_in", Date, nullable=False),
    Column("check_out", Date, nullable=False),
    Column("room", String(64)),
    Column("party_size", Integer),
    Column("custom_fields", JSONB, nullable=False, server_default=text("'{}'::jsonb")),
    # the platform's own view of the reservation (Airbnb: inquiry, pending, accepted, cancelled) and its thread
    Column("external_status", String(32)),
    Column("airbnb_thread_id", String(64)),
    Column("created_at", TS, nullable=False),
    Column("updated_at", TS, nullable=False),
    UniqueConstraint("property_id", "external_ref"),
    Index("ix_bookings_property_id_confirmation_code", "property_id", "confirmation_code"),
    Index("ix_bookings_property_id_check_in", "property_id", "check_in"),
)

conversations = Table(
    "conversations",
    metadata,
    _id(),
    _property_fk(),
    Column("guest_id", UUID(as_uuid=True), ForeignKey("guests.id", ondelete="CASCADE"), nullable=False),
    Column("booking_id", UUID(as_uuid=True), ForeignKey("bookings.id", ondelete="SET NULL")),
    Column("status", String(16), nullable=False),
    Column("assignee_id", UUID(as_uuid=True), ForeignKey("users.id", ondelete="SET NULL")),
    Column("last_message_at", TS),
    Column("last_message_preview", String(200)),
    Column("last_message_direction", String(16)),
    Column("last_message_channel", String(16)),
    Column("last_activity_at", TS, nullable=False),
    Column("last_inbound_at", JSONB, nullable=False, server_default=text("'{}'::jsonb")),
    Column("inbound_count", Integer, nullable=False, server_default="0"),
    # false while it holds only scheduled e-mails: it joins the inbox once the guest writes on any channel
    Column("started", Boolean, nullable=False, server_default=text("true")),
    Column("created_at", TS, nullable=False),
    UniqueConstraint("property_id", "guest_id"),
    # the inbox is read newest-activity-first, per property, optionally by status
    Index("ix_conversations_inbox", "property_id", text("last_activity_at DESC"), text("id DESC")),
    Index("ix_conversations_inbox_status", "property_id", "status", text("last_activity_at DESC"), text("id DESC")),
    Index("ix_conversations_property_id_assignee_id", "property_id", "assignee_id"),
)

conversation_reads = Table(
    "conversation_reads",
    metadata,
    Column("conversation_id", UUID(as_uuid=True), ForeignKey("conversations.id", ondelete="CASCADE"), primary_key=True),
    Column("user_id", UUID(as_uuid=True), ForeignKey("users.id", ondelete="CASCADE"), primary_key=True),
    _property_fk(),
    Column("inbound_seen", Integer, nullable=False),
    Column("last_read_at", TS, nullable=False),
)

messages = Table(
    "messages",
    metadata,
    _id(),
    _property_fk(),
    Column("conversation_id", UUID(as_uuid=True), ForeignKey("conversations.id", ondelete="CASCADE"), nullable=False),
    Column("channel", String(16), nullable=False),
    Column("direction", String(16), nullable=False),
    Column("kind", String(16), nullable=False),
    Column("body", Text, nullable=False),
    Column("status", String(16), nullable=False),
    Column("author_type", String(16), nullable=False),
    Column("author_user_id", UUID(as_uuid=True), ForeignKey("users.id", ondelete="SET NULL")),
    Column("template_name", String(512)),
    Column("template_params", JSONB),
    Column("provider_message_id", String(255)),
    Column("error_code", String(64)),
    Column("error_reason", Text),
    Column("attempts", Integer, nullable=False, server_default="0"),
    Column("next_attempt_at", TS),
    Column("cost_amount", Numeric(12, 5)),
    Column("cost_currency", String(3)),
    Column("pricing_category", String(32)),
    Column("rule_name", String(200)),
    # channel details: media id and type, the message replied to, reaction target, original type
    Column("details", JSONB, nullable=False, server_default=text("'{}'::jsonb")),
    Column("created_at", TS, nullable=False),
    Column("status_changed_at", TS),
    # a provider's message id is the idempotency key of its webhooks
    Index(
        "uq_messages_channel_provider_message_id",
        "channel",
        "provider_message_id",
        unique=True,
        postgresql_where=text("provider_message_id IS NOT NULL"),
    ),
    Index("ix_messages_thread", "conversation_id", "created_at", "id"),
    Index(
        "ix_messages_pending",
        "status",
        "next_attempt_at",
        postgresql_where=text("status IN ('queued', 'sending')"),
    ),
)

outbox_events = Table(
    "outbox_events",
    metadata,
    Column("id", BigInteger, primary_key=True, autoincrement=True),
    # null for events that belong to no property yet (a webhook before it is routed)
    Column("property_id", UUID(as_uuid=True), ForeignKey("properties.id", ondelete="CASCADE")),
    Column("topic", String(64), nullable=False),
    Column("payload", JSONB, nullable=False),
    Column("created_at", TS, nullable=False),
    Column("relayed_at", TS),
    Index("ix_outbox_events_unrelayed", "id", postgresql_where=text("relayed_at IS NULL")),
)

channel_connections = Table(
    "channel_connections",
    metadata,
    _id(),
    _property_fk(),
    Column("channel", String(16), nullable=False),
    Column("status", String(32), nullable=False),
    # the provider's id for this connection, used to route webhooks to their property: the WhatsApp
    # phone-number id, or the Twilio sender number / Messaging Service SID (one Twilio account may
    # serve several properties)
    Column("external_id", String(64)),
    Column("settings", JSONB, nullable=False, server_default=text("'{}'::jsonb")),
    Column("secrets", LargeBinary),  # Fernet token of a JSON object; never leaves the process in clear
    Column("last_error", Text),
    Column("updated_at", TS, nullable=False),
    UniqueConstraint("property_id", "channel"),
    Index(
        "uq_channel_connections_channel_external_id",
        "channel",
        "external_id",
        unique=True,
        postgresql_where=text("external_id IS NOT NULL"),
    ),
)

webhook_events = Table(
    "webhook_events",
    metadata,
    Column("id", BigInteger, primary_key=True, autoincrement=True),
    Column("provider", String(16), nullable=False),
    Column("dedupe_key", String(255), nullable=False),
    Column("property_id", UUID(as_uuid=True), ForeignKey("properties.id", ondelete="CASCADE")),
    Column("body", LargeBinary, nullable=False),
    Column("headers", JSONB, nullable=False, server_default=text("'{}'::jsonb")),
    Column("received_at", TS, nullable=False),
    Column("processed_at", TS),
    Column("error", Text),
    UniqueConstraint("provider", "dedupe_key"),
    # the safety net looks for events left unprocessed; they are few, the table is large
    Index("ix_webhook_events_unprocessed", "id", postgresql_where=text("processed_at IS NULL")),
)


whatsapp_templates = Table(
    "whatsapp_templates",
    metadata,
    _id(),
    _property_fk(),
    Column("name", String(512), nullable=False),
    Column("language", String(16), nullable=False),
    Column("category", String(16), nullable=False),
    Column("header_text", String(200)),
    Column("body", Text, nullable=False),
    Column("footer", String(200)),
    Column("buttons", JSONB, nullable=False, server_default=text("'[]'::jsonb")),
    Column("body_variables", JSONB, nullable=False, server_default=text("'[]'::jsonb")),
    Column("header_variable", JSONB),
    Column("status", String(16), nullable=False),
    Column("provider_template_id", String(64)),
    Column("rejection_reason", String(64)),
    Column("rejection_recommendation", Text),
    Column("submitted_at", TS),
    Column("created_at", TS, nullable=False),
    Column("updated_at", TS, nullable=False),
    UniqueConstraint("property_id", "name", "language"),
    Index("ix_whatsapp_templates_provider_template_id", "provider_template_id"),
)


scheduled_rules = Table(
    "scheduled_rules",
    metadata,
    _id(),
    _property_fk(),
    Column("name", String(200), nullable=False),
    Column("active", Boolean, nullable=False, server_default=text("true")),
    Column("trigger", String(32), nullable=False),
    Column("offset_days", Integer, nullable=False, server_default="0"),
    Column("offset_hours", Integer, nullable=False, server_default="0"),
    Column("send_time", String(5)),
    Column("conditions", JSONB, nullable=False, server_default=text("'{}'::jsonb")),
    Column("channel_order", JSONB, nullable=False),
    Column("content", JSONB, nullable=False),
    Column("marketing", Boolean, nullable=False, server_default=text("false")),
    Column("created_at", TS, nullable=False),
    Column("updated_at", TS, nullable=False),
)

planned_sends = Table(
    "planned_sends",
    metadata,
    _id(),
    _property_fk(),
    Column("rule_id", UUID(as_uuid=True), ForeignKey("scheduled_rules.id", ondelete="CASCADE"), nullable=False),
    Column("booking_id", UUID(as_uuid=True), ForeignKey("bookings.id", ondelete="CASCADE"), nullable=False),
    Column("due_at", TS, nullable=False),
    Column("state", String(16), nullable=False),
    Column("reason", Text),
    Column("attempts", JSONB, nullable=False, server_default=text("'[]'::jsonb")),
    Column("message_id", UUID(as_uuid=True), ForeignKey("messages.id", ondelete="SET NULL")),
    Column("sent_at", TS),
    Column("created_at", TS, nullable=False),
    Column("updated_at", TS, nullable=False),
    # exactly one per (rule, booking): the database refuses a second
    UniqueConstraint("rule_id", "booking_id"),
    Index("ix_planned_sends_due", "due_at", postgresql_where=text("state = 'planned'")),
    Index("ix_planned_sends_property_id_booking_id", "property_id", "booking_id"),
)


media_files = Table(
    "media_files",
    metadata,
    _id(),
    _property_fk(),
    Column("message_id", UUID(as_uuid=True), ForeignKey("messages.id", ondelete="CASCADE"), nullable=False),
    Column("position", Integer, nullable=False, server_default="0"),
    Column("content_type", String(200), nullable=False),
    Column("filename", String(300)),
    Column("size", Integer, nullable=False),
    # kept in the database: one backup covers everything; large deployments can move this to object storage
    Column("data", LargeBinary, nullable=False),
    Column("fetched_at", TS, nullable=False),
    UniqueConstraint("message_id", "position"),
)


def map_domain() -> None:
    """Map the domain dataclasses onto the tables once per process."""
    from domain import model
    from domain.scheduling import model as scheduling

    if mapper_registry.mappers:
        return
    mapper_registry.map_imperatively(model.Property, properties)
    mapper_registry.map_imperatively(model.User, users)
    mapper_registry.map_imperatively(model.Membership, memberships)
    mapper_registry.map_imperatively(model.Guest, guests)
    mapper_registry.map_imperatively(model.Booking, bookings)
    mapper_registry.map_imperatively(model.Conversation, conversations)
    mapper_registry.map_imperatively(model.ConversationRead, conversation_reads)
    mapper_registry.map_imperatively(model.Message, messages)
    mapper_registry.map_imperatively(model.OutboxEvent, outbox_events)
    mapper_registry.map_imperatively(scheduling.ScheduledRule, scheduled_rules)
    mapper_registry.map_imperatively(scheduling.PlannedSend, planned_sends)
