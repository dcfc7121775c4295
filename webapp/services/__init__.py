"""The use cases. Each public function is one unit of work: transaction, lock, audit."""
from .audit import ChainReport, append_event, verify_chain
from .cases import register_and_start
from .errors import (
    Forbidden,
    InvalidSubmission,
    NotFound,
    ServiceError,
    StaleCase,
    StepFailed,
    TaskAlreadyCompleted,
)
from .health import health_report
from .organisation import create_unit, create_user, grant_role
from .tasks import complete_task
from .timers import run_due_timers, run_worker
from .versions import active_version, deploy, files_from_directories

__all__ = [
    "ChainReport", "Forbidden", "InvalidSubmission", "NotFound", "ServiceError", "StaleCase", "StepFailed",
    "TaskAlreadyCompleted", "active_version", "append_event", "complete_task", "create_unit", "create_user",
    "deploy", "files_from_directories", "grant_role", "health_report", "register_and_start", "run_due_timers",
    "run_worker", "verify_chain",
]
