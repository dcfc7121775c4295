"""What the administrators' pages read, and the few checks their forms need before the admin services.

Every function starts with `require_admin`. The writes are the services of `deployments` and
`organisation_admin`; the wrappers here only turn what those would answer with a 500 (a duplicate
code, a role granted twice) or a bare 403 (the last administrator) into an `InvalidSubmission`
with an error code the page can say in words.
"""
import re
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select

from ..engine import ProcessDefinitionError
from ..engine.encoding import as_utf8
from ..extensions import db
from ..models import OrgUnit, ProcessVersion, RoleAssignment, UnitClosure, User
from ..rules.names import fold_name
from ..taskforms import build_form_class, load_definition
from .clock import resolve_now
from .deployments import (
    active_files,
    deploy_version,
    diff_versions,
    migration_preview,
    require_admin,
    version_files,
    versions,
)
from .documents.templates import DOCUMENT_SUFFIX
from .errors import Forbidden, InvalidSubmission, NotFound
from .organisation import depth_first
from .organisation_admin import add_unit, give_role, revoke_role, set_user_active
from .register.counting import register_totals
from .register.keeping import today_in_vietnam
from .versions import FORM_SCHEMA_SUFFIX, FORM_UI_SUFFIX, MAIN_PROCESS, active_version, deployment_problems

DIAGRAM_SUFFIXES = (".bpmn", ".dmn")
#: A deployed file's name: no folders, no spaces, no marks (the suffix is checked apart).
FILE_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,150}$")
FORM_NAME = re.compile(r"^[A-Za-z][A-Za-z0-9_]{0,99}$")


# --- versions and files ---------------------------------------------------------------------------


@dataclass(frozen=True)
class VersionRow:
    id: int
    number: int
    content_hash: str
    author: str | None
    deployed_at: datetime
    comment: str
    active: bool


@dataclass(frozen=True)
class FileRow:
    name: str
    size: int
    kind: str  # diagram, decision, form_schema, form_ui, other


@dataclass(frozen=True)
class ProcessOverview:
    active: VersionRow | None
    files: tuple
    versions: tuple
    forms: tuple


def _kind(name):
    if name.endswith(".bpmn"):
        return "diagram"
    if name.endswith(".dmn"):
        return "decision"
    if name.endswith(FORM_SCHEMA_SUFFIX):
        return "form_schema"
    if name.endswith(FORM_UI_SUFFIX):
        return "form_ui"
    if name.endswith(DOCUMENT_SUFFIX):
        return "document"  # an official document's template (issue 13)
    return "other"


def _version_rows(process_id=MAIN_PROCESS):
    authors = dict(db.session.execute(select(User.id, User.full_name)).all())
    return tuple(VersionRow(v.id, v.number, v.content_hash, authors.get(v.deployed_by_id), v.deployed_at,
                            v.comment or "", v.active) for v in versions(process_id))


def _form_names(files):
    return tuple(sorted(name[: -len(FORM_SCHEMA_SUFFIX)] for name in files if name.endswith(FORM_SCHEMA_SUFFIX)))


def process_overview(user, process_id=MAIN_PROCESS):
    """The active version with its files, every version, the forms it carries."""
    require_admin(user)
    rows = _version_rows(process_id)
    files = active_files(process_id)
    return ProcessOverview(active=next((row for row in rows if row.active), None),
                           files=tuple(FileRow(name, len(content), _kind(name))
                                       for name, content in sorted(files.items())),
                           versions=rows, forms=_form_names(files))


@dataclass(frozen=True)
class DiagramEditor:
    name: str
    source: str
    version_number: int | None
    forms: tuple  # the forms of the active version a user task may name


def diagram_editor(user, name, process_id=MAIN_PROCESS):
    """One diagram of the active version, with the forms its user tasks may name (NotFound otherwise)."""
    require_admin(user)
    version = active_version(process_id)
    files = {f.name: f.content for f in version.files} if version else {}
    content = files.get(name) if name.endswith(".bpmn") else None
    if content is None:
        raise NotFound("no such diagram in the active version")
    # as_utf8: a version stored before diagrams were converted on deployment may be UTF-16
    return DiagramEditor(name, as_utf8(content).decode("utf-8", "replace"), version.number, _form_names(files))


def form_sources(user, name, process_id=MAIN_PROCESS):
    """(schema text, UI-hint text or "") of one form of the active version."""
    require_admin(user)
    files = active_files(process_id)
    schema = files.get(name + FORM_SCHEMA_SUFFIX) if FORM_NAME.match(name or "") else None
    if schema is None:
        raise NotFound("no such form in the active version")
    ui = files.get(name + FORM_UI_SUFFIX)
    return schema.decode("utf-8", "replace"), ui.decode("utf-8", "replace") if ui is not None else ""


#: What a new form starts with: one optional text field, to be replaced in the editor.
STARTER_SCHEMA = """{
  "title": "%s",
  "type": "object",
  "properties": {
    "note": {"type": "string", "title": "Ghi chú", "maxLength": 2000}
  },
  "required": []
}
"""


def create_form(user, name, comment, process_id=MAIN_PROCESS):
    """A new form with the starter schema, deployed as a new version as a form's edit is.

    InvalidSubmission: `name` invalid (not a form name) or taken (a form of that name, in any
    letter case: two names differing by case only would be told apart by nobody reading them).
    The DeployOutcome's problems say why the version was refused, if it was.
    """
    require_admin(user)
    name = (name or "").strip()
    if not FORM_NAME.match(name):
        raise InvalidSubmission({"name": ["invalid"]})
    if name.lower() in {form.lower() for form in _form_names(active_files(process_id))}:
        raise InvalidSubmission({"name": ["taken"]})
    return deploy_replacements(user, {name + FORM_SCHEMA_SUFFIX: (STARTER_SCHEMA % name).encode("utf-8")},
                               comment, process_id=process_id)


def form_preview(user, name, schema, ui):
    """The WTForms class a definition would give; FormDefinitionError says what is wrong with it."""
    require_admin(user)
    return build_form_class(load_definition(name, schema, ui or None))


def _replaced(replacements, removed, process_id):
    files = active_files(process_id)
    for name in removed:
        files.pop(name, None)
    files.update(replacements)
    return files


def replacement_problems(user, replacements, *, removed=(), process_id=MAIN_PROCESS):
    """The problems of the active version with these files replaced or added (nothing is stored)."""
    require_admin(user)
    return deployment_problems(_replaced(replacements, removed, process_id), process_id)


@dataclass(frozen=True)
class DeployOutcome:
    version: ProcessVersion | None
    created: bool  # False when the content is the active version's: nothing new was stored
    problems: tuple


def deploy_replacements(user, replacements, comment, *, removed=(), process_id=MAIN_PROCESS):
    """Deploy the active version's files with these replaced or added; the problems when refused."""
    require_admin(user)
    before = active_version(process_id)
    before_id = before.id if before is not None else None
    files = _replaced(replacements, removed, process_id)
    try:
        version = deploy_version(user, files, comment)
    except ProcessDefinitionError as refused:
        return DeployOutcome(None, False, tuple(refused.problems))
    return DeployOutcome(version, version.id != before_id, ())


def version_diff(user, old_id, new_id):
    require_admin(user)
    old, _ = version_files(old_id)
    new, _ = version_files(new_id)
    return old, new, diff_versions(old_id, new_id)


def migration_rows(user, version_id):
    require_admin(user)
    version, _ = version_files(version_id)
    return version, migration_preview(user, version_id)


# --- the organisation tree ------------------------------------------------------------------------


@dataclass(frozen=True)
class UnitRow:
    unit: OrgUnit
    depth: int
    parent_name: str | None
    deciding_name: str | None
    role_holders: int
    #: What the member register counts today (None: the unit keeps no register, the typed number stands).
    register_official: int | None = None
    register_committee: int | None = None


def _units():
    return db.session.execute(select(OrgUnit).order_by(OrgUnit.name, OrgUnit.id)).scalars().all()


def unit_rows(user):
    """Every unit, depth first, with the names the tree shows beside it."""
    require_admin(user)
    units = _units()
    by_id = {unit.id: unit for unit in units}
    holders = dict(db.session.execute(select(RoleAssignment.unit_id, func.count(func.distinct(RoleAssignment.user_id)))
                                      .group_by(RoleAssignment.unit_id)).all())
    registers = register_totals(today_in_vietnam(resolve_now()))
    rows = []
    for unit, depth in depth_first(units):
        parent, deciding = by_id.get(unit.parent_id), by_id.get(unit.deciding_unit_id)
        rows.append(UnitRow(unit, depth, parent.name if parent else None, deciding.name if deciding else None,
                            holders.get(unit.id, 0), registers.get((unit.id, "cell")),
                            registers.get((unit.id, "committee"))))
    return rows


@dataclass(frozen=True)
class UnitEdit:
    unit: OrgUnit
    rows: list  # every unit (the deciding-body choices)
    parents: list  # the units it may move under: not itself nor anything below it


def unit_for_edit(user, unit_id):
    require_admin(user)
    unit = db.session.get(OrgUnit, unit_id)
    if unit is None:
        raise NotFound("no such unit")
    inside = set(db.session.execute(select(UnitClosure.descendant_id)
                                    .where(UnitClosure.ancestor_id == unit.id)).scalars())
    rows = unit_rows(user)
    return UnitEdit(unit, rows, [row for row in rows if row.unit.id not in inside])


def add_unit_checked(user, *, parent_id, code, **fields):
    """add_unit, with the code checked first (it is unique: a duplicate would fail in the database)."""
    require_admin(user)
    code = (code or "").strip()
    if not code:
        raise InvalidSubmission({"code": ["required"]})
    if db.session.execute(select(OrgUnit.id).where(func.lower(OrgUnit.code) == code.lower())).first():
        raise InvalidSubmission({"code": ["taken"]})
    if not (fields.get("name") or "").strip():
        raise InvalidSubmission({"name": ["required"]})
    return add_unit(user, parent_id=parent_id, code=code, **{**fields, "name": fields["name"].strip()})


# --- users ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class RoleRow:
    assignment_id: int
    role: str
    unit_id: int
    unit_name: str


@dataclass(frozen=True)
class UserRow:
    user: User
    roles: tuple


def _roles_of(user_ids):
    rows = db.session.execute(
        select(RoleAssignment.id, RoleAssignment.user_id, RoleAssignment.role, OrgUnit.id, OrgUnit.name)
        .join(OrgUnit, OrgUnit.id == RoleAssignment.unit_id).where(RoleAssignment.user_id.in_(user_ids))
        .order_by(RoleAssignment.role, OrgUnit.name)).all()
    found = {}
    for assignment_id, user_id, role, unit_id, unit_name in rows:
        found.setdefault(user_id, []).append(RoleRow(assignment_id, role, unit_id, unit_name))
    return found


def user_rows(user, search=None):
    """Users (all, or those whose user name or name contains `search`) with the roles they hold."""
    require_admin(user)
    users = db.session.execute(select(User).order_by(User.username)).scalars().all()
    if search:
        # Folded like students' names (rules/names.py), in Python: a province has a few thousand
        # users, read here anyway, and no stored column is needed for them.
        wanted = fold_name(search)
        users = [u for u in users if wanted and (wanted in fold_name(u.username) or wanted in fold_name(u.full_name))]
    roles = _roles_of([u.id for u in users])
    return [UserRow(u, tuple(roles.get(u.id, ()))) for u in users]


def user_detail(user, user_id):
    require_admin(user)
    target = db.session.get(User, user_id)
    if target is None:
        raise NotFound("no such user")
    return UserRow(target, tuple(_roles_of([target.id]).get(target.id, ())))


def change_user_active(user, user_id, active):
    """set_user_active; refusing the last administrator is said as the error code `last_admin`."""
    require_admin(user)
    try:
        return set_user_active(user, user_id, active)
    except Forbidden:  # the caller is an administrator: only the last-administrator rule refuses here
        raise InvalidSubmission({"active": ["last_admin"]}) from None


def withdraw_role(user, user_id, assignment_id):
    """revoke_role of one of `user_id`'s roles; the last administrator's is refused as `last_admin`."""
    require_admin(user)
    assignment = db.session.get(RoleAssignment, assignment_id)
    if assignment is None or assignment.user_id != user_id:
        raise NotFound("no such role assignment")
    try:
        revoke_role(user, assignment_id)
    except Forbidden:
        raise InvalidSubmission({"role": ["last_admin"]}) from None


def give_role_checked(user, user_id, role, unit_id):
    """give_role, refusing a role the user already holds in that unit (`duplicate_role`)."""
    require_admin(user)
    if db.session.execute(select(RoleAssignment.id).where(
            RoleAssignment.user_id == user_id, RoleAssignment.role == role, RoleAssignment.unit_id == unit_id)).first():
        raise InvalidSubmission({"role": ["duplicate_role"]})
    return give_role(user, user_id, role, unit_id)
