"""staff invitations and roles

Revision ID: 0012
Revises: 0011
Create Date: 2026-11-26 11:20:00
"""
from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0012'
down_revision: str | None = '0011'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('staff_invitations',
    sa.Column('id', sa.UUID(), nullable=False),
    sa.Column('property_id', sa.UUID(), nullable=False),
    sa.Column('email', sa.String(length=320), nullable=False),
    sa.Column('role', sa.String(length=16), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('invited_by', sa.UUID(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('expires_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('accepted_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(
        ['invited_by'], ['users.id'], name=op.f('fk_staff_invitations_invited_by_users'), ondelete='SET NULL'
    ),
    sa.ForeignKeyConstraint(
        ['property_id'], ['properties.id'], name=op.f('fk_staff_invitations_property_id_properties'), ondelete='CASCADE'
    ),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_staff_invitations')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_staff_invitations_token_hash'))
    )
    op.create_index(
        'ix_staff_invitations_property_id_email', 'staff_invitations', ['property_id', 'email'], unique=False
    )


def downgrade() -> None:
    op.drop_index('ix_staff_invitations_property_id_email', table_name='staff_invitations')
    op.drop_table('staff_invitations')
