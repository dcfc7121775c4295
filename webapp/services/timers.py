"""Fire due timers: `flask timers run` once, `flask worker` in a loop (services/worker.py).

Each instance is its own unit of work. On PostgreSQL the row is locked with SKIP LOCKED, so two
workers never fire the same timer twice; everywhere the version counter and a re-check of the
due time after locking do the same.
"""
from sqlalchemy import select
from sqlalchemy.orm.exc import StaleDataError

from ..authz import case_units
from ..engine import CaseWorkflow, EngineError
from ..extensions import db
from ..models import ProcessInstance
from .audit import append_event
from .clock import resolve_now
from .locking import lock_instance
from .progress import save_progress
from .versions import loaded_version

BATCH = 100


def due_instance_ids(now, limit=BATCH):
    return db.session.execute(
        select(ProcessInstance.id).where(ProcessInstance.next_timer_at <= now)
        .order_by(ProcessInstance.next_timer_at).limit(limit)
    ).scalars().all()


def fire_instance_timers(instance_id, now):
    """Fire what is due on one instance; return the timer names fired ([] if another worker had it)."""
    try:
        instance, content_hash = lock_instance(instance_id, skip_locked=True)
        if instance is None or instance.next_timer_at is None or instance.next_timer_at > now:
            db.session.rollback()
            return []
        spec = loaded_version(instance.version_id, content_hash).process_for(instance.process_id)
        case = CaseWorkflow.restore(instance.serialized, spec)
        fired = case.fire_due_timers(now=now)
        status_before = instance.status
        created, _ = save_progress(instance, case, case_units(instance.unit_id), now)
        append_event(kind="timer_fired", occurred_at=now, instance_id=instance.id,
                     payload={"timers": fired, "engine_steps": [s.spec_name for s in case.steps],
                              "status": {"before": status_before, "after": instance.status},
                              "next": [row.spec_name for row in created]})
        db.session.commit()
        return fired
    except StaleDataError:
        db.session.rollback()
        return []
    except EngineError as error:
        db.session.rollback()
        _record_timer_failure(instance_id, now, error)
        return []
    except Exception:
        db.session.rollback()
        raise


def _record_timer_failure(instance_id, now, error):
    """A timer whose step fails is logged in the audit and not retried until the case is fixed."""
    instance = db.session.get(ProcessInstance, instance_id)
    instance.next_timer_at = None
    instance.status = "failed"
    append_event(kind="timer_failed", occurred_at=now, instance_id=instance_id, payload={"error": str(error)})
    db.session.commit()


def run_due_timers(now=None, limit=BATCH):
    """One pass: fire every due timer; return {instance id: [timer names]}."""
    now = resolve_now(now)
    results = {}
    for instance_id in due_instance_ids(now, limit):
        fired = fire_instance_timers(instance_id, now)
        if fired:
            results[instance_id] = fired
    return results
