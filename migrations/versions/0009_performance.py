"""performance: the index the webhook safety net reads

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-26 11:20:00
"""
from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0009'
down_revision: str | None = '0008'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index(
        "ix_webhook_events_unprocessed",
        "webhook_events",
        ["id"],
        unique=False,
        postgresql_where=sa.text("processed_at IS NULL"),
    )


def downgrade() -> None:
    op.drop_index(
        "ix_webhook_events_unprocessed", table_name="webhook_events", postgresql_where=sa.text("processed_at IS NULL")
    )
