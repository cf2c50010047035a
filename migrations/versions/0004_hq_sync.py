"""HQ sync tables (counter, devices, enrolment codes, applied mutations, field stamps) and
the reason HQ gave for a refused local change.

Created in every database (one schema everywhere); laptops leave the hq_* tables empty.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-23 02:30:00
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0004'
down_revision: str | None = '0003'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('hq_counter',
    sa.Column('name', sa.String(length=32), nullable=False),
    sa.Column('value', sa.BigInteger(), nullable=False),
    sa.PrimaryKeyConstraint('name', name=op.f('pk_hq_counter'))
    )
    op.create_table('hq_enrolment_code',
    sa.Column('code_hash', sa.String(length=64), nullable=False),
    sa.Column('advisor_id', sa.String(length=36), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('expires_at', sa.DateTime(), nullable=False),
    sa.Column('used_at', sa.DateTime(), nullable=True),
    sa.Column('device_id', sa.String(length=36), nullable=True),
    sa.ForeignKeyConstraint(['advisor_id'], ['advisor.id'],
                            name=op.f('fk_hq_enrolment_code_advisor_id_advisor')),
    sa.PrimaryKeyConstraint('code_hash', name=op.f('pk_hq_enrolment_code'))
    )
    with op.batch_alter_table('hq_enrolment_code', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_hq_enrolment_code_advisor_id'), ['advisor_id'], unique=False)

    op.create_table('hq_device',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('advisor_id', sa.String(length=36), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('last_seen_at', sa.DateTime(), nullable=True),
    sa.Column('revoked_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['advisor_id'], ['advisor.id'], name=op.f('fk_hq_device_advisor_id_advisor')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_hq_device')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_hq_device_token_hash'))
    )
    with op.batch_alter_table('hq_device', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_hq_device_advisor_id'), ['advisor_id'], unique=False)

    op.create_table('hq_mutation',
    sa.Column('mutation_id', sa.String(length=36), nullable=False),
    sa.Column('device_id', sa.String(length=36), nullable=False),
    sa.Column('table_name', sa.String(length=64), nullable=False),
    sa.Column('row_id', sa.String(length=36), nullable=False),
    sa.Column('result', sa.JSON(), nullable=False),
    sa.Column('received_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('mutation_id', name=op.f('pk_hq_mutation'))
    )
    with op.batch_alter_table('hq_mutation', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_hq_mutation_device_id'), ['device_id'], unique=False)

    op.create_table('hq_field_stamp',
    sa.Column('table_name', sa.String(length=64), nullable=False),
    sa.Column('row_id', sa.String(length=36), nullable=False),
    sa.Column('field', sa.String(length=64), nullable=False),
    sa.Column('row_version', sa.Integer(), nullable=False),
    sa.Column('device_id', sa.String(length=36), nullable=True),
    sa.Column('changed_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('table_name', 'row_id', 'field', name=op.f('pk_hq_field_stamp'))
    )
    with op.batch_alter_table('sync_outbox', schema=None) as batch_op:
        batch_op.add_column(sa.Column('detail', sa.Text(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('sync_outbox', schema=None) as batch_op:
        batch_op.drop_column('detail')
    op.drop_table('hq_field_stamp')
    with op.batch_alter_table('hq_mutation', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_hq_mutation_device_id'))
    op.drop_table('hq_mutation')
    with op.batch_alter_table('hq_device', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_hq_device_advisor_id'))
    op.drop_table('hq_device')
    with op.batch_alter_table('hq_enrolment_code', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_hq_enrolment_code_advisor_id'))
    op.drop_table('hq_enrolment_code')
    op.drop_table('hq_counter')
