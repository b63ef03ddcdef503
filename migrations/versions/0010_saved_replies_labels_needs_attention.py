"""saved replies, labels, needs attention

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-26 11:20:00
"""
from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = '0010'
down_revision: str | None = '0009'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

NEEDS_ATTENTION = "status = 'failed' OR (status = 'queued' AND error_code IS NOT NULL)"


def upgrade() -> None:
    op.create_table(
        'saved_replies',
        sa.Column('id', sa.UUID(), nullable=False),
        sa.Column('property_id', sa.UUID(), nullable=False),
        sa.Column('name', sa.String(length=120), nullable=False),
        sa.Column('shortcut', sa.String(length=40), nullable=False),
        sa.Column('bodies', postgresql.JSONB(astext_type=sa.Text()), server_default=sa.text("'{}'::jsonb"), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['property_id'], ['properties.id'], name=op.f('fk_saved_replies_property_id_properties'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_saved_replies')),
        sa.UniqueConstraint('property_id', 'shortcut', name=op.f('uq_saved_replies_property_id_shortcut')),
    )
    op.create_table(
        'labels',
        sa.Column('id', sa.UUID(), nullable=False),
        sa.Column('property_id', sa.UUID(), nullable=False),
        sa.Column('name', sa.String(length=60), nullable=False),
        sa.Column('colour', sa.String(length=7), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['property_id'], ['properties.id'], name=op.f('fk_labels_property_id_properties'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_labels')),
        sa.UniqueConstraint('property_id', 'name', name=op.f('uq_labels_property_id_name')),
    )
    op.create_table(
        'conversation_labels',
        sa.Column('conversation_id', sa.UUID(), nullable=False),
        sa.Column('label_id', sa.UUID(), nullable=False),
        sa.Column('property_id', sa.UUID(), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['conversation_id'], ['conversations.id'], name=op.f('fk_conversation_labels_conversation_id_conversations'), ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['label_id'], ['labels.id'], name=op.f('fk_conversation_labels_label_id_labels'), ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['property_id'], ['properties.id'], name=op.f('fk_conversation_labels_property_id_properties'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('conversation_id', 'label_id', name=op.f('pk_conversation_labels')),
    )
    op.create_index('ix_conversation_labels_label_id', 'conversation_labels', ['label_id', 'conversation_id'], unique=False)
    op.create_table(
        'attention_settings',
        sa.Column('property_id', sa.UUID(), nullable=False),
        sa.Column('reply_after_minutes', sa.Integer(), nullable=False),
        sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['property_id'], ['properties.id'], name=op.f('fk_attention_settings_property_id_properties'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('property_id', name=op.f('pk_attention_settings')),
    )
    op.create_table(
        'attention_dismissals',
        sa.Column('kind', sa.String(length=32), nullable=False),
        sa.Column('item_id', sa.UUID(), nullable=False),
        sa.Column('property_id', sa.UUID(), nullable=False),
        sa.Column('resolution', sa.String(length=32), nullable=False),
        sa.Column('resolved_message_id', sa.UUID(), nullable=True),
        sa.Column('user_id', sa.UUID(), nullable=True),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['property_id'], ['properties.id'], name=op.f('fk_attention_dismissals_property_id_properties'), ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['resolved_message_id'], ['messages.id'], name=op.f('fk_attention_dismissals_resolved_message_id_messages'), ondelete='SET NULL'),
        sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_attention_dismissals_user_id_users'), ondelete='SET NULL'),
        sa.PrimaryKeyConstraint('kind', 'item_id', name=op.f('pk_attention_dismissals')),
    )
    op.create_index(
        'ix_messages_needs_attention',
        'messages',
        ['property_id', 'status_changed_at'],
        unique=False,
        postgresql_where=sa.text(NEEDS_ATTENTION),
    )


def downgrade() -> None:
    op.drop_index('ix_messages_needs_attention', table_name='messages', postgresql_where=sa.text(NEEDS_ATTENTION))
    op.drop_table('attention_dismissals')
    op.drop_table('attention_settings')
    op.drop_index('ix_conversation_labels_label_id', table_name='conversation_labels')
    op.drop_table('conversation_labels')
    op.drop_table('labels')
    op.drop_table('saved_replies')
