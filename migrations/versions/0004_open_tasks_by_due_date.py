"""index open tasks by due date (the overdue filter of the case search)

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-21 12:30:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None

OPEN_ONLY = "status = 'open'"


def upgrade():
    with op.batch_alter_table('human_task', schema=None) as batch_op:
        batch_op.create_index('ix_human_task_open_due', ['due_on', 'instance_id'], unique=False,
                              postgresql_where=sa.text(OPEN_ONLY), sqlite_where=sa.text(OPEN_ONLY))


def downgrade():
    with op.batch_alter_table('human_task', schema=None) as batch_op:
        batch_op.drop_index('ix_human_task_open_due')
