"""issue 12: verification requests (20-KNĐ) as letters between units

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-04 15:30:00.000000
"""
import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = '0018'
down_revision = '0017'
branch_labels = None
depends_on = None

JsonDocument = sa.JSON().with_variant(postgresql.JSONB(), 'postgresql')


def upgrade():
    op.create_table(
        'verification_request',
        sa.Column('id', sa.Integer(), primary_key=True),
        sa.Column('task_id', sa.Integer(), sa.ForeignKey('human_task.id', ondelete='CASCADE'), nullable=False,
                  unique=True),
        sa.Column('instance_id', sa.Integer(), sa.ForeignKey('process_instance.id', ondelete='CASCADE'),
                  nullable=False),
        sa.Column('number', sa.String(length=60), nullable=False),
        sa.Column('sent_on', sa.Date(), nullable=False),
        sa.Column('persons', JsonDocument, nullable=False),
        sa.Column('addressee_unit_id', sa.Integer(), sa.ForeignKey('org_unit.id')),
        sa.Column('addressee_name', sa.String(length=200)),
        sa.Column('addressee_address', sa.String(length=300)),
        sa.Column('sent_by', sa.String(length=12), nullable=False),
        sa.Column('due_on', sa.Date(), nullable=False),
        sa.Column('sent_by_user_id', sa.Integer(), sa.ForeignKey('app_user.id'), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index('ix_verification_request_instance', 'verification_request', ['instance_id'])
    op.create_index('ix_verification_request_due', 'verification_request', ['due_on'])


def downgrade():
    op.drop_index('ix_verification_request_due', table_name='verification_request')
    op.drop_index('ix_verification_request_instance', table_name='verification_request')
    op.drop_table('verification_request')
