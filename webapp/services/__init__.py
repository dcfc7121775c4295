"""The use cases. Each public function is one unit of work: transaction, lock, audit."""
from .admin_views import (
    DeployOutcome,
    add_unit_checked,
    change_user_active,
    deploy_replacements,
    diagram_editor,
    form_preview,
    form_sources,
    give_role_checked,
    migration_rows,
    process_overview,
    replacement_problems,
    unit_for_edit,
    unit_rows,
    user_detail,
    user_rows,
    version_diff,
    withdraw_role,
)
from .attachments import MAX_BYTES as MAX_ATTACHMENT_BYTES
from .attachments import add_attachment, attachment_for_download
from .audit import ChainReport, append_event, verify_chain
from .auth import ActingAs, LoginRefused, SignedIn, acting_role, acting_roles, change_password, sign_in
from .cases import nominate_batch, register_and_start
from .dossier import case_dossier, mask_citizen_id, readable_attachment
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
from .history import (
    case_path,
    case_timeline,
    diagram_files,
    record_listing,
    record_view,
    require_page,
    visible_instance,
)
from .inbox import CaseFilters, InboxFilters, due_state, inbox, unit_cases
from .integrity import integrity_report, record_verification, run_due_verification
from .organisation import create_unit, create_user, grant_role
from .rule_checks import check_case
from .search import SearchFilters, export_csv, search_cases, search_choices
from .sessions import end_session, end_user_sessions, session_user
from .task_view import TaskPage, own_completion, step_form, steps_to_open, task_page
from .tasks import Completion, complete_task, complete_tasks
from .timers import run_due_timers
from .versions import active_version, deploy, files_from_directories
from .worker import run_worker

__all__ = [
    "MAX_ATTACHMENT_BYTES",
    "ActingAs", "CaseFilters", "ChainReport", "Completion", "DeployOutcome", "Forbidden", "InboxFilters",
    "InvalidBatch",
    "InvalidSubmission", "LoginRefused", "NotFound", "SearchFilters", "ServiceError", "SignedIn", "StaleCase",
    "StepFailed", "TaskAlreadyCompleted", "TaskPage", "acting_role", "acting_roles", "active_version", "add_attachment",
    "add_unit_checked", "append_event", "attachment_for_download", "case_dossier", "case_path",
    "case_timeline", "change_password", "change_user_active", "check_case", "complete_task", "complete_tasks",
    "create_unit", "create_user", "deploy", "deploy_replacements", "diagram_editor", "diagram_files", "due_state",
    "end_session", "end_user_sessions", "export_csv", "files_from_directories", "form_preview", "form_sources",
    "give_role_checked", "grant_role",
    "health_report", "inbox", "integrity_report", "mask_citizen_id", "migration_rows", "nominate_batch",
    "own_completion",
    "process_overview", "readable_attachment", "record_listing", "record_verification", "record_view",
    "register_and_start", "replacement_problems", "require_page",
    "run_due_timers", "run_due_verification", "run_worker",
    "search_cases", "search_choices", "session_user", "sign_in", "step_form", "steps_to_open", "task_page",
    "unit_cases",
    "unit_for_edit",
    "unit_rows", "user_detail",
    "user_rows", "verify_chain", "version_diff", "visible_instance", "withdraw_role",
]
