"""Who sends a verification request or the residence comment, and who answers them where they
arrive (issue 12)."""
from sqlalchemy import exists, select

from ..extensions import db
from ..models import HumanTask, OrgUnit, ProcessInstance, RoleAssignment, User, VerificationRequest

#: The step the committee of the cell where the student lives writes (5-KNĐ's residence part).
RESIDENCE_STEP = "write_residence_comment"

#: Who answers a request at a unit of each kind: a cell's verifier (appointed by the cell) or, when
#: it has none, its secretary; a committee's own body otherwise. The applicant and the relatives
#: never answer: the step's independence check (services/tasks.py) refuses them by name.
ANSWERING_ROLES = {
    "cell": ("verifier", "cell_secretary"),
    "grassroots_cell": ("verifier", "cell_secretary"),
    "grassroots_committee": ("grassroots_committee",),
    "subcommittee": ("subcommittee",),
    "commune": ("org_board", "standing_committee"),
    "district": ("org_board", "standing_committee"),
    "province": ("org_board", "standing_committee"),
}


def may_send_verification(user_id, instance):
    """The secretary of the case's own cell sends the requests of its verification."""
    return db.session.execute(select(exists().where(
        RoleAssignment.user_id == user_id, RoleAssignment.role == "cell_secretary",
        RoleAssignment.unit_id == instance.unit_id))).scalar()


def answering_role(unit_id):
    """The role that answers a request at `unit_id`: the first of its kind's roles someone active
    holds there, or None when nobody there could answer it."""
    unit = db.session.get(OrgUnit, unit_id)
    for role in ANSWERING_ROLES.get(unit.kind if unit else None, ()):
        held = db.session.execute(select(exists().where(
            RoleAssignment.role == role, RoleAssignment.unit_id == unit_id, RoleAssignment.user_id == User.id,
            User.active))).scalar()
        if held:
            return role
    return None


def residence_comment_role(unit_id):
    """The role that writes a residence comment at the cell `unit_id` (its secretary, for its
    committee), or None when nobody active holds it there."""
    return "cell_secretary" if db.session.execute(select(exists().where(
        RoleAssignment.role == "cell_secretary", RoleAssignment.unit_id == unit_id, RoleAssignment.user_id == User.id,
        User.active))).scalar() else None


def _writes_a_residence_comment(user_id, instance_id):
    """An open residence comment step of the case sent to another cell, waiting for this user there."""
    return db.session.execute(select(exists().where(
        HumanTask.instance_id == instance_id, HumanTask.spec_name == RESIDENCE_STEP, HumanTask.status == "open",
        ProcessInstance.id == HumanTask.instance_id, HumanTask.unit_id != ProcessInstance.unit_id,
        RoleAssignment.user_id == user_id, RoleAssignment.role == HumanTask.role,
        RoleAssignment.unit_id == HumanTask.unit_id))).scalar()


def answers_a_request(user_id, instance_id):
    """Does the user hold the role an open verification request of this case waits for, at the
    addressee unit? Such a reader is outside the case's scope and reads only what the request asks
    about (the student's identity and their own step), never the dossier. The residence cell a
    residence comment was sent to reads the same."""
    if _writes_a_residence_comment(user_id, instance_id):
        return True
    return db.session.execute(select(exists().where(
        VerificationRequest.instance_id == instance_id, VerificationRequest.addressee_unit_id.is_not(None),
        HumanTask.id == VerificationRequest.task_id, HumanTask.status == "open",
        RoleAssignment.user_id == user_id, RoleAssignment.role == HumanTask.role,
        RoleAssignment.unit_id == HumanTask.unit_id))).scalar()
