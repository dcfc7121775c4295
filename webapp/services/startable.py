"""Startable processes (issue 17): which processes of the active deployment a case may start with.

The active deployment (the versions of `admission`, with every diagram and form) may hold several
top-level processes. The administrator opens one for starting: by which roles, in which unit (and
its subtree) and which kinds of unit. Every change is an audit event.
"""
from dataclasses import dataclass

from sqlalchemy import select

from ..authz import may_start_process, startable_processes_for
from ..authz.starting import DEFAULT_RULES, startable_rule
from ..engine.loader import BPMN_PROCESS, BPMN_SUFFIXES
from ..engine.xmlsafe import parse_xml
from ..extensions import db
from ..models import OrgUnit, ProcessFile, StartableProcess
from ..models.org import UNIT_KINDS
from .audit import append_event
from .clock import resolve_now
from .deployments import require_admin
from .errors import InvalidSubmission
from .versions import LANE_ROLES, MAIN_PROCESS, active_version

CALL_ACTIVITY = "{http://www.omg.org/spec/BPMN/20100524/MODEL}callActivity"
#: Roles that may be given the right to start: every role acting on cases, as for lanes.
STARTING_ROLE_CHOICES = LANE_ROLES

_names_cache = {}


@dataclass(frozen=True)
class DeployedProcess:
    process_id: str
    name: str


def deployed_processes():
    """The top-level processes of the active deployment (none called from another), main process first."""
    version = active_version()
    if version is None:
        return []
    cached = _names_cache.get(version.id)
    if cached is None or cached[0] != version.content_hash:
        cached = (version.content_hash, _top_level_processes(version.id))
        _names_cache[version.id] = cached
    return cached[1]


def _top_level_processes(version_id):
    found, called = {}, set()
    files = db.session.execute(select(ProcessFile.name, ProcessFile.content)
                               .where(ProcessFile.version_id == version_id)).all()
    for name, content in files:
        if not name.endswith(BPMN_SUFFIXES):
            continue
        root = parse_xml(content, file_name=name).getroot()
        for process in root.iter(BPMN_PROCESS):
            if process.get("isExecutable", "true").lower() != "false":
                found[process.get("id")] = process.get("name") or process.get("id")
        called.update(call.get("calledElement") for call in root.iter(CALL_ACTIVITY))
    ids = sorted((pid for pid in found if pid not in called or pid == MAIN_PROCESS),
                 key=lambda pid: (pid != MAIN_PROCESS, pid))
    return [DeployedProcess(pid, found[pid]) for pid in ids]


def process_name(process_id):
    return next((p.name for p in deployed_processes() if p.process_id == process_id), process_id)


def start_choices(user_id, role, unit_id):
    """[DeployedProcess] this user, acting as `role` in `unit_id`, may start — only deployed ones."""
    allowed = set(startable_processes_for(user_id, role, unit_id))
    return [p for p in deployed_processes() if p.process_id in allowed]


def may_start(user_id, process_id, role, unit_id):
    """The predicate, and the process must be in the active deployment."""
    return (any(p.process_id == process_id for p in deployed_processes())
            and may_start_process(user_id, process_id, role, unit_id))


@dataclass(frozen=True)
class StartableRow:
    process: DeployedProcess
    rule: object  # StartableProcess, authz.starting.DefaultRule, or None (never opened)
    unit_name: str | None
    unit_code: str | None


def startable_overview(user):
    """Every deployed process with its rule (None: never opened for starting)."""
    require_admin(user)
    rules = DEFAULT_RULES | {r.process_id: r for r in db.session.execute(select(StartableProcess)).scalars()}
    rows = []
    for process in deployed_processes():
        rule = rules.get(process.process_id)
        unit = db.session.get(OrgUnit, rule.unit_id) if rule is not None and rule.unit_id else None
        rows.append(StartableRow(process, rule, unit.name if unit else None, unit.code if unit else None))
    return rows


def _snapshot(rule):
    if rule is None:
        return None
    return {"enabled": rule.enabled, "roles": list(rule.role_list), "unit_id": rule.unit_id,
            "unit_kinds": list(rule.kind_list)}


def set_startable(user, process_id, *, enabled, roles, unit_code, unit_kinds, now=None):
    """Store who may start `process_id` where; InvalidSubmission (field: [codes]) changes nothing."""
    require_admin(user)
    now = resolve_now(now)
    errors = {}
    if not any(p.process_id == process_id for p in deployed_processes()):
        errors["process_id"] = ["process_not_deployed"]
    roles = list(dict.fromkeys(r for r in roles if r))
    if any(r not in STARTING_ROLE_CHOICES for r in roles):
        errors["roles"] = ["unknown_role"]
    elif enabled and not roles:
        errors["roles"] = ["starting_roles_required"]
    unit_kinds = list(dict.fromkeys(k for k in unit_kinds if k))
    if any(k not in UNIT_KINDS for k in unit_kinds):
        errors["unit_kinds"] = ["unknown_unit_kind"]
    unit = None
    if (unit_code or "").strip():
        unit = db.session.execute(select(OrgUnit).where(OrgUnit.code == unit_code.strip())).scalar_one_or_none()
        if unit is None:
            errors["unit_code"] = ["unknown_unit"]
    if errors:
        raise InvalidSubmission(errors)
    try:
        before = _snapshot(startable_rule(process_id))
        rule = db.session.get(StartableProcess, process_id)
        if rule is None:
            rule = StartableProcess(process_id=process_id)
            db.session.add(rule)
        rule.enabled, rule.roles, rule.unit_kinds = bool(enabled), ",".join(roles), ",".join(unit_kinds)
        rule.unit_id, rule.updated_by_id, rule.updated_at = unit.id if unit else None, user.id, now
        db.session.flush()
        after = _snapshot(rule)
        if after != before:
            append_event(kind="process_startable_changed", occurred_at=now, actor=user, actor_role="admin",
                         payload={"process_id": process_id, "before": before, "after": after})
        db.session.commit()
        return after != before
    except Exception:
        db.session.rollback()
        raise
