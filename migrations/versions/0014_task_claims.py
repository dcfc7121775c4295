"""issue 15 (approver's day): claims, hand-overs and saved inbox filters

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-04 14:40:00.000000
"""
import sqlalchemy as sa  # noqa: F401
from alembic import op  # noqa: F401

revision = '0014'
down_revision = '0013'
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
