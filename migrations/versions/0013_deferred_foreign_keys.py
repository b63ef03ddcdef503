"""Foreign keys between rows a use case creates together are checked at commit.

A batch of scheduled sends creates conversations, messages and links planned sends to them in one
transaction; with these constraints checked at commit, the session writes every row of the batch in one
flush, in any order, instead of one flush per new conversation.

Revision ID: 0013
Revises: 0012
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0013"
down_revision: str | None = "0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# (table, constraint) — ALTER CONSTRAINT keeps the referenced table, columns and ON DELETE as they are
DEFERRED = (
    ("conversations", "fk_conversations_guest_id_guests"),
    ("conversations", "fk_conversations_booking_id_bookings"),
    ("messages", "fk_messages_conversation_id_conversations"),
    ("planned_sends", "fk_planned_sends_message_id_messages"),
)


def upgrade() -> None:
    for table, name in DEFERRED:
        op.execute(f"ALTER TABLE {table} ALTER CONSTRAINT {name} DEFERRABLE INITIALLY DEFERRED")


def downgrade() -> None:
    for table, name in DEFERRED:
        op.execute(f"ALTER TABLE {table} ALTER CONSTRAINT {name} NOT DEFERRABLE")
