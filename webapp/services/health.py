"""What an operator checks first: database, deployed version, timers overdue. Nothing personal."""
from sqlalchemy import func, select, text

from ..extensions import db
from ..models import ProcessInstance
from .clock import resolve_now
from .versions import active_version


def health_report(now=None):
    now = resolve_now(now)
    try:
        db.session.execute(text("SELECT 1"))
    except Exception:  # noqa: BLE001 - any failure means the database is not usable
        db.session.rollback()
        return {"database": "unreachable"}
    version = active_version()
    overdue = db.session.execute(
        select(func.count()).select_from(ProcessInstance).where(ProcessInstance.next_timer_at <= now)).scalar()
    return {
        "database": "ok",
        "process_version": version.number if version else None,
        "timers_due": overdue,
    }
