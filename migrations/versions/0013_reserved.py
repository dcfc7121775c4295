"""votes counted from the register (issue 10)

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-03 19:30:00.000000

"""
import sqlalchemy as sa  # noqa: F401
from alembic import op  # noqa: F401

revision = '0013'
down_revision = '0012'
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
