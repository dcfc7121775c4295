"""issue 12: deputies during leave — the deputyship, and the role assignment it gives for its period

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-04 15:00:00.000000
"""
import sqlalchemy as sa
from alembic import op

revision = '0017'
down_revision = '0016'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'deputyship',
        sa.Column('id', sa.Integer(), primary_key=True),
        sa.Column('holder_id', sa.Integer(), sa.ForeignKey('app_user.id', ondelete='CASCADE'), nullable=False),
        sa.Column('deputy_id', sa.Integer(), sa.ForeignKey('app_user.id', ondelete='CASCADE'), nullable=False),
        sa.Column('role', sa.String(length=40), nullable=False),
        sa.Column('unit_id', sa.Integer(), sa.ForeignKey('org_unit.id'), nullable=False),
        sa.Column('starts_on', sa.Date(), nullable=False),
        sa.Column('ends_on', sa.Date(), nullable=False),
        sa.Column('reason', sa.String(length=300), nullable=False),
        sa.Column('state', sa.String(length=12), nullable=False),
        sa.Column('named_by_id', sa.Integer(), sa.ForeignKey('app_user.id'), nullable=False),
        sa.Column('named_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('started_at', sa.DateTime(timezone=True)),
        sa.Column('ended_at', sa.DateTime(timezone=True)),
    )
    op.create_index('ix_deputyship_state_dates', 'deputyship', ['state', 'starts_on', 'ends_on'])
    op.create_index('ix_deputyship_deputy', 'deputyship', ['deputy_id', 'role', 'unit_id'])
    with op.batch_alter_table('role_assignment') as batch:
        batch.add_column(sa.Column('deputyship_id', sa.Integer(), nullable=True))
        batch.create_foreign_key('fk_role_assignment_deputyship', 'deputyship', ['deputyship_id'], ['id'],
                                 ondelete='CASCADE')


def downgrade():
    with op.batch_alter_table('role_assignment') as batch:
        batch.drop_constraint('fk_role_assignment_deputyship', type_='foreignkey')
        batch.drop_column('deputyship_id')
    op.drop_index('ix_deputyship_deputy', table_name='deputyship')
    op.drop_index('ix_deputyship_state_dates', table_name='deputyship')
    op.drop_table('deputyship')
