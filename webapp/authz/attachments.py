"""May this user add a scan to this case? Those acting on its open step, and its cell secretary.

A scan is evidence in the dossier: the people who record a step attach its signed papers, and the
cell secretary keeps the dossier of the cell's case. Everyone else who can read the case (upper
levels, the inspection committee, the administrator) reads attachments but does not add them.
A step's holders are the holders of its lane in the step's own unit (`human_task.unit_id`), or the
person it is assigned to (the applicant's own account).
"""
from sqlalchemy import and_, exists, or_, select

from ..extensions import db
from ..models import HumanTask, RoleAssignment

CELL_SECRETARY = "cell_secretary"


def may_add_attachment(user_id, instance):
    """Whether the user acts on one of the case's open steps or is the secretary of the case's cell."""
    holds = select(RoleAssignment.id).where(RoleAssignment.user_id == user_id)
    holds_the_lane = exists(holds.where(RoleAssignment.role == HumanTask.role,
                                        RoleAssignment.unit_id == HumanTask.unit_id))
    acts_on_an_open_step = exists(select(HumanTask.id).where(
        HumanTask.instance_id == instance.id, HumanTask.status == "open",
        or_(HumanTask.assignee_id == user_id, and_(HumanTask.assignee_id.is_(None), holds_the_lane))))
    keeps_the_dossier = exists(holds.where(RoleAssignment.role == CELL_SECRETARY,
                                           RoleAssignment.unit_id == instance.unit_id))
    return db.session.execute(select(or_(acts_on_an_open_step, keeps_the_dossier))).scalar()
