"""stored verifications of the audit chain (the integrity page reads the latest)

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-21 14:00:00.000000

"""
from alembic import op
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql


revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('chain_verification',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('source', sa.String(length=20), nullable=False),
    sa.Column('started_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('finished_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('checked', sa.BigInteger(), nullable=False),
    sa.Column('last_seq', sa.BigInteger(), nullable=False),
    sa.Column('last_hash', sa.String(length=64), nullable=False),
    sa.Column('first_broken_seq', sa.BigInteger(), nullable=True),
    sa.Column('problem', sa.String(length=20), nullable=True),
    sa.Column('events_by_unit', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('chain_verification', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_chain_verification_started_at'), ['started_at'], unique=False)


def downgrade():
    with op.batch_alter_table('chain_verification', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_chain_verification_started_at'))

    op.drop_table('chain_verification')
