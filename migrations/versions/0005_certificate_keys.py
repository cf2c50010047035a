"""Certificates that HQ can verify: each enrolled laptop's Ed25519 public key and its
fingerprint prefix (unique: the prefix of every certificate number the laptop issues),
and the certificates HQ revoked.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-23 05:00:00
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0005'
down_revision: str | None = '0004'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('hq_device', schema=None) as batch_op:
        batch_op.add_column(sa.Column('public_key', sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column('key_prefix', sa.String(length=16), nullable=True))
        batch_op.create_unique_constraint(batch_op.f('uq_hq_device_key_prefix'), ['key_prefix'])
    op.create_table('hq_certificate_revocation',
    sa.Column('number', sa.String(length=40), nullable=False),
    sa.Column('revoked_at', sa.DateTime(), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.PrimaryKeyConstraint('number', name=op.f('pk_hq_certificate_revocation'))
    )


def downgrade() -> None:
    op.drop_table('hq_certificate_revocation')
    with op.batch_alter_table('hq_device', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('uq_hq_device_key_prefix'), type_='unique')
        batch_op.drop_column('key_prefix')
        batch_op.drop_column('public_key')
