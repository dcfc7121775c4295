"""issue 11 (reports): stage facts per case and the student's statistics fields

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-04 14:40:00.000000

Back-fill: every existing case's stages and decision/ceremony/recognition columns come from its
audit trail (instance_event: each completed step with its answers, the engine steps it ran, the
status after), replayed through the same map the unit of work applies live (rules/stage_map.py),
in batches of cases; no workflow is restored. The map is pure (standard library and rules), so
importing it here pins nothing of the application but those rules.
"""
import json

import sqlalchemy as sa
from alembic import op

from webapp.rules.stage_map import ADVANCES, first_reached, stages_of_event

revision = '0013'
down_revision = '0012'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'case_stage',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('instance_id', sa.Integer(), nullable=False),
        sa.Column('stage', sa.String(length=40), nullable=False),
        sa.Column('reached_on', sa.Date(), nullable=False),
        sa.Column('unit_id', sa.Integer(), nullable=False),
        sa.Column('recorded_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['instance_id'], ['process_instance.id'], ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['unit_id'], ['org_unit.id']),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('instance_id', 'stage', name='uq_case_stage'),
    )
    op.create_index('ix_case_stage_stage_reached', 'case_stage', ['stage', 'reached_on'], unique=False)
    op.create_index('ix_case_stage_unit_stage_reached', 'case_stage', ['unit_id', 'stage', 'reached_on'],
                    unique=False)
    op.create_table(
        'unit_target',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('unit_id', sa.Integer(), nullable=False),
        sa.Column('year', sa.Integer(), nullable=False),
        sa.Column('admissions', sa.Integer(), nullable=False),
        sa.Column('set_by_id', sa.Integer(), nullable=True),
        sa.Column('set_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['set_by_id'], ['app_user.id']),
        sa.ForeignKeyConstraint(['unit_id'], ['org_unit.id']),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('unit_id', 'year', name='uq_unit_target_year'),
    )
    with op.batch_alter_table('process_instance') as batch:
        batch.add_column(sa.Column('decision_number', sa.String(length=60), nullable=True))
        batch.add_column(sa.Column('decision_date', sa.Date(), nullable=True))
        batch.add_column(sa.Column('ceremony_date', sa.Date(), nullable=True))
        batch.add_column(sa.Column('recognised_on', sa.Date(), nullable=True))
        batch.create_index('ix_process_instance_recognised_on', ['recognised_on'], unique=False)
    with op.batch_alter_table('student') as batch:
        batch.add_column(sa.Column('readmission', sa.Boolean(), server_default=sa.false(), nullable=False))
    backfill(op.get_bind())


BATCH = 500

_instance = sa.table('process_instance', sa.column('id', sa.Integer), sa.column('unit_id', sa.Integer),
                     sa.column('rule_set', sa.String), sa.column('decision_number', sa.String),
                     sa.column('decision_date', sa.Date), sa.column('ceremony_date', sa.Date),
                     sa.column('recognised_on', sa.Date))
_event = sa.table('instance_event', sa.column('seq', sa.BigInteger), sa.column('instance_id', sa.Integer),
                  sa.column('kind', sa.String), sa.column('payload', sa.JSON),
                  sa.column('occurred_at', sa.DateTime(timezone=True)))
_stage = sa.table('case_stage', sa.column('instance_id', sa.Integer), sa.column('stage', sa.String),
                  sa.column('reached_on', sa.Date), sa.column('unit_id', sa.Integer),
                  sa.column('recorded_at', sa.DateTime(timezone=True)))


def backfill(bind, batch=BATCH):
    """Write the stage rows and columns of every case that has none yet, `batch` cases at a time."""
    after = 0
    while True:
        cases = bind.execute(sa.select(_instance.c.id, _instance.c.unit_id, _instance.c.rule_set)
                             .where(_instance.c.id > after).order_by(_instance.c.id).limit(batch)).all()
        if not cases:
            return
        after = cases[-1].id
        _backfill_cases(bind, cases)


def _backfill_cases(bind, cases):
    done = set(bind.execute(sa.select(_stage.c.instance_id).distinct()
                            .where(_stage.c.instance_id.in_([c.id for c in cases]))).scalars())
    cases = [c for c in cases if c.id not in done]
    if not cases:
        return
    events = {}
    rows = bind.execute(sa.select(_event.c.instance_id, _event.c.kind, _event.c.payload, _event.c.occurred_at)
                        .where(_event.c.instance_id.in_([c.id for c in cases]), _event.c.kind.in_(ADVANCES))
                        .order_by(_event.c.seq)).all()
    for row in rows:
        events.setdefault(row.instance_id, []).append(row)
    stage_rows = []
    for case in cases:
        already, columns = set(), {}
        for event in events.get(case.id, ()):
            payload = json.loads(event.payload) if isinstance(event.payload, str) else event.payload
            reached = stages_of_event(event.kind, payload, event.occurred_at, rule_set=case.rule_set,
                                      ceremony_date=columns.get("ceremony_date"))
            columns.update(reached.columns)
            stage_rows += [{"instance_id": case.id, "stage": stage, "reached_on": day, "unit_id": case.unit_id,
                            "recorded_at": event.occurred_at}
                           for stage, day in first_reached(reached.stages, already)]
        if columns:
            bind.execute(_instance.update().where(_instance.c.id == case.id).values(**columns))
    if stage_rows:
        bind.execute(_stage.insert(), stage_rows)


def downgrade():
    with op.batch_alter_table('student') as batch:
        batch.drop_column('readmission')
    with op.batch_alter_table('process_instance') as batch:
        batch.drop_index('ix_process_instance_recognised_on')
        batch.drop_column('recognised_on')
        batch.drop_column('ceremony_date')
        batch.drop_column('decision_date')
        batch.drop_column('decision_number')
    op.drop_table('unit_target')
    op.drop_index('ix_case_stage_unit_stage_reached', table_name='case_stage')
    op.drop_index('ix_case_stage_stage_reached', table_name='case_stage')
    op.drop_table('case_stage')
