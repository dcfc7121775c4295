"""Need-to-know: which parts of a case each role reads, and which pages it opens (domain.md §5).

Party files are treated as state secrets, so being in scope (a role at or above the case's
unit) is not enough to read everything. The policy is data — the three tables below — and
every reader goes through `case_reader` + `reads` / `opens`: the services filter what they
return with them and the templates show or hide with the same answers.

Sections are kinds of step data, named after the form a step records (a step's form says what
it holds). A form that is not in `SECTION_OF_FORM` (a new diagram's) is `other`, which only the
bodies that decide and the auditors read: unknown data is closed until someone classifies it.
Everyone in scope sees the case's identity (name, date of birth, school, cell, status) and
its progress (which steps were done, by whom, when); a reader always sees what they recorded
themselves.
"""
from dataclasses import dataclass

from sqlalchemy import and_, exists, or_, select

from ..extensions import db
from ..models import HumanTask, RoleAssignment, Student, UnitClosure

#: Kinds of step data, by the form that records them.
SECTION_OF_FORM = {
    # the procedure's own facts: resolutions, the course, meeting dates, the ceremony
    "nominate_student": "procedure", "issue_youth_union_resolution": "procedure",
    "add_to_sympathiser_list": "procedure", "enroll_in_course": "procedure",
    "record_course_result": "procedure", "assign_introducers": "procedure", "plan_cell_meeting": "procedure",
    "hold_ceremony": "procedure", "acknowledge_rejection": "procedure", "record_member_file": "procedure",
    # what people wrote about the applicant
    "write_introduction_letters": "assessments", "write_residence_comment": "assessments",
    "summarise_comments": "assessments", "comment_on_probation": "assessments", "write_self_review": "assessments",
    # the application and personal history: relatives, places lived, family members in the Party
    "write_application": "personal_history",
    # what the verification of that history found, and what the bodies concluded and certified on it
    "record_verification": "verification", "conclude_verification_finding": "verification",
    "comment_on_history": "verification", "certify_history": "verification",
    # votes, appraisals and decisions with their reasons
    "record_cell_vote": "votes", "record_committee_vote": "votes", "appraise_subcommittee": "votes",
    "appraise_file": "votes", "decide_admission": "votes", "decide_recognition": "votes",
    "reconsider_after_failed_vote": "votes", "review_failed_recognition_vote": "votes",
}
OTHER = "other"
EVERY_SECTION = frozenset({*SECTION_OF_FORM.values(), OTHER, "attachments"})
DECIDING = EVERY_SECTION  # the cell, sub-committee, grassroots committee, board and standing committee

#: What each role reads beyond the identity and progress of a case in its scope. `citizen_id` is
#: the full identity number (masked otherwise); `attachments` the scanned documents, which may hold
#: anything (the signed application with its personal history), so they go with the deciding bodies.
ROLE_READS = {
    "cell_secretary": DECIDING | {"citizen_id"},  # prepares the file and fills in the official forms
    "subcommittee": DECIDING,
    "grassroots_committee": DECIDING,
    "org_board": DECIDING | {"citizen_id"},  # appraises the file for the standing committee
    "standing_committee": DECIDING,
    "auditor": EVERY_SECTION,  # the inspection committee checks everything (and is recorded doing it)
    "verifier": frozenset({"personal_history"}),  # checks the history the applicant declared
    "applicant": frozenset({"procedure", "personal_history"}),  # their own case, their own application
    "youth_union": frozenset({"procedure"}),
    "introducer": frozenset({"procedure"}),
    "political_center": frozenset({"procedure"}),  # the course
    "residence_cell": frozenset(),  # comments on conduct where the applicant lives: needs the identity only
    "admin": frozenset(),  # runs the software, not the cases
}

#: The pages of a case beyond its dossier (which everyone in scope opens, filtered as above), and
#: the pages over many cases. `history` is the audit timeline and rule checks, `print` the whole
#: file on paper, `diagram` the path on the diagram (administrators need it to move cases).
CASE_RECORD_PAGES = frozenset({"history", "diagram", "print"})
ROLE_PAGES = {
    "cell_secretary": CASE_RECORD_PAGES,
    "subcommittee": CASE_RECORD_PAGES,
    "grassroots_committee": CASE_RECORD_PAGES,
    "org_board": CASE_RECORD_PAGES | {"search", "export"},
    "standing_committee": CASE_RECORD_PAGES | {"search", "export"},
    "auditor": CASE_RECORD_PAGES | {"search", "export", "integrity"},
    "admin": frozenset({"diagram", "integrity"}),
}


@dataclass(frozen=True)
class Reader:
    """Who reads a case and in which role(s): what the policy is asked about, and what is recorded."""

    user_id: int
    roles: frozenset
    role: str | None  # the role the reading is recorded under (the acting one, when it counts)
    unit_id: int | None  # the unit of that role
    own_case: bool = False

    def reads(self, section):
        return any(section in ROLE_READS.get(role, ()) for role in self.roles)

    def opens(self, page):
        return any(page in ROLE_PAGES.get(role, ()) for role in self.roles)


def section_of(form_name):
    return SECTION_OF_FORM.get(form_name or "", OTHER)


def case_reader(user_id, instance, acting_assignment_id=None):
    """The reader of `instance`: the acting role if it reaches the case, else every role that does.

    A user acting as one role reads in that role only (the introducer who is also the cell's
    secretary reads as the introducer until they switch); when the acting role does not reach the
    case (or none is given: the CLI, the tests) the roles that do reach it count together.
    """
    held = db.session.execute(
        select(RoleAssignment.id, RoleAssignment.role, RoleAssignment.unit_id)
        .join(UnitClosure, UnitClosure.ancestor_id == RoleAssignment.unit_id)
        .where(RoleAssignment.user_id == user_id, UnitClosure.descendant_id == instance.unit_id)
        .order_by(UnitClosure.depth, RoleAssignment.id)).all()
    own = db.session.execute(select(Student.user_id).where(Student.id == instance.student_id)).scalar() == user_id
    acting = next((row for row in held if row.id == acting_assignment_id), None)
    chosen = [acting] if acting is not None else held
    roles = frozenset(row.role for row in chosen) | ({"applicant"} if own else frozenset())
    first = chosen[0] if chosen else None
    return Reader(user_id, roles, first.role if first else ("applicant" if own else None),
                  first.unit_id if first else None, own)


def _acted_on_open_steps(user_id, instance_id, acting):
    """The case's open steps waiting for this user: theirs by name, or their role in the step's unit."""
    mine = select(RoleAssignment.id).where(
        RoleAssignment.user_id == user_id, RoleAssignment.role == HumanTask.role,
        RoleAssignment.unit_id == HumanTask.unit_id)
    if acting is not None:
        mine = mine.where(RoleAssignment.id == acting.assignment_id)
    return (HumanTask.instance_id == instance_id, HumanTask.status == "open",
            or_(HumanTask.assignee_id == user_id, and_(HumanTask.assignee_id.is_(None), exists(mine))))


def acts_on_open_step(user_id, instance_id, acting=None):
    """Is the user the one an open step of this case waits for (its assignee, or its role in its unit)?

    With `acting` (the role they act in) only that role counts; without, any role they hold.
    """
    where = _acted_on_open_steps(user_id, instance_id, acting)
    return db.session.execute(select(exists(select(HumanTask.id).where(*where)))).scalar()


def open_steps_acted_on(user_id, instance_id, acting=None):
    """The ids of the open steps of this case the user may open (the same rule as acts_on_open_step)."""
    where = _acted_on_open_steps(user_id, instance_id, acting)
    return frozenset(db.session.execute(select(HumanTask.id).where(*where)).scalars())


def may_search_cases(acting):
    """The case search: auditors, organisation boards and standing committees, over their scope."""
    return acting is not None and "search" in ROLE_PAGES.get(acting.role, ())


def may_search_citizen_id(acting):
    """Finding a case by its full identity number: only the roles that read that number.

    Any other role's digits are compared with names only, so the answer never tells them
    whether a student with that number exists in their scope.
    """
    return acting is not None and "citizen_id" in ROLE_READS.get(acting.role, ())


def may_export_cases(acting):
    return acting is not None and "export" in ROLE_PAGES.get(acting.role, ())


def may_check_integrity(acting):
    """The audit chain's integrity page: auditors and administrators."""
    return acting is not None and "integrity" in ROLE_PAGES.get(acting.role, ())
