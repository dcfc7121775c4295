"""The unit of work writes the stages a case reaches (issue 11), in the transaction of the step.

Called with the audit event a step has just appended (task completed, timer fired): the map in
rules/stage_map.py says which stages the event reached and which columns of the case it fills;
this writes them. Migration 0013 replays the stored events through the same map, so a back-filled
case and a live one have the same rows. A stage is recorded once per case: the first time counts
(a second failed vote is the same `vote_failed` row).
"""
from sqlalchemy import select

from ..extensions import db
from ..models import CaseStage
from ..rules.stage_map import first_reached, stages_of_event


def record_stages(instance, event):
    """Add the case_stage rows and set the columns `event` (just appended, same transaction) reached."""
    reached = stages_of_event(event.kind, event.payload, event.occurred_at, rule_set=instance.rule_set,
                              ceremony_date=instance.ceremony_date)
    for column, value in reached.columns.items():
        setattr(instance, column, value)
    if not reached.stages:
        return []
    already = set(db.session.execute(
        select(CaseStage.stage).where(CaseStage.instance_id == instance.id)).scalars())
    rows = [CaseStage(instance_id=instance.id, stage=stage, reached_on=day, unit_id=instance.unit_id,
                      recorded_at=event.occurred_at)
            for stage, day in first_reached(reached.stages, already)]
    db.session.add_all(rows)
    return rows
