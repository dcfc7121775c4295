"""The use cases. Each public function is one unit of work: transaction, lock, audit."""
from .attachments import add_attachment, attachment_for_download
from .audit import ChainReport, append_event, verify_chain
from .auth import ActingAs, LoginRefused, acting_role, acting_roles, authenticate, change_password
from .cases import nominate_batch, register_and_start
from .dossier import case_dossier, mask_citizen_id
from .errors import (
    Forbidden,
    InvalidBatch,
    InvalidSubmission,
    NotFound,
    ServiceError,
    StaleCase,
    StepFailed,
    TaskAlreadyCompleted,
)
from .health import health_report
from .inbox import CaseFilters, InboxFilters, due_state, inbox, unit_cases
from .organisation import create_unit, create_user, grant_role
from .task_view import TaskPage, task_page
from .tasks import complete_task, complete_tasks
from .timers import run_due_timers, run_worker
from .versions import active_version, deploy, files_from_directories

__all__ = [
    "ActingAs", "CaseFilters", "ChainReport", "Forbidden", "InboxFilters", "InvalidBatch", "InvalidSubmission",
    "LoginRefused", "NotFound", "ServiceError", "StaleCase", "StepFailed", "TaskAlreadyCompleted", "TaskPage",
    "acting_role", "acting_roles", "active_version", "add_attachment", "append_event", "attachment_for_download",
    "authenticate", "case_dossier", "change_password", "complete_task", "complete_tasks", "create_unit",
    "create_user", "deploy", "due_state", "files_from_directories", "grant_role", "health_report", "inbox",
    "mask_citizen_id", "nominate_batch", "register_and_start", "run_due_timers", "run_worker", "task_page",
    "unit_cases", "verify_chain",
]
