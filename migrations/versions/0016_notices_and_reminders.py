"""issue 12: notices (in-app, with e-mail copies), users' delivery choices, reminders sent per step

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-04 15:10:00.000000
"""
import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

# Written out here rather than imported from the models, which move on after this migration.
JsonDocument = sa.JSON().with_variant(postgresql.JSONB(), 'postgresql')


def UtcDateTime():
    return sa.DateTime(timezone=True)

revision = '0016'
down_revision = '0015'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'notice',
        sa.Column('id', sa.Integer(), primary_key=True),
        sa.Column('user_id', sa.Integer(), sa.ForeignKey('app_user.id', ondelete='CASCADE'), nullable=False),
        sa.Column('kind', sa.String(length=40), nullable=False),
        sa.Column('instance_id', sa.Integer(), sa.ForeignKey('process_instance.id', ondelete='CASCADE')),
        sa.Column('task_id', sa.Integer(), sa.ForeignKey('human_task.id', ondelete='CASCADE')),
        sa.Column('params', JsonDocument, nullable=False),
        sa.Column('created_at', UtcDateTime(), nullable=False),
        sa.Column('read_at', UtcDateTime()),
        sa.Column('mail_state', sa.String(length=12), nullable=False),
        sa.Column('mail_due_at', UtcDateTime()),
        sa.Column('mail_attempts', sa.Integer(), nullable=False),
        sa.Column('mail_error', sa.String(length=200)),
    )
    op.create_index('ix_notice_user_unread', 'notice', ['user_id', 'read_at'])
    op.create_index('ix_notice_mail_due', 'notice', ['mail_state', 'mail_due_at'])
    op.create_table(
        'notice_setting',
        sa.Column('user_id', sa.Integer(), sa.ForeignKey('app_user.id', ondelete='CASCADE'), primary_key=True),
        sa.Column('email', sa.String(length=254), nullable=False),
        sa.Column('delivery', sa.String(length=10), nullable=False),
        sa.Column('digest_sent_on', sa.Date()),
    )
    op.create_table(
        'task_reminder',
        sa.Column('id', sa.Integer(), primary_key=True),
        sa.Column('task_id', sa.Integer(), sa.ForeignKey('human_task.id', ondelete='CASCADE'), nullable=False),
        sa.Column('kind', sa.String(length=20), nullable=False),
        sa.Column('sent_at', UtcDateTime(), nullable=False),
        sa.Column('recipients', sa.Integer(), nullable=False),
        sa.UniqueConstraint('task_id', 'kind', name='uq_task_reminder'),
    )


def downgrade():
    op.drop_table('task_reminder')
    op.drop_table('notice_setting')
    op.drop_index('ix_notice_mail_due', table_name='notice')
    op.drop_index('ix_notice_user_unread', table_name='notice')
    op.drop_table('notice')
