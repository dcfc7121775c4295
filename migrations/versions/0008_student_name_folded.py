"""the student's folded name (accent-free search) and an index on the identity number

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-03 17:40:00.000000

"""
import sqlalchemy as sa
from alembic import op

from webapp.rules.names import fold_name

revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None

BATCH = 5_000
FOLDED_LENGTH = 120  # webapp.models.people.FOLDED_LENGTH when this was written


def _back_fill(connection):
    """Every existing student's folded name, computed by the same function the model uses."""
    student = sa.table('student', sa.column('id', sa.Integer), sa.column('full_name', sa.String),
                       sa.column('name_folded', sa.String))
    last_id = 0
    while True:
        rows = connection.execute(sa.select(student.c.id, student.c.full_name).where(student.c.id > last_id)
                                  .order_by(student.c.id).limit(BATCH)).all()
        if not rows:
            return
        connection.execute(student.update().where(student.c.id == sa.bindparam('row_id'))
                           .values(name_folded=sa.bindparam('folded')),
                           [{'row_id': row_id, 'folded': fold_name(name)[:FOLDED_LENGTH]} for row_id, name in rows])
        last_id = rows[-1][0]


def upgrade():
    with op.batch_alter_table('student', schema=None) as batch_op:
        batch_op.add_column(sa.Column('name_folded', sa.String(length=FOLDED_LENGTH), nullable=True))
    _back_fill(op.get_bind())
    with op.batch_alter_table('student', schema=None) as batch_op:
        batch_op.alter_column('name_folded', existing_type=sa.String(length=FOLDED_LENGTH), nullable=False)
        batch_op.create_index(batch_op.f('ix_student_citizen_id'), ['citizen_id'], unique=False)


def downgrade():
    with op.batch_alter_table('student', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_student_citizen_id'))
        batch_op.drop_column('name_folded')
