"""issue 15 (approver's day): claims, hand-overs and saved inbox filters

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-04 14:40:00.000000

Tables of their own (webapp/models/worklist.py) and one index on human_task for "done by me";
nothing existing changes.
"""
import sqlalchemy as sa
from alembic import op

revision = '0014'
down_revision = '0013'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('task_claim',
    sa.Column('human_task_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('claimed_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('handed_by_id', sa.Integer(), nullable=True),
    sa.Column('note', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['human_task_id'], ['human_task.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['app_user.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['handed_by_id'], ['app_user.id'], ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('human_task_id')
    )
    op.create_index('ix_task_claim_user_id', 'task_claim', ['user_id'])
    op.create_table('task_presence',
    sa.Column('human_task_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('seen_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['human_task_id'], ['human_task.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['app_user.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('human_task_id', 'user_id')
    )
    op.create_table('saved_inbox_filter',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=60), nullable=False),
    sa.Column('step', sa.String(length=100), nullable=True),
    sa.Column('unit_id', sa.Integer(), nullable=True),
    sa.Column('due', sa.String(length=10), nullable=True),
    sa.Column('sort', sa.String(length=10), nullable=False),
    sa.Column('search', sa.String(length=100), nullable=True),
    sa.Column('claim', sa.String(length=10), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['app_user.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('user_id', 'name', name='uq_saved_inbox_filter_name')
    )
    # "Done by me": a person's completed tasks, newest first.
    op.create_index('ix_human_task_completed_by', 'human_task', ['completed_by_id', 'completed_at', 'id'])


def downgrade():
    op.drop_index('ix_human_task_completed_by', table_name='human_task')
    op.drop_table('saved_inbox_filter')
    op.drop_table('task_presence')
    op.drop_index('ix_task_claim_user_id', table_name='task_claim')
    op.drop_table('task_claim')
