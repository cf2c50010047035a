"""HQ staff who log in to the web dashboards (salted password hash), and HQ's secrets
(the key that signs their session cookies).

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-23 06:00:00
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0007'
down_revision: str | None = '0006'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('hq_staff',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('email', sa.String(length=254), nullable=False),
    sa.Column('password_hash', sa.String(length=200), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('last_login_at', sa.DateTime(), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_hq_staff')),
    sa.UniqueConstraint('email', name=op.f('uq_hq_staff_email'))
    )
    op.create_table('hq_secret',
    sa.Column('name', sa.String(length=32), nullable=False),
    sa.Column('value', sa.String(length=128), nullable=False),
    sa.PrimaryKeyConstraint('name', name=op.f('pk_hq_secret'))
    )


def downgrade() -> None:
    op.drop_table('hq_secret')
    op.drop_table('hq_staff')
