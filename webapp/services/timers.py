"""Fire due timers: `flask timers run` once, `flask worker` in a loop (services/worker.py).

Each instance is its own unit of work. On PostgreSQL the row is locked with SKIP LOCKED, so two
workers never fire the same timer twice; everywhere the version counter and a re-check of the
due time after locking do the same.

A pass fires every timer due at its start, reading the due cases in batches (keyset paging on
due time and id). A case whose timer fails is recorded (`timer_failed` in the audit, the case
`failed`, its timer no longer due) and the pass goes on with the next case; a database that
cannot be reached leaves the timer due for the next pass. The log names the case id and the
error's class, never its words (they may quote what a student's form holds).
"""
import logging
import traceback

from sqlalchemy import and_, or_, select
from sqlalchemy import exc as database_errors
from sqlalchemy.orm.exc import StaleDataError

from ..authz import case_units
from ..engine import CaseWorkflow, EngineError
from ..extensions import db
from ..models import ProcessInstance
from .audit import append_event
from .clock import resolve_now
from .locking import lock_instance
from .progress import save_progress
from .stage_facts import record_stages
from .step_failures import failure_payload
from .versions import loaded_version

BATCH = 100
log = logging.getLogger(__name__)


def due_instance_ids(now, limit=BATCH, *, after=None):
    """Up to `limit` (due time, id) of due cases in firing order, after the key `after` when given."""
    query = select(ProcessInstance.next_timer_at, ProcessInstance.id).where(ProcessInstance.next_timer_at <= now)
    if after is not None:
        due_at, instance_id = after
        query = query.where(or_(ProcessInstance.next_timer_at > due_at,
                                and_(ProcessInstance.next_timer_at == due_at, ProcessInstance.id > instance_id)))
    rows = db.session.execute(query.order_by(ProcessInstance.next_timer_at, ProcessInstance.id).limit(limit)).all()
    return [tuple(row) for row in rows]


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
        event = append_event(kind="timer_fired", occurred_at=now, instance_id=instance.id,
                             payload={"timers": fired, "engine_steps": [s.spec_name for s in case.steps],
                                      "status": {"before": status_before, "after": instance.status},
                                      "next": [row.spec_name for row in created]})
        record_stages(instance, event)
        db.session.commit()
        return fired
    except StaleDataError:
        db.session.rollback()
        return []
    except EngineError as error:
        db.session.rollback()
        _record_timer_failure(instance_id, now, failure_payload(error), error)  # words: operations view
        return []
    except (database_errors.OperationalError, database_errors.InterfaceError) as error:
        db.session.rollback()  # the database is away: the timer stays due, the next pass tries again
        log.error("timer of case %s not fired, the database did not answer (%s)", instance_id,
                  type(error).__name__)
        return []
    except Exception as error:  # noqa: BLE001 — one case's failure must not stop the timers of the others
        db.session.rollback()
        where = _where(error)
        _record_timer_failure(instance_id, now, {"error": type(error).__name__, "where": where, "unexpected": True},
                              error)
        return []


def _where(error):
    """file:line where `error` was raised (a code location, no data), for the operator's report."""
    frames = traceback.extract_tb(error.__traceback__)
    return f"{frames[-1].filename.rsplit('/webapp/', 1)[-1]}:{frames[-1].lineno}" if frames else ""


def _record_timer_failure(instance_id, now, payload, error):
    """A timer whose step fails is logged and kept in the audit, and not retried until the case is fixed."""
    log.error("timer of case %s failed (%s at %s); recorded as timer_failed, the pass goes on", instance_id,
              type(error).__name__, _where(error))
    try:
        instance = db.session.get(ProcessInstance, instance_id)
        instance.next_timer_at = None
        instance.status = "failed"
        append_event(kind="timer_failed", occurred_at=now, instance_id=instance_id, payload=payload)
        db.session.commit()
    except Exception as failed:  # noqa: BLE001 — even the record failing must not stop the pass
        db.session.rollback()
        log.error("the failure of case %s's timer could not be recorded (%s)", instance_id, type(failed).__name__)


def run_due_timers(now=None, limit=BATCH):
    """One pass: fire every timer due at `now`, reading `limit` due cases at a time.

    Returns {instance id: [timer names]}. Each case is visited once per pass: a timer that falls
    due only because another one fired waits for the next pass.
    """
    now = resolve_now(now)
    results, visited, after = {}, set(), None
    while True:
        batch = due_instance_ids(now, limit, after=after)
        for _due_at, instance_id in batch:
            if instance_id in visited:
                continue
            visited.add(instance_id)
            fired = fire_instance_timers(instance_id, now)
            if fired:
                results[instance_id] = fired
        if len(batch) < limit:
            return results
        after = batch[-1]
