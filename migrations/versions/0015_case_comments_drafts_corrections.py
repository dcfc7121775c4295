"""issue 15 (approver's day): comments, drafts and corrections

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-04 14:40:00.000000

Three tables of their own (webapp/models/notes.py); nothing existing changes.
"""
import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = '0015'
down_revision = '0014'
branch_labels = None
depends_on = None

JSON = sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql')


def upgrade():
    op.create_table(
        'case_comment',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('instance_id', sa.Integer(), nullable=False),
        sa.Column('human_task_id', sa.Integer(), nullable=True),
        sa.Column('author_id', sa.Integer(), nullable=False),
        sa.Column('author_role', sa.String(length=40), nullable=True),
        sa.Column('author_unit_id', sa.Integer(), nullable=True),
        sa.Column('body', sa.Text(), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['instance_id'], ['process_instance.id'], ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['human_task_id'], ['human_task.id'], ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['author_id'], ['app_user.id']),
        sa.ForeignKeyConstraint(['author_unit_id'], ['org_unit.id']),
        sa.PrimaryKeyConstraint('id'),
    )
    op.create_index('ix_case_comment_instance', 'case_comment', ['instance_id', 'id'])
    op.create_table(
        'task_draft',
        sa.Column('human_task_id', sa.Integer(), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('form_values', JSON, nullable=False),
        sa.Column('saved_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['human_task_id'], ['human_task.id'], ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['user_id'], ['app_user.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('human_task_id', 'user_id'),
    )
    op.create_table(
        'step_correction',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('instance_id', sa.Integer(), nullable=False),
        sa.Column('human_task_id', sa.Integer(), nullable=False),
        sa.Column('kind', sa.String(length=12), nullable=False),
        sa.Column('reason', sa.Text(), nullable=False),
        sa.Column('previous_values', JSON, nullable=True),
        sa.Column('previous_by_id', sa.Integer(), nullable=True),
        sa.Column('previous_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('reopened_by_id', sa.Integer(), nullable=False),
        sa.Column('reopened_role', sa.String(length=40), nullable=True),
        sa.Column('reopened_unit_id', sa.Integer(), nullable=True),
        sa.Column('reopened_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['instance_id'], ['process_instance.id'], ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['human_task_id'], ['human_task.id'], ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['previous_by_id'], ['app_user.id']),
        sa.ForeignKeyConstraint(['reopened_by_id'], ['app_user.id']),
        sa.ForeignKeyConstraint(['reopened_unit_id'], ['org_unit.id']),
        sa.PrimaryKeyConstraint('id'),
    )
    op.create_index('ix_step_correction_instance', 'step_correction', ['instance_id', 'id'])
    op.create_index('ix_step_correction_human_task_id', 'step_correction', ['human_task_id'])


def downgrade():
    op.drop_index('ix_step_correction_human_task_id', table_name='step_correction')
    op.drop_index('ix_step_correction_instance', table_name='step_correction')
    op.drop_table('step_correction')
    op.drop_table('task_draft')
    op.drop_index('ix_case_comment_instance', table_name='case_comment')
    op.drop_table('case_comment')
