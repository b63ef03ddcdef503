"""The schema, and the imperative mapping of the domain's dataclasses onto it.

Constraint names follow one convention so a violated constraint can be turned into a domain
error by name, and so alembic's autogenerate sees the same names the migrations created.
"""

from __future__ import annotations

from typing import Any

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


# Foreign keys between rows one unit of work creates together (a conversation and its first message, a
# planned send and the message it became): checked at commit, so a batch flushes once in any order (0013).
CHECKED_AT_COMMIT: dict[str, Any] = {"deferrable": True, "initially": "DEFERRED"}


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

# single-use links to join a property; only the token's SHA-256 is kept
staff_invitations = Table(
    "staff_invitations",
    metadata,
    _id(),
    _property_fk(),
    Column("email", String(320), nullable=False),
    Column("role", String(16), nullable=False),
    Column("token_hash", String(64), nullable=False, unique=True),
    Column("invited_by", UUID(as_uuid=True), ForeignKey("users.id", ondelete="SET NULL")),
    Column("created_at", TS, nullable=False),
    Column("expires_at", TS, nullable=False),
    Column("accepted_at", TS),
    Index("ix_staff_invitations_property_id_email", "property_id", "email"),
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
    Column(
        "guest_id", UUID(as_uuid=True), ForeignKey("guests.id", ondelete="CASCADE", **CHECKED_AT_COMMIT), nullable=False
    ),
    Column("booking_id", UUID(as_uuid=True), ForeignKey("bookings.id", ondelete="SET NULL", **CHECKED_AT_COMMIT)),
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
    Column(
        "conversation_id",
        UUID(as_uuid=True),
        ForeignKey("conversations.id", ondelete="CASCADE", **CHECKED_AT_COMMIT),
        nullable=False,
    ),
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
    # the needs-attention queue: failed sends, and queued sends held back with a reason, per property
    Index(
        "ix_messages_needs_attention",
        "property_id",
        "status_changed_at",
        postgresql_where=text("status = 'failed' OR (status = 'queued' AND error_code IS NOT NULL)"),
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
    Column("message_id", UUID(as_uuid=True), ForeignKey("messages.id", ondelete="SET NULL", **CHECKED_AT_COMMIT)),
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


saved_replies = Table(
    "saved_replies",
    metadata,
    _id(),
    _property_fk(),
    Column("name", String(120), nullable=False),
    Column("shortcut", String(40), nullable=False),
    # language -> text with placeholders ({{ guest.first_name }}), rendered by the scheduled messages' engine
    Column("bodies", JSONB, nullable=False, server_default=text("'{}'::jsonb")),
    Column("created_at", TS, nullable=False),
    Column("updated_at", TS, nullable=False),
    UniqueConstraint("property_id", "shortcut"),
)

labels = Table(
    "labels",
    metadata,
    _id(),
    _property_fk(),
    Column("name", String(60), nullable=False),
    Column("colour", String(7), nullable=False),
    Column("created_at", TS, nullable=False),
    UniqueConstraint("property_id", "name"),
)

conversation_labels = Table(
    "conversation_labels",
    metadata,
    # the primary key serves the inbox's EXISTS filter (conversation, label) and the per-row label list
    Column("conversation_id", UUID(as_uuid=True), ForeignKey("conversations.id", ondelete="CASCADE"), primary_key=True),
    Column("label_id", UUID(as_uuid=True), ForeignKey("labels.id", ondelete="CASCADE"), primary_key=True),
    _property_fk(),
    Column("created_at", TS, nullable=False),
    Index("ix_conversation_labels_label_id", "label_id", "conversation_id"),
)

attention_settings = Table(
    "attention_settings",
    metadata,
    Column("property_id", UUID(as_uuid=True), ForeignKey("properties.id", ondelete="CASCADE"), primary_key=True),
    # a conversation whose guest waits longer than this for a staff reply joins the needs-attention queue
    Column("reply_after_minutes", Integer, nullable=False),
    Column("updated_at", TS, nullable=False),
)

attention_dismissals = Table(
    "attention_dismissals",
    metadata,
    # an item of the needs-attention queue that staff handled (resent elsewhere, or dismissed): kind + row id
    Column("kind", String(32), primary_key=True),
    Column("item_id", UUID(as_uuid=True), primary_key=True),
    _property_fk(),
    Column("resolution", String(32), nullable=False),
    Column("resolved_message_id", UUID(as_uuid=True), ForeignKey("messages.id", ondelete="SET NULL")),
    Column("user_id", UUID(as_uuid=True), ForeignKey("users.id", ondelete="SET NULL")),
    Column("created_at", TS, nullable=False),
)


# --- consent register, spending caps, outgoing webhooks (issue 9) ---

guest_consents = Table(
    "guest_consents",
    metadata,
    _id(),
    _property_fk(),
    Column("guest_id", UUID(as_uuid=True), ForeignKey("guests.id", ondelete="CASCADE"), nullable=False),
    Column("channel", String(16), nullable=False),
    # opt_in | opt_out; the newest entry per (guest, channel) is the current state, older ones are the history
    Column("state", String(8), nullable=False),
    Column("source", String(40), nullable=False),
    Column("note", String(500)),
    Column("recorded_by", UUID(as_uuid=True), ForeignKey("users.id", ondelete="SET NULL")),
    Column("recorded_at", TS, nullable=False),
    Index("ix_guest_consents_history", "property_id", "guest_id", "channel", "recorded_at"),
)

guest_erasures = Table(
    "guest_erasures",
    metadata,
    # the audit of an erasure; it outlives nothing personal (ids and counts only)
    Column("guest_id", UUID(as_uuid=True), ForeignKey("guests.id", ondelete="CASCADE"), primary_key=True),
    _property_fk(),
    Column("erased_by", UUID(as_uuid=True), ForeignKey("users.id", ondelete="SET NULL")),
    Column("erased_at", TS, nullable=False),
    Column("summary", JSONB, nullable=False, server_default=text("'{}'::jsonb")),
)

spending_caps = Table(
    "spending_caps",
    metadata,
    Column("property_id", UUID(as_uuid=True), ForeignKey("properties.id", ondelete="CASCADE"), primary_key=True),
    Column("channel", String(16), primary_key=True),
    Column("monthly_cap", Numeric(12, 5), nullable=False),
    Column("currency", String(3), nullable=False),
    Column("updated_at", TS, nullable=False),
)

spending_months = Table(
    "spending_months",
    metadata,
    # what paid sends reserved this month (property's local month); incremented atomically under the cap
    Column("property_id", UUID(as_uuid=True), ForeignKey("properties.id", ondelete="CASCADE"), primary_key=True),
    Column("channel", String(16), primary_key=True),
    Column("month", String(7), primary_key=True),
    Column("spent", Numeric(12, 5), nullable=False, server_default="0"),
    Column("sends", Integer, nullable=False, server_default="0"),
    Column("updated_at", TS, nullable=False),
)

outgoing_webhook_subscriptions = Table(
    "outgoing_webhook_subscriptions",
    metadata,
    _id(),
    _property_fk(),
    Column("url", String(2000), nullable=False),
    Column("description", String(200), nullable=False, server_default=""),
    Column("event_types", JSONB, nullable=False),
    Column("secret", LargeBinary, nullable=False),  # Fernet token: we need the secret itself to sign
    Column("active", Boolean, nullable=False, server_default=text("true")),
    Column("created_at", TS, nullable=False),
    Column("updated_at", TS, nullable=False),
    Index("ix_outgoing_webhook_subscriptions_property_id", "property_id"),
)

outgoing_webhook_events = Table(
    "outgoing_webhook_events",
    metadata,
    # an outbox: written in the transaction of the change; fanned out to subscriptions, then deleted
    Column("id", BigInteger, primary_key=True, autoincrement=True),
    _property_fk(),
    Column("event_id", UUID(as_uuid=True), nullable=False),
    Column("event_type", String(40), nullable=False),
    Column("payload", JSONB, nullable=False),
    Column("occurred_at", TS, nullable=False),
)

outgoing_webhook_deliveries = Table(
    "outgoing_webhook_deliveries",
    metadata,
    _id(),
    _property_fk(),
    Column(
        "subscription_id",
        UUID(as_uuid=True),
        ForeignKey("outgoing_webhook_subscriptions.id", ondelete="CASCADE"),
        nullable=False,
    ),
    Column("event_id", UUID(as_uuid=True), nullable=False),
    Column("event_type", String(40), nullable=False),
    Column("payload", JSONB, nullable=False),
    # pending -> succeeded | failed (gave up after the retry window)
    Column("state", String(16), nullable=False),
    Column("attempts", Integer, nullable=False, server_default="0"),
    Column("next_attempt_at", TS),
    Column("last_status_code", Integer),
    Column("last_error", String(500)),
    Column("redelivery_of", UUID(as_uuid=True)),
    Column("created_at", TS, nullable=False),
    Column("finished_at", TS),
    Index("ix_outgoing_webhook_deliveries_due", "next_attempt_at", postgresql_where=text("state = 'pending'")),
    Index("ix_outgoing_webhook_deliveries_log", "subscription_id", text("created_at DESC")),
)

outgoing_webhook_attempts = Table(
    "outgoing_webhook_attempts",
    metadata,
    Column("id", BigInteger, primary_key=True, autoincrement=True),
    Column(
        "delivery_id",
        UUID(as_uuid=True),
        ForeignKey("outgoing_webhook_deliveries.id", ondelete="CASCADE"),
        nullable=False,
        index=True,
    ),
    _property_fk(),
    Column("attempted_at", TS, nullable=False),
    Column("status_code", Integer),
    Column("latency_ms", Integer, nullable=False),
    Column("error", String(500)),
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
    _map_issue_9()


def _map_issue_9() -> None:
    """The consent register's entries, and the listener that writes outgoing-webhook events in each transaction."""
    from adapters.db.outgoing_capture import install_capture
    from domain.consent import GuestConsent

    mapper_registry.map_imperatively(GuestConsent, guest_consents)
    install_capture()
