"""indexes for the inbox and unit cases lists

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-21 11:10:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None

OPEN_UNASSIGNED = "status = 'open' AND assignee_id IS NULL"


def upgrade():
    with op.batch_alter_table('process_instance', schema=None) as batch_op:
        batch_op.create_index('ix_process_instance_updated', ['updated_at', 'id'], unique=False)
        batch_op.create_index('ix_process_instance_unit_updated', ['unit_id', 'status', 'updated_at', 'id'],
                              unique=False)

    with op.batch_alter_table('human_task', schema=None) as batch_op:
        batch_op.create_index('ix_human_task_open_by_role',
                              ['status', 'role', 'unit_id', 'due_on', 'created_at', 'id', 'instance_id', 'spec_name',
                               'label'],
                              unique=False, postgresql_where=sa.text(OPEN_UNASSIGNED),
                              sqlite_where=sa.text(OPEN_UNASSIGNED))


def downgrade():
    with op.batch_alter_table('human_task', schema=None) as batch_op:
        batch_op.drop_index('ix_human_task_open_by_role')

    with op.batch_alter_table('process_instance', schema=None) as batch_op:
        batch_op.drop_index('ix_process_instance_unit_updated')
        batch_op.drop_index('ix_process_instance_updated')
