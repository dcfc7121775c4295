"""Small readers the branch tests share: what is open, who must act, what the audit says."""
from sqlalchemy import select

from webapp.engine import CaseWorkflow
from webapp.extensions import db
from webapp.models import HumanTask, InstanceEvent, OrgUnit, ProcessInstance, ProcessVersion
from webapp.services.versions import loaded_version


def open_tasks(instance_id):
    return db.session.execute(
        select(HumanTask).where(HumanTask.instance_id == instance_id, HumanTask.status == "open")
        .order_by(HumanTask.id)).scalars().all()


def open_specs(instance_id):
    return sorted(t.spec_name for t in open_tasks(instance_id))


def who_acts(instance_id):
    """{spec name: (role, unit code)} for the open tasks."""
    return {t.spec_name: (t.role, db.session.get(OrgUnit, t.unit_id).code) for t in open_tasks(instance_id)}


def task_named(instance_id, spec_name):
    return next(t for t in open_tasks(instance_id) if t.spec_name == spec_name)


def events(instance_id, kind=None):
    query = select(InstanceEvent).where(InstanceEvent.instance_id == instance_id).order_by(InstanceEvent.seq)
    if kind:
        query = query.where(InstanceEvent.kind == kind)
    return db.session.execute(query).scalars().all()


def completed_specs(instance_id):
    return [e.task_spec for e in events(instance_id, "task_completed")]


def engine_path(instance_id):
    """Every step the engine ran by itself, in order, across completions and timers."""
    return [step for e in events(instance_id) for step in e.payload.get("engine_steps", [])]


def instance(instance_id):
    row = db.session.get(ProcessInstance, instance_id)
    db.session.refresh(row)
    return row


def facts(instance_id):
    """The case data as the engine holds it now (for assertions on computed values only)."""
    return restored(instance_id).facts()


def restored(instance_id):
    row = instance(instance_id)
    version = db.session.get(ProcessVersion, row.version_id)
    return CaseWorkflow.restore(row.serialized, loaded_version(version.id, version.content_hash).process)
