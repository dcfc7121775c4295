"""index open tasks by step (the step filter of the case search)

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-21 13:30:00.000000

"""
from alembic import op
import sqlalchemy as sa


revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None

OPEN_ONLY = "status = 'open'"


def upgrade():
    with op.batch_alter_table('human_task', schema=None) as batch_op:
        batch_op.create_index('ix_human_task_open_step', ['spec_name', 'instance_id'], unique=False,
                              postgresql_where=sa.text(OPEN_ONLY), sqlite_where=sa.text(OPEN_ONLY))


def downgrade():
    with op.batch_alter_table('human_task', schema=None) as batch_op:
        batch_op.drop_index('ix_human_task_open_step')
