"""consent register, spending caps, outgoing webhooks

Revision ID: 0011
Revises: 0010
Create Date: 2026-11-26 11:20:00
"""
from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = '0011'
down_revision: str | None = '0010'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TS = sa.DateTime(timezone=True)

# opt-outs recorded before the register existed (guests.opt_outs, migration 0003) become its first entries
BACKFILL_OPT_OUTS = """
INSERT INTO guest_consents (id, property_id, guest_id, channel, state, source, recorded_at)
SELECT gen_random_uuid(), g.property_id, g.id, o.key, 'opt_out',
       CASE WHEN o.value->>'source' = 'STOP keyword' THEN 'sms_stop'
            WHEN o.value->>'source' LIKE 'provider%' THEN 'provider_unsubscribed'
            ELSE 'imported' END,
       COALESCE((o.value->>'at')::timestamptz, g.updated_at)
FROM guests g, jsonb_each(g.opt_outs) AS o
"""


def _property_fk(table: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        ['property_id'], ['properties.id'], name=op.f(f'fk_{table}_property_id_properties'), ondelete='CASCADE'
    )


def upgrade() -> None:
    op.create_table(
        'guest_consents',
        sa.Column('id', sa.UUID(), nullable=False),
        sa.Column('property_id', sa.UUID(), nullable=False),
        sa.Column('guest_id', sa.UUID(), nullable=False),
        sa.Column('channel', sa.String(length=16), nullable=False),
        sa.Column('state', sa.String(length=8), nullable=False),
        sa.Column('source', sa.String(length=40), nullable=False),
        sa.Column('note', sa.String(length=500), nullable=True),
        sa.Column('recorded_by', sa.UUID(), nullable=True),
        sa.Column('recorded_at', TS, nullable=False),
        sa.ForeignKeyConstraint(['guest_id'], ['guests.id'], name=op.f('fk_guest_consents_guest_id_guests'), ondelete='CASCADE'),
        _property_fk('guest_consents'),
        sa.ForeignKeyConstraint(['recorded_by'], ['users.id'], name=op.f('fk_guest_consents_recorded_by_users'), ondelete='SET NULL'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_guest_consents')),
    )
    op.create_index('ix_guest_consents_history', 'guest_consents', ['property_id', 'guest_id', 'channel', 'recorded_at'], unique=False)
    op.execute(BACKFILL_OPT_OUTS)
    op.create_table(
        'guest_erasures',
        sa.Column('guest_id', sa.UUID(), nullable=False),
        sa.Column('property_id', sa.UUID(), nullable=False),
        sa.Column('erased_by', sa.UUID(), nullable=True),
        sa.Column('erased_at', TS, nullable=False),
        sa.Column('summary', postgresql.JSONB(astext_type=sa.Text()), server_default=sa.text("'{}'::jsonb"), nullable=False),
        sa.ForeignKeyConstraint(['erased_by'], ['users.id'], name=op.f('fk_guest_erasures_erased_by_users'), ondelete='SET NULL'),
        sa.ForeignKeyConstraint(['guest_id'], ['guests.id'], name=op.f('fk_guest_erasures_guest_id_guests'), ondelete='CASCADE'),
        _property_fk('guest_erasures'),
        sa.PrimaryKeyConstraint('guest_id', name=op.f('pk_guest_erasures')),
    )
    op.create_table(
        'spending_caps',
        sa.Column('property_id', sa.UUID(), nullable=False),
        sa.Column('channel', sa.String(length=16), nullable=False),
        sa.Column('monthly_cap', sa.Numeric(precision=12, scale=5), nullable=False),
        sa.Column('currency', sa.String(length=3), nullable=False),
        sa.Column('updated_at', TS, nullable=False),
        _property_fk('spending_caps'),
        sa.PrimaryKeyConstraint('property_id', 'channel', name=op.f('pk_spending_caps')),
    )
    op.create_table(
        'spending_months',
        sa.Column('property_id', sa.UUID(), nullable=False),
        sa.Column('channel', sa.String(length=16), nullable=False),
        sa.Column('month', sa.String(length=7), nullable=False),
        sa.Column('spent', sa.Numeric(precision=12, scale=5), server_default='0', nullable=False),
        sa.Column('sends', sa.Integer(), server_default='0', nullable=False),
        sa.Column('updated_at', TS, nullable=False),
        _property_fk('spending_months'),
        sa.PrimaryKeyConstraint('property_id', 'channel', 'month', name=op.f('pk_spending_months')),
    )
    op.create_table(
        'outgoing_webhook_subscriptions',
        sa.Column('id', sa.UUID(), nullable=False),
        sa.Column('property_id', sa.UUID(), nullable=False),
        sa.Column('url', sa.String(length=2000), nullable=False),
        sa.Column('description', sa.String(length=200), server_default='', nullable=False),
        sa.Column('event_types', postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column('secret', sa.LargeBinary(), nullable=False),
        sa.Column('active', sa.Boolean(), server_default=sa.text('true'), nullable=False),
        sa.Column('created_at', TS, nullable=False),
        sa.Column('updated_at', TS, nullable=False),
        _property_fk('outgoing_webhook_subscriptions'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_outgoing_webhook_subscriptions')),
    )
    op.create_index('ix_outgoing_webhook_subscriptions_property_id', 'outgoing_webhook_subscriptions', ['property_id'], unique=False)
    op.create_table(
        'outgoing_webhook_events',
        sa.Column('id', sa.BigInteger(), autoincrement=True, nullable=False),
        sa.Column('property_id', sa.UUID(), nullable=False),
        sa.Column('event_id', sa.UUID(), nullable=False),
        sa.Column('event_type', sa.String(length=40), nullable=False),
        sa.Column('payload', postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column('occurred_at', TS, nullable=False),
        _property_fk('outgoing_webhook_events'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_outgoing_webhook_events')),
    )
    op.create_table(
        'outgoing_webhook_deliveries',
        sa.Column('id', sa.UUID(), nullable=False),
        sa.Column('property_id', sa.UUID(), nullable=False),
        sa.Column('subscription_id', sa.UUID(), nullable=False),
        sa.Column('event_id', sa.UUID(), nullable=False),
        sa.Column('event_type', sa.String(length=40), nullable=False),
        sa.Column('payload', postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column('state', sa.String(length=16), nullable=False),
        sa.Column('attempts', sa.Integer(), server_default='0', nullable=False),
        sa.Column('next_attempt_at', TS, nullable=True),
        sa.Column('last_status_code', sa.Integer(), nullable=True),
        sa.Column('last_error', sa.String(length=500), nullable=True),
        sa.Column('redelivery_of', sa.UUID(), nullable=True),
        sa.Column('created_at', TS, nullable=False),
        sa.Column('finished_at', TS, nullable=True),
        _property_fk('outgoing_webhook_deliveries'),
        sa.ForeignKeyConstraint(
            ['subscription_id'], ['outgoing_webhook_subscriptions.id'],
            name=op.f('fk_outgoing_webhook_deliveries_subscription_id_outgoing_webhook_subscriptions'), ondelete='CASCADE',
        ),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_outgoing_webhook_deliveries')),
    )
    op.create_index('ix_outgoing_webhook_deliveries_due', 'outgoing_webhook_deliveries', ['next_attempt_at'], unique=False, postgresql_where=sa.text("state = 'pending'"))
    op.create_index('ix_outgoing_webhook_deliveries_log', 'outgoing_webhook_deliveries', ['subscription_id', sa.text('created_at DESC')], unique=False)
    op.create_table(
        'outgoing_webhook_attempts',
        sa.Column('id', sa.BigInteger(), autoincrement=True, nullable=False),
        sa.Column('delivery_id', sa.UUID(), nullable=False),
        sa.Column('property_id', sa.UUID(), nullable=False),
        sa.Column('attempted_at', TS, nullable=False),
        sa.Column('status_code', sa.Integer(), nullable=True),
        sa.Column('latency_ms', sa.Integer(), nullable=False),
        sa.Column('error', sa.String(length=500), nullable=True),
        sa.ForeignKeyConstraint(
            ['delivery_id'], ['outgoing_webhook_deliveries.id'],
            name=op.f('fk_outgoing_webhook_attempts_delivery_id_outgoing_webhook_deliveries'), ondelete='CASCADE',
        ),
        _property_fk('outgoing_webhook_attempts'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_outgoing_webhook_attempts')),
    )
    op.create_index(op.f('ix_outgoing_webhook_attempts_delivery_id'), 'outgoing_webhook_attempts', ['delivery_id'], unique=False)


def downgrade() -> None:
    op.drop_index(op.f('ix_outgoing_webhook_attempts_delivery_id'), table_name='outgoing_webhook_attempts')
    op.drop_table('outgoing_webhook_attempts')
    op.drop_index('ix_outgoing_webhook_deliveries_log', table_name='outgoing_webhook_deliveries')
    op.drop_index('ix_outgoing_webhook_deliveries_due', table_name='outgoing_webhook_deliveries', postgresql_where=sa.text("state = 'pending'"))
    op.drop_table('outgoing_webhook_deliveries')
    op.drop_table('outgoing_webhook_events')
    op.drop_index('ix_outgoing_webhook_subscriptions_property_id', table_name='outgoing_webhook_subscriptions')
    op.drop_table('outgoing_webhook_subscriptions')
    op.drop_table('spending_months')
    op.drop_table('spending_caps')
    op.drop_table('guest_erasures')
    op.drop_index('ix_guest_consents_history', table_name='guest_consents')
    op.drop_table('guest_consents')
