"""cheaper completions (issue 14): the stored workflow document becomes binary (zlib-compressed JSON)

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-03 19:30:00.000000

Rows stored before keep their plain JSON, now as bytes: the engine reads both (it tells them apart
by the first byte), and every completion or timer writes the case back compressed.
"""
import zlib

import sqlalchemy as sa
from alembic import op

revision = '0012'
down_revision = '0011'
branch_labels = None
depends_on = None


def upgrade():
    if op.get_bind().dialect.name == "postgresql":
        op.execute("ALTER TABLE process_instance ALTER COLUMN serialized TYPE bytea "
                   "USING convert_to(serialized, 'UTF8')")
        return
    # SQLite: batch mode copies the table (CAST … AS BLOB keeps each document's bytes).
    with op.batch_alter_table('process_instance') as batch:
        batch.alter_column('serialized', existing_type=sa.Text(), type_=sa.LargeBinary())


def downgrade():
    # Back to text: compressed documents are expanded first (plain JSON is what the older code reads).
    bind = op.get_bind()
    rows = bind.execute(sa.text("SELECT id, serialized FROM process_instance")).all()
    for row_id, document in rows:
        document = bytes(document) if document is not None else b""
        if document[:1] not in (b"", b"{", b" ", b"\n"):
            bind.execute(sa.text("UPDATE process_instance SET serialized = :doc WHERE id = :id"),
                         {"doc": zlib.decompress(document), "id": row_id})
    if bind.dialect.name == "postgresql":
        op.execute("ALTER TABLE process_instance ALTER COLUMN serialized TYPE text "
                   "USING convert_from(serialized, 'UTF8')")
        return
    with op.batch_alter_table('process_instance') as batch:
        batch.alter_column('serialized', existing_type=sa.LargeBinary(), type_=sa.Text())
