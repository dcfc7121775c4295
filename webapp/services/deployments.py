"""Administrators deploy versions, compare and activate them, and move running cases to a new one."""
import difflib
from dataclasses import dataclass

from sqlalchemy import select

from ..authz import acting_assignment, case_units
from ..engine import ProcessDefinitionError, check_migration, migrate
from ..engine.encoding import as_utf8
from ..extensions import db
from ..models import OrgUnit, ProcessInstance, ProcessVersion, Student
from .audit import append_event
from .clock import resolve_now
from .errors import Forbidden, InvalidSubmission, NotFound
from .progress import FINAL_STATUSES, save_progress
from .versions import MAIN_PROCESS, active_version, deploy, loaded_version

FINISHED = FINAL_STATUSES  # a finished case never moves to another version (services/progress.py)


def require_admin(user):
    """Administrators hold the role `admin` at the top of the tree they administer."""
    roots = db.session.execute(select(OrgUnit.id).where(OrgUnit.parent_id.is_(None))).scalars().all()
    if not any(acting_assignment(user.id, "admin", root) for root in roots):
        raise Forbidden("administrators only")


def deploy_version(user, files, comment, *, now=None):
    """Validate and store a new active version; ProcessDefinitionError lists every problem."""
    require_admin(user)
    now = resolve_now(now)
    if not (comment or "").strip():
        raise InvalidSubmission({"comment": ["required"]})
    try:
        version = deploy(files, author=user, comment=comment.strip(), now=now)
        db.session.commit()
        return version
    except Exception:
        db.session.rollback()
        raise


def active_files(process_id=MAIN_PROCESS):
    version = active_version(process_id)
    return {f.name: f.content for f in version.files} if version else {}


def versions(process_id=MAIN_PROCESS):
    return db.session.execute(select(ProcessVersion).where(ProcessVersion.process_id == process_id)
                              .order_by(ProcessVersion.number.desc())).scalars().all()


def version_files(version_id):
    version = db.session.get(ProcessVersion, version_id)
    if version is None:
        raise NotFound("no such version")
    return version, {f.name: f.content for f in version.files}


@dataclass(frozen=True)
class FileDiff:
    name: str
    status: str  # added, removed, changed, same
    lines: tuple


def diff_versions(old_id, new_id):
    _, old = version_files(old_id)
    _, new = version_files(new_id)
    diffs = []
    for name in sorted(set(old) | set(new)):
        before, after = old.get(name), new.get(name)
        if before == after:
            continue
        status = "added" if before is None else "removed" if after is None else "changed"
        lines = difflib.unified_diff(as_utf8(before or b"").decode("utf-8", "replace").splitlines(),
                                     as_utf8(after or b"").decode("utf-8", "replace").splitlines(),
                                     fromfile=f"v{old_id}/{name}", tofile=f"v{new_id}/{name}", lineterm="", n=2)
        diffs.append(FileDiff(name, status, tuple(lines)))
    return diffs


def activate_version(user, version_id, *, now=None):
    require_admin(user)
    now = resolve_now(now)
    try:
        version, _ = version_files(version_id)
        current = active_version(version.process_id)
        if current is not None and current.id != version.id:
            current.active = False
        version.active = True
        append_event(kind="version_activated", occurred_at=now, actor=user,
                     payload={"before": current.id if current else None, "after": version.id})
        db.session.commit()
        return version
    except Exception:
        db.session.rollback()
        raise


@dataclass(frozen=True)
class MigrationRow:
    instance_id: int
    student_name: str
    version_number: int
    current_step: str
    safe: bool
    reasons: tuple


def _loaded(version):
    return loaded_version(version.id, version.content_hash)


def migration_preview(user, target_version_id):
    """Every running case on another version: can it move to the target safely, and if not, why."""
    require_admin(user)
    target, _ = version_files(target_version_id)
    new = _loaded(target)
    rows = db.session.execute(
        select(ProcessInstance, Student.full_name, ProcessVersion)
        .join(Student, Student.id == ProcessInstance.student_id)
        .join(ProcessVersion, ProcessVersion.id == ProcessInstance.version_id)
        .where(ProcessInstance.version_id != target.id, ProcessInstance.status.not_in(FINISHED),
               ProcessVersion.process_id == target.process_id)
        .order_by(ProcessInstance.id)).all()
    preview = []
    for instance, name, version in rows:
        try:
            check = check_migration(instance.serialized, _loaded(version).process_for(instance.process_id),
                                    new.process_for(instance.process_id))
            safe, reasons = check.safe, check.reasons
        except ProcessDefinitionError as error:
            safe, reasons = False, ((None, None, str(error)),)
        preview.append(MigrationRow(instance.id, name, version.number, instance.current_step, safe, reasons))
    return preview


def migrate_cases(user, target_version_id, instance_ids, *, now=None):
    """Move the listed cases to the target version; only safe ones move. Returns the ids moved."""
    require_admin(user)
    now = resolve_now(now)
    target, _ = version_files(target_version_id)
    new = _loaded(target)
    moved = []
    try:
        for instance_id in instance_ids:
            instance = db.session.execute(select(ProcessInstance).where(ProcessInstance.id == instance_id)
                                          .with_for_update()).scalar_one_or_none()
            if instance is None or instance.status in FINISHED or instance.version_id == target.id:
                continue
            old_version = db.session.get(ProcessVersion, instance.version_id)
            old = _loaded(old_version).process_for(instance.process_id)
            try:
                target_spec = new.process_for(instance.process_id)
            except ProcessDefinitionError:  # the target version lacks this case's process: it stays
                continue
            if not check_migration(instance.serialized, old, target_spec).safe:
                continue
            case = migrate(instance.serialized, old, target_spec)
            instance.version_id = target.id
            save_progress(instance, case, case_units(instance.unit_id), now)
            append_event(kind="case_migrated", occurred_at=now, instance_id=instance.id, actor=user,
                         payload={"before": {"version": old_version.number}, "after": {"version": target.number}})
            moved.append(instance.id)
        db.session.commit()
        return moved
    except Exception:
        db.session.rollback()
        raise
