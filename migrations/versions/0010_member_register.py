"""the party member register: members, their memberships of cells and committees, periods away (issue 10)

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-03 19:30:00.000000

"""
import sqlalchemy as sa
from alembic import op

revision = '0010'
down_revision = '0009'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'party_member',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('full_name', sa.String(length=120), nullable=False),
        sa.Column('date_of_birth', sa.Date(), nullable=True),
        sa.Column('citizen_id', sa.String(length=20), nullable=True),
        sa.Column('user_id', sa.Integer(), nullable=True),
        sa.Column('student_id', sa.Integer(), nullable=True),
        sa.Column('admitted_on', sa.Date(), nullable=True),
        sa.Column('official_on', sa.Date(), nullable=True),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['student_id'], ['student.id']),
        sa.ForeignKeyConstraint(['user_id'], ['app_user.id']),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('student_id'),
        sa.UniqueConstraint('user_id'),
    )
    op.create_index(op.f('ix_party_member_citizen_id'), 'party_member', ['citizen_id'], unique=False)
    op.create_table(
        'body_membership',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('member_id', sa.Integer(), nullable=False),
        sa.Column('unit_id', sa.Integer(), nullable=False),
        sa.Column('body', sa.String(length=30), nullable=False),
        sa.Column('joined_on', sa.Date(), nullable=False),
        sa.Column('left_on', sa.Date(), nullable=True),
        sa.Column('left_reason', sa.String(length=200), nullable=True),
        sa.ForeignKeyConstraint(['member_id'], ['party_member.id'], ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['unit_id'], ['org_unit.id']),
        sa.PrimaryKeyConstraint('id'),
    )
    op.create_index(op.f('ix_body_membership_member_id'), 'body_membership', ['member_id'], unique=False)
    op.create_index('ix_body_membership_unit_body_joined', 'body_membership', ['unit_id', 'body', 'joined_on'],
                    unique=False)
    op.create_table(
        'member_absence',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('membership_id', sa.Integer(), nullable=False),
        sa.Column('kind', sa.String(length=20), nullable=False),
        sa.Column('starts_on', sa.Date(), nullable=False),
        sa.Column('ends_on', sa.Date(), nullable=True),
        sa.Column('detail', sa.String(length=200), nullable=False),
        sa.ForeignKeyConstraint(['membership_id'], ['body_membership.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id'),
    )
    op.create_index(op.f('ix_member_absence_membership_id'), 'member_absence', ['membership_id'], unique=False)


def downgrade():
    op.drop_index(op.f('ix_member_absence_membership_id'), table_name='member_absence')
    op.drop_table('member_absence')
    op.drop_index('ix_body_membership_unit_body_joined', table_name='body_membership')
    op.drop_index(op.f('ix_body_membership_member_id'), table_name='body_membership')
    op.drop_table('body_membership')
    op.drop_index(op.f('ix_party_member_citizen_id'), table_name='party_member')
    op.drop_table('party_member')
