"""drop the per-account lockout columns (sign-in is throttled through sign_in_attempt since 0007)

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-03 18:25:00.000000

"""
import sqlalchemy as sa
from alembic import op

revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None


def upgrade():
    # Batch mode: SQLite drops a column by copying the table.
    with op.batch_alter_table('app_user') as batch:
        batch.drop_column('locked_until')
        batch.drop_column('failed_logins')


def downgrade():
    with op.batch_alter_table('app_user') as batch:
        batch.add_column(sa.Column('failed_logins', sa.Integer(), server_default='0', nullable=False))
        batch.add_column(sa.Column('locked_until', sa.DateTime(timezone=True), nullable=True))
