"""Initial schema: reference data, company data with sync columns, outbox, conflicts.

Enum columns are plain strings on purpose (no CHECK): a value added by a newer HQ must
not break an older laptop.

Revision ID: 0001
Revises: 
Create Date: 2026-11-22 23:51:04.433570
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = '0001'
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('local_setting',
    sa.Column('key', sa.String(length=64), nullable=False),
    sa.Column('value', sa.Text(), nullable=False),
    sa.PrimaryKeyConstraint('key', name=op.f('pk_local_setting'))
    )
    op.create_table('programme_track',
    sa.Column('code', sa.String(length=32), nullable=False),
    sa.Column('name_fr', sa.String(length=120), nullable=False),
    sa.Column('name_en', sa.String(length=120), nullable=False),
    sa.Column('name_ar', sa.String(length=120), nullable=False),
    sa.Column('description_fr', sa.Text(), nullable=False),
    sa.Column('duration_months', sa.Integer(), nullable=False),
    sa.Column('half_days', sa.Integer(), nullable=False),
    sa.Column('problems_min', sa.Integer(), nullable=False),
    sa.Column('problems_max', sa.Integer(), nullable=False),
    sa.Column('half_day_min_hours', sa.Float(), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('row_version', sa.Integer(), nullable=False),
    sa.Column('server_seq', sa.BigInteger(), nullable=True),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('deleted_at', sa.DateTime(), nullable=True),
    sa.PrimaryKeyConstraint('code', name=op.f('pk_programme_track'))
    )
    with op.batch_alter_table('programme_track', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_programme_track_server_seq'), ['server_seq'], unique=False)

    op.create_table('questionnaire',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('code', sa.String(length=32), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('title_fr', sa.String(length=200), nullable=False),
    sa.Column('title_en', sa.String(length=200), nullable=False),
    sa.Column('title_ar', sa.String(length=200), nullable=False),
    sa.Column('scale', sa.JSON(), nullable=False),
    sa.Column('row_version', sa.Integer(), nullable=False),
    sa.Column('server_seq', sa.BigInteger(), nullable=True),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('deleted_at', sa.DateTime(), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_questionnaire')),
    sa.UniqueConstraint('code', 'version', name=op.f('uq_questionnaire_code_version'))
    )
    with op.batch_alter_table('questionnaire', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_questionnaire_server_seq'), ['server_seq'], unique=False)

    op.create_table('region',
    sa.Column('code', sa.String(length=8), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('name_fr', sa.String(length=120), nullable=False),
    sa.Column('name_en', sa.String(length=120), nullable=False),
    sa.Column('name_ar', sa.String(length=120), nullable=False),
    sa.Column('capital', sa.String(length=80), nullable=False),
    sa.Column('row_version', sa.Integer(), nullable=False),
    sa.Column('server_seq', sa.BigInteger(), nullable=True),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('deleted_at', sa.DateTime(), nullable=True),
    sa.PrimaryKeyConstraint('code', name=op.f('pk_region'))
    )
    with op.batch_alter_table('region', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_region_server_seq'), ['server_seq'], unique=False)

    op.create_table('sector',
    sa.Column('code', sa.String(length=16), nullable=False),
    sa.Column('name_fr', sa.String(length=120), nullable=False),
    sa.Column('name_en', sa.String(length=120), nullable=False),
    sa.Column('name_ar', sa.String(length=120), nullable=False),
    sa.Column('row_version', sa.Integer(), nullable=False),
    sa.Column('server_seq', sa.BigInteger(), nullable=True),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('deleted_at', sa.DateTime(), nullable=True),
    sa.PrimaryKeyConstraint('code', name=op.f('pk_sector'))
    )
    with op.batch_alter_table('sector', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_sector_server_seq'), ['server_seq'], unique=False)

    op.create_table('sync_conflict',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('table_name', sa.String(length=64), nullable=False),
    sa.Column('row_id', sa.String(length=36), nullable=False),
    sa.Column('field', sa.String(length=64), nullable=False),
    sa.Column('local_value', sa.JSON(), nullable=False),
    sa.Column('remote_value', sa.JSON(), nullable=False),
    sa.Column('winner', sa.String(length=8), nullable=False),
    sa.Column('remote_updated_by', sa.String(length=36), nullable=True),
    sa.Column('remote_updated_at', sa.DateTime(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('resolved_at', sa.DateTime(), nullable=True),
    sa.Column('resolution', sa.String(length=8), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_sync_conflict'))
    )
    with op.batch_alter_table('sync_conflict', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_sync_conflict_resolved_at'), ['resolved_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_sync_conflict_row_id'), ['row_id'], unique=False)

    op.create_table('sync_outbox',
    sa.Column('seq', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('mutation_id', sa.String(length=36), nullable=False),
    sa.Column('table_name', sa.String(length=64), nullable=False),
    sa.Column('row_id', sa.String(length=36), nullable=False),
    sa.Column('op', sa.String(length=12), nullable=False),
    sa.Column('base_version', sa.Integer(), nullable=False),
    sa.Column('changed', sa.JSON(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('sent_at', sa.DateTime(), nullable=True),
    sa.Column('acked_at', sa.DateTime(), nullable=True),
    sa.Column('result', sa.String(length=16), nullable=True),
    sa.PrimaryKeyConstraint('seq', name=op.f('pk_sync_outbox')),
    sa.UniqueConstraint('mutation_id', name=op.f('uq_sync_outbox_mutation_id'))
    )
    with op.batch_alter_table('sync_outbox', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_sync_outbox_acked_at'), ['acked_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_sync_outbox_row_id'), ['row_id'], unique=False)

    op.create_table('agency',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('code', sa.String(length=16), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('city', sa.String(length=80), nullable=False),
    sa.Column('region_code', sa.String(length=8), nullable=False),
    sa.Column('row_version', sa.Integer(), nullable=False),
    sa.Column('server_seq', sa.BigInteger(), nullable=True),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('deleted_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['region_code'], ['region.code'], name=op.f('fk_agency_region_code_region')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_agency')),
    sa.UniqueConstraint('code', name=op.f('uq_agency_code'))
    )
    with op.batch_alter_table('agency', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_agency_region_code'), ['region_code'], unique=False)
        batch_op.create_index(batch_op.f('ix_agency_server_seq'), ['server_seq'], unique=False)

    op.create_table('company',
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('legal_form', sa.String(length=24), nullable=False),
    sa.Column('segment', sa.String(length=24), nullable=False),
    sa.Column('sector_code', sa.String(length=16), nullable=True),
    sa.Column('region_code', sa.String(length=8), nullable=False),
    sa.Column('city', sa.String(length=80), nullable=False),
    sa.Column('address', sa.String(length=300), nullable=False),
    sa.Column('ice', sa.String(length=15), nullable=True),
    sa.Column('phone', sa.String(length=20), nullable=True),
    sa.Column('email', sa.String(length=254), nullable=True),
    sa.Column('employees', sa.Integer(), nullable=True),
    sa.Column('turnover_band', sa.String(length=24), nullable=True),
    sa.Column('created_on', sa.Date(), nullable=True),
    sa.Column('notes', sa.Text(), nullable=False),
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
    sa.ForeignKeyConstraint(['region_code'], ['region.code'], name=op.f('fk_company_region_code_region')),
    sa.ForeignKeyConstraint(['sector_code'], ['sector.code'], name=op.f('fk_company_sector_code_sector')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_company'))
    )
    with op.batch_alter_table('company', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_company_ice'), ['ice'], unique=False)
        batch_op.create_index(batch_op.f('ix_company_region_code'), ['region_code'], unique=False)
        batch_op.create_index(batch_op.f('ix_company_scope_advisor'), ['scope_advisor'], unique=False)
        batch_op.create_index(batch_op.f('ix_company_scope_region'), ['scope_region'], unique=False)
        batch_op.create_index(batch_op.f('ix_company_sector_code'), ['sector_code'], unique=False)
        batch_op.create_index(batch_op.f('ix_company_server_seq'), ['server_seq'], unique=False)

    op.create_table('questionnaire_axis',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('questionnaire_id', sa.String(length=36), nullable=False),
    sa.Column('code', sa.String(length=16), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('label_fr', sa.String(length=200), nullable=False),
    sa.Column('label_en', sa.String(length=200), nullable=False),
    sa.Column('label_ar', sa.String(length=200), nullable=False),
    sa.Column('row_version', sa.Integer(), nullable=False),
    sa.Column('server_seq', sa.BigInteger(), nullable=True),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('deleted_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['questionnaire_id'], ['questionnaire.id'], name=op.f('fk_questionnaire_axis_questionnaire_id_questionnaire')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_questionnaire_axis')),
    sa.UniqueConstraint('questionnaire_id', 'code', name=op.f('uq_questionnaire_axis_questionnaire_id_code'))
    )
    with op.batch_alter_table('questionnaire_axis', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_questionnaire_axis_questionnaire_id'), ['questionnaire_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_questionnaire_axis_server_seq'), ['server_seq'], unique=False)

    op.create_table('region_alias',
    sa.Column('key', sa.String(length=120), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('region_code', sa.String(length=8), nullable=False),
    sa.Column('row_version', sa.Integer(), nullable=False),
    sa.Column('server_seq', sa.BigInteger(), nullable=True),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('deleted_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['region_code'], ['region.code'], name=op.f('fk_region_alias_region_code_region')),
    sa.PrimaryKeyConstraint('key', name=op.f('pk_region_alias'))
    )
    with op.batch_alter_table('region_alias', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_region_alias_region_code'), ['region_code'], unique=False)
        batch_op.create_index(batch_op.f('ix_region_alias_server_seq'), ['server_seq'], unique=False)

    op.create_table('advisor',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('email', sa.String(length=254), nullable=False),
    sa.Column('phone', sa.String(length=20), nullable=True),
    sa.Column('region_code', sa.String(length=8), nullable=False),
    sa.Column('agency_id', sa.String(length=36), nullable=True),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('row_version', sa.Integer(), nullable=False),
    sa.Column('server_seq', sa.BigInteger(), nullable=True),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('deleted_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['agency_id'], ['agency.id'], name=op.f('fk_advisor_agency_id_agency')),
    sa.ForeignKeyConstraint(['region_code'], ['region.code'], name=op.f('fk_advisor_region_code_region')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_advisor'))
    )
    with op.batch_alter_table('advisor', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_advisor_region_code'), ['region_code'], unique=False)
        batch_op.create_index(batch_op.f('ix_advisor_server_seq'), ['server_seq'], unique=False)

    op.create_table('person',
    sa.Column('company_id', sa.String(length=36), nullable=False),
    sa.Column('role', sa.String(length=24), nullable=False),
    sa.Column('first_name', sa.String(length=80), nullable=False),
    sa.Column('last_name', sa.String(length=80), nullable=False),
    sa.Column('first_name_ar', sa.String(length=80), nullable=False),
    sa.Column('last_name_ar', sa.String(length=80), nullable=False),
    sa.Column('gender', sa.String(length=1), nullable=True),
    sa.Column('job_title', sa.String(length=120), nullable=False),
    sa.Column('phone', sa.String(length=20), nullable=True),
    sa.Column('email', sa.String(length=254), nullable=True),
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
    sa.ForeignKeyConstraint(['company_id'], ['company.id'], name=op.f('fk_person_company_id_company')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_person'))
    )
    with op.batch_alter_table('person', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_person_company_id'), ['company_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_person_scope_advisor'), ['scope_advisor'], unique=False)
        batch_op.create_index(batch_op.f('ix_person_scope_region'), ['scope_region'], unique=False)
        batch_op.create_index(batch_op.f('ix_person_server_seq'), ['server_seq'], unique=False)

    op.create_table('questionnaire_item',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('axis_id', sa.String(length=36), nullable=False),
    sa.Column('code', sa.String(length=16), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('label_fr', sa.String(length=400), nullable=False),
    sa.Column('label_en', sa.String(length=400), nullable=False),
    sa.Column('label_ar', sa.String(length=400), nullable=False),
    sa.Column('row_version', sa.Integer(), nullable=False),
    sa.Column('server_seq', sa.BigInteger(), nullable=True),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('deleted_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['axis_id'], ['questionnaire_axis.id'], name=op.f('fk_questionnaire_item_axis_id_questionnaire_axis')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_questionnaire_item')),
    sa.UniqueConstraint('axis_id', 'code', name=op.f('uq_questionnaire_item_axis_id_code'))
    )
    with op.batch_alter_table('questionnaire_item', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_questionnaire_item_axis_id'), ['axis_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_questionnaire_item_server_seq'), ['server_seq'], unique=False)

    op.create_table('coaching_group',
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('track_code', sa.String(length=32), nullable=False),
    sa.Column('sector_code', sa.String(length=16), nullable=True),
    sa.Column('region_code', sa.String(length=8), nullable=False),
    sa.Column('territory', sa.String(length=120), nullable=False),
    sa.Column('advisor_id', sa.String(length=36), nullable=True),
    sa.Column('starts_on', sa.Date(), nullable=True),
    sa.Column('ends_on', sa.Date(), nullable=True),
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
    sa.ForeignKeyConstraint(['advisor_id'], ['advisor.id'], name=op.f('fk_coaching_group_advisor_id_advisor')),
    sa.ForeignKeyConstraint(['region_code'], ['region.code'], name=op.f('fk_coaching_group_region_code_region')),
    sa.ForeignKeyConstraint(['sector_code'], ['sector.code'], name=op.f('fk_coaching_group_sector_code_sector')),
    sa.ForeignKeyConstraint(['track_code'], ['programme_track.code'], name=op.f('fk_coaching_group_track_code_programme_track')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_coaching_group'))
    )
    with op.batch_alter_table('coaching_group', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_coaching_group_advisor_id'), ['advisor_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_coaching_group_region_code'), ['region_code'], unique=False)
        batch_op.create_index(batch_op.f('ix_coaching_group_scope_advisor'), ['scope_advisor'], unique=False)
        batch_op.create_index(batch_op.f('ix_coaching_group_scope_region'), ['scope_region'], unique=False)
        batch_op.create_index(batch_op.f('ix_coaching_group_server_seq'), ['server_seq'], unique=False)

    op.create_table('enrolment',
    sa.Column('company_id', sa.String(length=36), nullable=False),
    sa.Column('track_code', sa.String(length=32), nullable=False),
    sa.Column('advisor_id', sa.String(length=36), nullable=True),
    sa.Column('stage', sa.String(length=24), nullable=False),
    sa.Column('stage_changed_at', sa.DateTime(), nullable=False),
    sa.Column('enrolled_on', sa.Date(), nullable=False),
    sa.Column('ended_on', sa.Date(), nullable=True),
    sa.Column('drop_reason', sa.Text(), nullable=False),
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
    sa.ForeignKeyConstraint(['advisor_id'], ['advisor.id'], name=op.f('fk_enrolment_advisor_id_advisor')),
    sa.ForeignKeyConstraint(['company_id'], ['company.id'], name=op.f('fk_enrolment_company_id_company')),
    sa.ForeignKeyConstraint(['track_code'], ['programme_track.code'], name=op.f('fk_enrolment_track_code_programme_track')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_enrolment'))
    )
    with op.batch_alter_table('enrolment', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_enrolment_advisor_id'), ['advisor_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_enrolment_company_id'), ['company_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_enrolment_scope_advisor'), ['scope_advisor'], unique=False)
        batch_op.create_index(batch_op.f('ix_enrolment_scope_region'), ['scope_region'], unique=False)
        batch_op.create_index(batch_op.f('ix_enrolment_server_seq'), ['server_seq'], unique=False)
        batch_op.create_index(batch_op.f('ix_enrolment_stage'), ['stage'], unique=False)

    op.create_table('certificate',
    sa.Column('number', sa.String(length=40), nullable=False),
    sa.Column('kind', sa.String(length=24), nullable=False),
    sa.Column('enrolment_id', sa.String(length=36), nullable=False),
    sa.Column('person_id', sa.String(length=36), nullable=False),
    sa.Column('issued_on', sa.Date(), nullable=False),
    sa.Column('issued_by', sa.String(length=36), nullable=True),
    sa.Column('facts', sa.JSON(), nullable=False),
    sa.Column('signature', sa.Text(), nullable=False),
    sa.Column('supersedes_id', sa.String(length=36), nullable=True),
    sa.Column('revoked_at', sa.DateTime(), nullable=True),
    sa.Column('revoked_reason', sa.Text(), nullable=False),
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
    sa.ForeignKeyConstraint(['enrolment_id'], ['enrolment.id'], name=op.f('fk_certificate_enrolment_id_enrolment')),
    sa.ForeignKeyConstraint(['person_id'], ['person.id'], name=op.f('fk_certificate_person_id_person')),
    sa.ForeignKeyConstraint(['supersedes_id'], ['certificate.id'], name=op.f('fk_certificate_supersedes_id_certificate')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_certificate')),
    sa.UniqueConstraint('number', name=op.f('uq_certificate_number'))
    )
    with op.batch_alter_table('certificate', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_certificate_enrolment_id'), ['enrolment_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_certificate_scope_advisor'), ['scope_advisor'], unique=False)
        batch_op.create_index(batch_op.f('ix_certificate_scope_region'), ['scope_region'], unique=False)
        batch_op.create_index(batch_op.f('ix_certificate_server_seq'), ['server_seq'], unique=False)

    op.create_table('coaching_session',
    sa.Column('kind', sa.String(length=24), nullable=False),
    sa.Column('group_id', sa.String(length=36), nullable=True),
    sa.Column('enrolment_id', sa.String(length=36), nullable=True),
    sa.Column('advisor_id', sa.String(length=36), nullable=True),
    sa.Column('held_on', sa.Date(), nullable=False),
    sa.Column('starts_at', sa.Time(), nullable=False),
    sa.Column('ends_at', sa.Time(), nullable=False),
    sa.Column('half_days', sa.Float(), nullable=False),
    sa.Column('place', sa.String(length=200), nullable=False),
    sa.Column('facilitators', sa.String(length=300), nullable=False),
    sa.Column('title', sa.String(length=300), nullable=False),
    sa.Column('topics', sa.Text(), nullable=False),
    sa.Column('notes', sa.Text(), nullable=False),
    sa.Column('decisions', sa.Text(), nullable=False),
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
    sa.ForeignKeyConstraint(['advisor_id'], ['advisor.id'], name=op.f('fk_coaching_session_advisor_id_advisor')),
    sa.ForeignKeyConstraint(['enrolment_id'], ['enrolment.id'], name=op.f('fk_coaching_session_enrolment_id_enrolment')),
    sa.ForeignKeyConstraint(['group_id'], ['coaching_group.id'], name=op.f('fk_coaching_session_group_id_coaching_group')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_coaching_session'))
    )
    with op.batch_alter_table('coaching_session', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_coaching_session_advisor_id'), ['advisor_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_coaching_session_enrolment_id'), ['enrolment_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_coaching_session_group_id'), ['group_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_coaching_session_held_on'), ['held_on'], unique=False)
        batch_op.create_index(batch_op.f('ix_coaching_session_scope_advisor'), ['scope_advisor'], unique=False)
        batch_op.create_index(batch_op.f('ix_coaching_session_scope_region'), ['scope_region'], unique=False)
        batch_op.create_index(batch_op.f('ix_coaching_session_server_seq'), ['server_seq'], unique=False)

    op.create_table('diagnostic',
    sa.Column('enrolment_id', sa.String(length=36), nullable=False),
    sa.Column('questionnaire_id', sa.String(length=36), nullable=False),
    sa.Column('kind', sa.String(length=24), nullable=False),
    sa.Column('status', sa.String(length=24), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('supersedes_id', sa.String(length=36), nullable=True),
    sa.Column('conducted_on', sa.Date(), nullable=False),
    sa.Column('validated_at', sa.DateTime(), nullable=True),
    sa.Column('validated_by', sa.String(length=36), nullable=True),
    sa.Column('notes', sa.Text(), nullable=False),
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
    sa.ForeignKeyConstraint(['enrolment_id'], ['enrolment.id'], name=op.f('fk_diagnostic_enrolment_id_enrolment')),
    sa.ForeignKeyConstraint(['questionnaire_id'], ['questionnaire.id'], name=op.f('fk_diagnostic_questionnaire_id_questionnaire')),
    sa.ForeignKeyConstraint(['supersedes_id'], ['diagnostic.id'], name=op.f('fk_diagnostic_supersedes_id_diagnostic')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_diagnostic'))
    )
    with op.batch_alter_table('diagnostic', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_diagnostic_enrolment_id'), ['enrolment_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_diagnostic_scope_advisor'), ['scope_advisor'], unique=False)
        batch_op.create_index(batch_op.f('ix_diagnostic_scope_region'), ['scope_region'], unique=False)
        batch_op.create_index(batch_op.f('ix_diagnostic_server_seq'), ['server_seq'], unique=False)

    op.create_table('group_membership',
    sa.Column('group_id', sa.String(length=36), nullable=False),
    sa.Column('enrolment_id', sa.String(length=36), nullable=False),
    sa.Column('joined_on', sa.Date(), nullable=False),
    sa.Column('left_on', sa.Date(), nullable=True),
    sa.Column('leave_reason', sa.Text(), nullable=False),
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
    sa.ForeignKeyConstraint(['enrolment_id'], ['enrolment.id'], name=op.f('fk_group_membership_enrolment_id_enrolment')),
    sa.ForeignKeyConstraint(['group_id'], ['coaching_group.id'], name=op.f('fk_group_membership_group_id_coaching_group')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_group_membership'))
    )
    with op.batch_alter_table('group_membership', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_group_membership_enrolment_id'), ['enrolment_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_group_membership_group_id'), ['group_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_group_membership_scope_advisor'), ['scope_advisor'], unique=False)
        batch_op.create_index(batch_op.f('ix_group_membership_scope_region'), ['scope_region'], unique=False)
        batch_op.create_index(batch_op.f('ix_group_membership_server_seq'), ['server_seq'], unique=False)

    op.create_table('stage_transition',
    sa.Column('enrolment_id', sa.String(length=36), nullable=False),
    sa.Column('from_stage', sa.String(length=24), nullable=True),
    sa.Column('to_stage', sa.String(length=24), nullable=False),
    sa.Column('at', sa.DateTime(), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
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
    sa.ForeignKeyConstraint(['enrolment_id'], ['enrolment.id'], name=op.f('fk_stage_transition_enrolment_id_enrolment')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_stage_transition'))
    )
    with op.batch_alter_table('stage_transition', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_stage_transition_enrolment_id'), ['enrolment_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_stage_transition_scope_advisor'), ['scope_advisor'], unique=False)
        batch_op.create_index(batch_op.f('ix_stage_transition_scope_region'), ['scope_region'], unique=False)
        batch_op.create_index(batch_op.f('ix_stage_transition_server_seq'), ['server_seq'], unique=False)

    op.create_table('attendance',
    sa.Column('session_id', sa.String(length=36), nullable=False),
    sa.Column('person_id', sa.String(length=36), nullable=False),
    sa.Column('enrolment_id', sa.String(length=36), nullable=False),
    sa.Column('status', sa.String(length=24), nullable=False),
    sa.Column('arrived_at', sa.Time(), nullable=True),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('supersedes_id', sa.String(length=36), nullable=True),
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
    sa.ForeignKeyConstraint(['enrolment_id'], ['enrolment.id'], name=op.f('fk_attendance_enrolment_id_enrolment')),
    sa.ForeignKeyConstraint(['person_id'], ['person.id'], name=op.f('fk_attendance_person_id_person')),
    sa.ForeignKeyConstraint(['session_id'], ['coaching_session.id'], name=op.f('fk_attendance_session_id_coaching_session')),
    sa.ForeignKeyConstraint(['supersedes_id'], ['attendance.id'], name=op.f('fk_attendance_supersedes_id_attendance')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_attendance'))
    )
    with op.batch_alter_table('attendance', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_attendance_enrolment_id'), ['enrolment_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_attendance_person_id'), ['person_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_attendance_scope_advisor'), ['scope_advisor'], unique=False)
        batch_op.create_index(batch_op.f('ix_attendance_scope_region'), ['scope_region'], unique=False)
        batch_op.create_index(batch_op.f('ix_attendance_server_seq'), ['server_seq'], unique=False)
        batch_op.create_index(batch_op.f('ix_attendance_session_id'), ['session_id'], unique=False)

    op.create_table('commitment',
    sa.Column('session_id', sa.String(length=36), nullable=False),
    sa.Column('enrolment_id', sa.String(length=36), nullable=True),
    sa.Column('person_id', sa.String(length=36), nullable=True),
    sa.Column('what', sa.Text(), nullable=False),
    sa.Column('due_on', sa.Date(), nullable=True),
    sa.Column('status', sa.String(length=24), nullable=False),
    sa.Column('closed_in_session_id', sa.String(length=36), nullable=True),
    sa.Column('closed_on', sa.Date(), nullable=True),
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
    sa.ForeignKeyConstraint(['closed_in_session_id'], ['coaching_session.id'], name=op.f('fk_commitment_closed_in_session_id_coaching_session')),
    sa.ForeignKeyConstraint(['enrolment_id'], ['enrolment.id'], name=op.f('fk_commitment_enrolment_id_enrolment')),
    sa.ForeignKeyConstraint(['person_id'], ['person.id'], name=op.f('fk_commitment_person_id_person')),
    sa.ForeignKeyConstraint(['session_id'], ['coaching_session.id'], name=op.f('fk_commitment_session_id_coaching_session')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_commitment'))
    )
    with op.batch_alter_table('commitment', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_commitment_enrolment_id'), ['enrolment_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_commitment_scope_advisor'), ['scope_advisor'], unique=False)
        batch_op.create_index(batch_op.f('ix_commitment_scope_region'), ['scope_region'], unique=False)
        batch_op.create_index(batch_op.f('ix_commitment_server_seq'), ['server_seq'], unique=False)
        batch_op.create_index(batch_op.f('ix_commitment_session_id'), ['session_id'], unique=False)

    op.create_table('diagnostic_answer',
    sa.Column('diagnostic_id', sa.String(length=36), nullable=False),
    sa.Column('item_id', sa.String(length=36), nullable=False),
    sa.Column('entrepreneur_score', sa.SmallInteger(), nullable=True),
    sa.Column('advisor_score', sa.SmallInteger(), nullable=True),
    sa.Column('importance', sa.SmallInteger(), nullable=False),
    sa.Column('evidence', sa.Text(), nullable=False),
    sa.Column('is_priority', sa.Boolean(), nullable=False),
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
    sa.ForeignKeyConstraint(['diagnostic_id'], ['diagnostic.id'], name=op.f('fk_diagnostic_answer_diagnostic_id_diagnostic')),
    sa.ForeignKeyConstraint(['item_id'], ['questionnaire_item.id'], name=op.f('fk_diagnostic_answer_item_id_questionnaire_item')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_diagnostic_answer'))
    )
    with op.batch_alter_table('diagnostic_answer', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_diagnostic_answer_diagnostic_id'), ['diagnostic_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_diagnostic_answer_scope_advisor'), ['scope_advisor'], unique=False)
        batch_op.create_index(batch_op.f('ix_diagnostic_answer_scope_region'), ['scope_region'], unique=False)
        batch_op.create_index(batch_op.f('ix_diagnostic_answer_server_seq'), ['server_seq'], unique=False)

    op.create_table('key_problem',
    sa.Column('enrolment_id', sa.String(length=36), nullable=False),
    sa.Column('diagnostic_id', sa.String(length=36), nullable=True),
    sa.Column('axis_code', sa.String(length=16), nullable=False),
    sa.Column('item_code', sa.String(length=16), nullable=True),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=300), nullable=False),
    sa.Column('root_cause', sa.Text(), nullable=False),
    sa.Column('objective', sa.Text(), nullable=False),
    sa.Column('target_on', sa.Date(), nullable=True),
    sa.Column('validated_at', sa.DateTime(), nullable=True),
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
    sa.ForeignKeyConstraint(['diagnostic_id'], ['diagnostic.id'], name=op.f('fk_key_problem_diagnostic_id_diagnostic')),
    sa.ForeignKeyConstraint(['enrolment_id'], ['enrolment.id'], name=op.f('fk_key_problem_enrolment_id_enrolment')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_key_problem'))
    )
    with op.batch_alter_table('key_problem', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_key_problem_enrolment_id'), ['enrolment_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_key_problem_scope_advisor'), ['scope_advisor'], unique=False)
        batch_op.create_index(batch_op.f('ix_key_problem_scope_region'), ['scope_region'], unique=False)
        batch_op.create_index(batch_op.f('ix_key_problem_server_seq'), ['server_seq'], unique=False)

    op.create_table('action',
    sa.Column('key_problem_id', sa.String(length=36), nullable=False),
    sa.Column('title', sa.String(length=300), nullable=False),
    sa.Column('owner_person_id', sa.String(length=36), nullable=True),
    sa.Column('starts_on', sa.Date(), nullable=True),
    sa.Column('due_on', sa.Date(), nullable=True),
    sa.Column('status', sa.String(length=24), nullable=False),
    sa.Column('progress', sa.SmallInteger(), nullable=False),
    sa.Column('done_on', sa.Date(), nullable=True),
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
    sa.ForeignKeyConstraint(['key_problem_id'], ['key_problem.id'], name=op.f('fk_action_key_problem_id_key_problem')),
    sa.ForeignKeyConstraint(['owner_person_id'], ['person.id'], name=op.f('fk_action_owner_person_id_person')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_action'))
    )
    with op.batch_alter_table('action', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_action_due_on'), ['due_on'], unique=False)
        batch_op.create_index(batch_op.f('ix_action_key_problem_id'), ['key_problem_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_action_scope_advisor'), ['scope_advisor'], unique=False)
        batch_op.create_index(batch_op.f('ix_action_scope_region'), ['scope_region'], unique=False)
        batch_op.create_index(batch_op.f('ix_action_server_seq'), ['server_seq'], unique=False)

    op.create_table('indicator',
    sa.Column('key_problem_id', sa.String(length=36), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('unit', sa.String(length=30), nullable=False),
    sa.Column('kind', sa.String(length=24), nullable=False),
    sa.Column('baseline_value', sa.Float(), nullable=True),
    sa.Column('baseline_on', sa.Date(), nullable=True),
    sa.Column('target_value', sa.Float(), nullable=True),
    sa.Column('target_on', sa.Date(), nullable=True),
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
    sa.ForeignKeyConstraint(['key_problem_id'], ['key_problem.id'], name=op.f('fk_indicator_key_problem_id_key_problem')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_indicator'))
    )
    with op.batch_alter_table('indicator', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_indicator_key_problem_id'), ['key_problem_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_indicator_scope_advisor'), ['scope_advisor'], unique=False)
        batch_op.create_index(batch_op.f('ix_indicator_scope_region'), ['scope_region'], unique=False)
        batch_op.create_index(batch_op.f('ix_indicator_server_seq'), ['server_seq'], unique=False)

    op.create_table('indicator_reading',
    sa.Column('indicator_id', sa.String(length=36), nullable=False),
    sa.Column('read_on', sa.Date(), nullable=False),
    sa.Column('value', sa.Float(), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
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
    sa.ForeignKeyConstraint(['indicator_id'], ['indicator.id'], name=op.f('fk_indicator_reading_indicator_id_indicator')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_indicator_reading'))
    )
    with op.batch_alter_table('indicator_reading', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_indicator_reading_indicator_id'), ['indicator_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_indicator_reading_scope_advisor'), ['scope_advisor'], unique=False)
        batch_op.create_index(batch_op.f('ix_indicator_reading_scope_region'), ['scope_region'], unique=False)
        batch_op.create_index(batch_op.f('ix_indicator_reading_server_seq'), ['server_seq'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('indicator_reading', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_indicator_reading_server_seq'))
        batch_op.drop_index(batch_op.f('ix_indicator_reading_scope_region'))
        batch_op.drop_index(batch_op.f('ix_indicator_reading_scope_advisor'))
        batch_op.drop_index(batch_op.f('ix_indicator_reading_indicator_id'))

    op.drop_table('indicator_reading')
    with op.batch_alter_table('indicator', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_indicator_server_seq'))
        batch_op.drop_index(batch_op.f('ix_indicator_scope_region'))
        batch_op.drop_index(batch_op.f('ix_indicator_scope_advisor'))
        batch_op.drop_index(batch_op.f('ix_indicator_key_problem_id'))

    op.drop_table('indicator')
    with op.batch_alter_table('action', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_action_server_seq'))
        batch_op.drop_index(batch_op.f('ix_action_scope_region'))
        batch_op.drop_index(batch_op.f('ix_action_scope_advisor'))
        batch_op.drop_index(batch_op.f('ix_action_key_problem_id'))
        batch_op.drop_index(batch_op.f('ix_action_due_on'))

    op.drop_table('action')
    with op.batch_alter_table('key_problem', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_key_problem_server_seq'))
        batch_op.drop_index(batch_op.f('ix_key_problem_scope_region'))
        batch_op.drop_index(batch_op.f('ix_key_problem_scope_advisor'))
        batch_op.drop_index(batch_op.f('ix_key_problem_enrolment_id'))

    op.drop_table('key_problem')
    with op.batch_alter_table('diagnostic_answer', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_diagnostic_answer_server_seq'))
        batch_op.drop_index(batch_op.f('ix_diagnostic_answer_scope_region'))
        batch_op.drop_index(batch_op.f('ix_diagnostic_answer_scope_advisor'))
        batch_op.drop_index(batch_op.f('ix_diagnostic_answer_diagnostic_id'))

    op.drop_table('diagnostic_answer')
    with op.batch_alter_table('commitment', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_commitment_session_id'))
        batch_op.drop_index(batch_op.f('ix_commitment_server_seq'))
        batch_op.drop_index(batch_op.f('ix_commitment_scope_region'))
        batch_op.drop_index(batch_op.f('ix_commitment_scope_advisor'))
        batch_op.drop_index(batch_op.f('ix_commitment_enrolment_id'))

    op.drop_table('commitment')
    with op.batch_alter_table('attendance', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_attendance_session_id'))
        batch_op.drop_index(batch_op.f('ix_attendance_server_seq'))
        batch_op.drop_index(batch_op.f('ix_attendance_scope_region'))
        batch_op.drop_index(batch_op.f('ix_attendance_scope_advisor'))
        batch_op.drop_index(batch_op.f('ix_attendance_person_id'))
        batch_op.drop_index(batch_op.f('ix_attendance_enrolment_id'))

    op.drop_table('attendance')
    with op.batch_alter_table('stage_transition', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_stage_transition_server_seq'))
        batch_op.drop_index(batch_op.f('ix_stage_transition_scope_region'))
        batch_op.drop_index(batch_op.f('ix_stage_transition_scope_advisor'))
        batch_op.drop_index(batch_op.f('ix_stage_transition_enrolment_id'))

    op.drop_table('stage_transition')
    with op.batch_alter_table('group_membership', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_group_membership_server_seq'))
        batch_op.drop_index(batch_op.f('ix_group_membership_scope_region'))
        batch_op.drop_index(batch_op.f('ix_group_membership_scope_advisor'))
        batch_op.drop_index(batch_op.f('ix_group_membership_group_id'))
        batch_op.drop_index(batch_op.f('ix_group_membership_enrolment_id'))

    op.drop_table('group_membership')
    with op.batch_alter_table('diagnostic', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_diagnostic_server_seq'))
        batch_op.drop_index(batch_op.f('ix_diagnostic_scope_region'))
        batch_op.drop_index(batch_op.f('ix_diagnostic_scope_advisor'))
        batch_op.drop_index(batch_op.f('ix_diagnostic_enrolment_id'))

    op.drop_table('diagnostic')
    with op.batch_alter_table('coaching_session', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_coaching_session_server_seq'))
        batch_op.drop_index(batch_op.f('ix_coaching_session_scope_region'))
        batch_op.drop_index(batch_op.f('ix_coaching_session_scope_advisor'))
        batch_op.drop_index(batch_op.f('ix_coaching_session_held_on'))
        batch_op.drop_index(batch_op.f('ix_coaching_session_group_id'))
        batch_op.drop_index(batch_op.f('ix_coaching_session_enrolment_id'))
        batch_op.drop_index(batch_op.f('ix_coaching_session_advisor_id'))

    op.drop_table('coaching_session')
    with op.batch_alter_table('certificate', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_certificate_server_seq'))
        batch_op.drop_index(batch_op.f('ix_certificate_scope_region'))
        batch_op.drop_index(batch_op.f('ix_certificate_scope_advisor'))
        batch_op.drop_index(batch_op.f('ix_certificate_enrolment_id'))

    op.drop_table('certificate')
    with op.batch_alter_table('enrolment', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_enrolment_stage'))
        batch_op.drop_index(batch_op.f('ix_enrolment_server_seq'))
        batch_op.drop_index(batch_op.f('ix_enrolment_scope_region'))
        batch_op.drop_index(batch_op.f('ix_enrolment_scope_advisor'))
        batch_op.drop_index(batch_op.f('ix_enrolment_company_id'))
        batch_op.drop_index(batch_op.f('ix_enrolment_advisor_id'))

    op.drop_table('enrolment')
    with op.batch_alter_table('coaching_group', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_coaching_group_server_seq'))
        batch_op.drop_index(batch_op.f('ix_coaching_group_scope_region'))
        batch_op.drop_index(batch_op.f('ix_coaching_group_scope_advisor'))
        batch_op.drop_index(batch_op.f('ix_coaching_group_region_code'))
        batch_op.drop_index(batch_op.f('ix_coaching_group_advisor_id'))

    op.drop_table('coaching_group')
    with op.batch_alter_table('questionnaire_item', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_questionnaire_item_server_seq'))
        batch_op.drop_index(batch_op.f('ix_questionnaire_item_axis_id'))

    op.drop_table('questionnaire_item')
    with op.batch_alter_table('person', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_person_server_seq'))
        batch_op.drop_index(batch_op.f('ix_person_scope_region'))
        batch_op.drop_index(batch_op.f('ix_person_scope_advisor'))
        batch_op.drop_index(batch_op.f('ix_person_company_id'))

    op.drop_table('person')
    with op.batch_alter_table('advisor', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_advisor_server_seq'))
        batch_op.drop_index(batch_op.f('ix_advisor_region_code'))

    op.drop_table('advisor')
    with op.batch_alter_table('region_alias', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_region_alias_server_seq'))
        batch_op.drop_index(batch_op.f('ix_region_alias_region_code'))

    op.drop_table('region_alias')
    with op.batch_alter_table('questionnaire_axis', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_questionnaire_axis_server_seq'))
        batch_op.drop_index(batch_op.f('ix_questionnaire_axis_questionnaire_id'))

    op.drop_table('questionnaire_axis')
    with op.batch_alter_table('company', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_company_server_seq'))
        batch_op.drop_index(batch_op.f('ix_company_sector_code'))
        batch_op.drop_index(batch_op.f('ix_company_scope_region'))
        batch_op.drop_index(batch_op.f('ix_company_scope_advisor'))
        batch_op.drop_index(batch_op.f('ix_company_region_code'))
        batch_op.drop_index(batch_op.f('ix_company_ice'))

    op.drop_table('company')
    with op.batch_alter_table('agency', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_agency_server_seq'))
        batch_op.drop_index(batch_op.f('ix_agency_region_code'))

    op.drop_table('agency')
    with op.batch_alter_table('sync_outbox', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_sync_outbox_row_id'))
        batch_op.drop_index(batch_op.f('ix_sync_outbox_acked_at'))

    op.drop_table('sync_outbox')
    with op.batch_alter_table('sync_conflict', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_sync_conflict_row_id'))
        batch_op.drop_index(batch_op.f('ix_sync_conflict_resolved_at'))

    op.drop_table('sync_conflict')
    with op.batch_alter_table('sector', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_sector_server_seq'))

    op.drop_table('sector')
    with op.batch_alter_table('region', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_region_server_seq'))

    op.drop_table('region')
    with op.batch_alter_table('questionnaire', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_questionnaire_server_seq'))

    op.drop_table('questionnaire')
    with op.batch_alter_table('programme_track', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_programme_track_server_seq'))

    op.drop_table('programme_track')
    op.drop_table('local_setting')
