"""issue 11 (reports): stage facts per case and the student's statistics fields

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-04 14:40:00.000000
"""
import sqlalchemy as sa
from alembic import op

revision = '0013'
down_revision = '0012'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'case_stage',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('instance_id', sa.Integer(), nullable=False),
        sa.Column('stage', sa.String(length=40), nullable=False),
        sa.Column('reached_on', sa.Date(), nullable=False),
        sa.Column('unit_id', sa.Integer(), nullable=False),
        sa.Column('recorded_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['instance_id'], ['process_instance.id'], ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['unit_id'], ['org_unit.id']),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('instance_id', 'stage', name='uq_case_stage'),
    )
    op.create_index('ix_case_stage_stage_reached', 'case_stage', ['stage', 'reached_on'], unique=False)
    op.create_index('ix_case_stage_unit_stage_reached', 'case_stage', ['unit_id', 'stage', 'reached_on'],
                    unique=False)
    op.create_table(
        'unit_target',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('unit_id', sa.Integer(), nullable=False),
        sa.Column('year', sa.Integer(), nullable=False),
        sa.Column('admissions', sa.Integer(), nullable=False),
        sa.Column('set_by_id', sa.Integer(), nullable=True),
        sa.Column('set_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['set_by_id'], ['app_user.id']),
        sa.ForeignKeyConstraint(['unit_id'], ['org_unit.id']),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('unit_id', 'year', name='uq_unit_target_year'),
    )
    with op.batch_alter_table('process_instance') as batch:
        batch.add_column(sa.Column('decision_number', sa.String(length=60), nullable=True))
        batch.add_column(sa.Column('decision_date', sa.Date(), nullable=True))
        batch.add_column(sa.Column('ceremony_date', sa.Date(), nullable=True))
        batch.add_column(sa.Column('recognised_on', sa.Date(), nullable=True))
        batch.create_index('ix_process_instance_recognised_on', ['recognised_on'], unique=False)
    with op.batch_alter_table('student') as batch:
        batch.add_column(sa.Column('readmission', sa.Boolean(), server_default=sa.false(), nullable=False))


def downgrade():
    with op.batch_alter_table('student') as batch:
        batch.drop_column('readmission')
    with op.batch_alter_table('process_instance') as batch:
        batch.drop_index('ix_process_instance_recognised_on')
        batch.drop_column('recognised_on')
        batch.drop_column('ceremony_date')
        batch.drop_column('decision_date')
        batch.drop_column('decision_number')
    op.drop_table('unit_target')
    op.drop_index('ix_case_stage_unit_stage_reached', table_name='case_stage')
    op.drop_index('ix_case_stage_stage_reached', table_name='case_stage')
    op.drop_table('case_stage')
