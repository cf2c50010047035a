"""Programme operations: complaints (réclamations), the end-of-track satisfaction survey and
the payment status of the company's contribution. Three synced tables; their pull indexes
are the composite (scope, server_seq) ones of 0006, never single-column scope indexes.
Prices, shares and subsidies are not stored: they come from resources/programme_ops.toml.
And HQ's own table of the attestations it issues to advisors (``hq_advisor_attestation``).

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-23 06:00:00
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0009'
down_revision: str | None = '0008'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TABLES = ('complaint', 'satisfaction_survey', 'contribution_payment')


def _sync_columns() -> list[sa.Column[object]]:
    return [
        sa.Column('id', sa.String(length=36), nullable=False),
        sa.Column('row_version', sa.Integer(), nullable=False),
        sa.Column('server_seq', sa.BigInteger(), nullable=True),
        sa.Column('updated_at', sa.DateTime(), nullable=False),
        sa.Column('updated_by', sa.String(length=36), nullable=True),
        sa.Column('origin_device', sa.String(length=36), nullable=True),
        sa.Column('deleted_at', sa.DateTime(), nullable=True),
        sa.Column('scope_region', sa.String(length=8), nullable=True),
        sa.Column('scope_advisor', sa.String(length=36), nullable=True),
        sa.Column('scope_group', sa.String(length=36), nullable=True),
    ]


def _keys(table: str) -> list[sa.Constraint]:
    return [
        sa.ForeignKeyConstraint(['enrolment_id'], ['enrolment.id'],
                                name=op.f(f'fk_{table}_enrolment_id_enrolment')),
        sa.PrimaryKeyConstraint('id', name=op.f(f'pk_{table}')),
    ]


def upgrade() -> None:
    op.create_table(
        'complaint',
        sa.Column('enrolment_id', sa.String(length=36), nullable=False),
        sa.Column('received_on', sa.Date(), nullable=False),
        sa.Column('reason', sa.String(length=40), nullable=False),
        sa.Column('details', sa.Text(), nullable=False),
        sa.Column('handling', sa.Text(), nullable=False),
        sa.Column('status', sa.String(length=24), nullable=False),
        sa.Column('closed_on', sa.Date(), nullable=True),
        *_sync_columns(), *_keys('complaint'))
    op.create_table(
        'satisfaction_survey',
        sa.Column('enrolment_id', sa.String(length=36), nullable=False),
        sa.Column('answered_on', sa.Date(), nullable=False),
        sa.Column('score', sa.Integer(), nullable=False),
        sa.Column('comment', sa.Text(), nullable=False),
        *_sync_columns(), *_keys('satisfaction_survey'))
    op.create_table(
        'contribution_payment',
        sa.Column('enrolment_id', sa.String(length=36), nullable=False),
        sa.Column('status', sa.String(length=24), nullable=False),
        sa.Column('amount_received', sa.Float(), nullable=False),
        sa.Column('received_on', sa.Date(), nullable=True),
        sa.Column('note', sa.Text(), nullable=False),
        *_sync_columns(), *_keys('contribution_payment'))
    op.create_table(
        'hq_advisor_attestation',
        sa.Column('number', sa.String(length=40), nullable=False),
        sa.Column('counter', sa.Integer(), nullable=False),
        sa.Column('advisor_id', sa.String(length=36), nullable=False),
        sa.Column('training', sa.Text(), nullable=False),
        sa.Column('issued_on', sa.Date(), nullable=False),
        sa.Column('issued_at', sa.DateTime(), nullable=False),
        sa.Column('facts', sa.JSON(), nullable=False),
        sa.Column('code', sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(['advisor_id'], ['advisor.id'],
                                name=op.f('fk_hq_advisor_attestation_advisor_id_advisor')),
        sa.PrimaryKeyConstraint('number', name=op.f('pk_hq_advisor_attestation')),
        sa.UniqueConstraint('counter', name=op.f('uq_hq_advisor_attestation_counter')))
    op.create_index(op.f('ix_hq_advisor_attestation_advisor_id'), 'hq_advisor_attestation', ['advisor_id'])
    for table in TABLES:
        op.create_index(op.f(f'ix_{table}_enrolment_id'), table, ['enrolment_id'])
        op.create_index(op.f(f'ix_{table}_server_seq'), table, ['server_seq'])
        op.create_index(f'ix_{table}_region_seq', table, ['scope_region', 'server_seq'])
        op.create_index(f'ix_{table}_advisor_seq', table, ['scope_advisor', 'server_seq'])


def downgrade() -> None:
    op.drop_index(op.f('ix_hq_advisor_attestation_advisor_id'), table_name='hq_advisor_attestation')
    op.drop_table('hq_advisor_attestation')
    for table in reversed(TABLES):
        op.drop_index(f'ix_{table}_advisor_seq', table_name=table)
        op.drop_index(f'ix_{table}_region_seq', table_name=table)
        op.drop_index(op.f(f'ix_{table}_server_seq'), table_name=table)
        op.drop_index(op.f(f'ix_{table}_enrolment_id'), table_name=table)
        op.drop_table(table)
