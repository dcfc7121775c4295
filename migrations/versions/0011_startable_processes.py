"""startable processes (issue 17): which processes may be started, by whom, where; each case's process

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-03 19:30:00.000000

"""
import sqlalchemy as sa
from alembic import op

revision = '0011'
down_revision = '0010'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('startable_process',
    sa.Column('process_id', sa.String(length=100), nullable=False),
    sa.Column('enabled', sa.Boolean(), nullable=False),
    sa.Column('roles', sa.String(length=400), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=True),
    sa.Column('unit_kinds', sa.String(length=300), nullable=False),
    sa.Column('updated_by_id', sa.Integer(), nullable=True),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['unit_id'], ['org_unit.id'], ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['updated_by_id'], ['app_user.id']),
    sa.PrimaryKeyConstraint('process_id')
    )
    # Nothing existing changes: the admission procedure stays startable by the roles that started
    # it before (cell secretaries, and the Youth Union nominating), in every unit.
    op.execute("INSERT INTO startable_process (process_id, enabled, roles, unit_id, unit_kinds, updated_at) "
               "VALUES ('admission', true, 'cell_secretary,youth_union', NULL, '', CURRENT_TIMESTAMP)")
    with op.batch_alter_table('process_instance') as batch:
        batch.add_column(sa.Column('process_id', sa.String(length=100), server_default='admission', nullable=False))


def downgrade():
    with op.batch_alter_table('process_instance') as batch:
        batch.drop_column('process_id')
    op.drop_table('startable_process')
