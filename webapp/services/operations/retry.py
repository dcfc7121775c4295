"""Retry a failed case (issue 15): administrators only, audited, safe to click twice.

The case is locked and restored on the version it is on now (fix the diagram, deploy it and move
the case on the migration page first — or retry directly, when the cause was passing, a timeout
under load, or the case was already moved), then the engine runs what it can on its own: a due
timer fires, the steps after it run. A step that waits for a person is simply open again for its
people. Then the case's status is derived again as after every step (services/progress.py).

Idempotent: the form carries the id of the failure the administrator saw. A case no longer failed
(a second click, another administrator, a migration meanwhile) is left alone; a newer failure than
the one shown is not retried blind. Failing again records the new failure and says why.
"""
from dataclasses import dataclass

from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm.exc import StaleDataError

from ...authz import case_units
from ...engine import CaseWorkflow, EngineError
from ...extensions import db
from ..audit import append_event
from ..clock import resolve_now
from ..deployments import require_admin
from ..errors import NotFound
from ..locking import lock_instance
from ..progress import save_progress
from ..step_failures import failure_payload
from ..versions import loaded_version
from .failures import latest_failures


@dataclass(frozen=True)
class RetryOutcome:
    result: str  # retried, failed_again, not_failed, stale
    status: str | None = None  # the case's status after a retry
    payload: dict | None = None  # the new failure, when it failed again


def retry_failed_case(user, instance_id, failure_id, *, now=None):
    """Run the failed case `instance_id` again, if its latest failure is still `failure_id`."""
    require_admin(user)
    now = resolve_now(now)
    try:
        instance, content_hash = lock_instance(instance_id)
        if instance is None:
            raise NotFound("no such case")
        if instance.status != "failed":
            db.session.rollback()
            return RetryOutcome("not_failed", instance.status)
        latest = latest_failures([instance.id]).get(instance.id)
        if latest is None or latest.id != failure_id:
            db.session.rollback()
            return RetryOutcome("stale")
        spec = loaded_version(instance.version_id, content_hash).process_for(instance.process_id)
        case = CaseWorkflow.restore(instance.serialized, spec)
        fired = case.fire_due_timers(now=now)
        created, _ = save_progress(instance, case, case_units(instance.unit_id), now)
        append_event(kind="case_retried", occurred_at=now, instance_id=instance.id, actor=user, actor_role="admin",
                     payload={"failure": failure_id, "failure_kind": latest.kind, "timers": fired,
                              "engine_steps": [step.spec_name for step in case.steps],
                              "status": {"before": "failed", "after": instance.status},
                              "next": [row.spec_name for row in created]})
        outcome = RetryOutcome("retried", instance.status)
        db.session.commit()
        return outcome
    except StaleDataError:  # another retry or a migration committed first: nothing more to do here
        db.session.rollback()
        return RetryOutcome("not_failed")
    except (NotFound, SQLAlchemyError):  # no such case; the database away: nothing was retried
        db.session.rollback()
        raise
    except Exception as error:  # noqa: BLE001 — the step failed again (the engine, or our code as the worker meets it)
        db.session.rollback()
        return RetryOutcome("failed_again", "failed", _record_again(user, instance_id, failure_id, error, now))


def _record_again(user, instance_id, failure_id, error, now):
    """The retry failed: a new `timer_failed` event (the case stays failed, its timer off), in its own commit."""
    if isinstance(error, EngineError):
        payload = failure_payload(error, retry_of=failure_id)
    else:  # not the diagram's code: the class only (its words may quote a student's data), as the worker does
        payload = {"error": type(error).__name__, "unexpected": True, "retry_of": failure_id}
    append_event(kind="timer_failed", occurred_at=now, instance_id=instance_id, actor=user, actor_role="admin",
                 payload=payload)
    db.session.commit()
    return payload
