"""May this user add a scan to this case? Those acting on its open step, and its cell secretary.

A scan is evidence in the dossier: the people who record a step attach its signed papers, and the
cell secretary keeps the dossier of the cell's case. Everyone else who can read the case (upper
levels, the inspection committee, the administrator) reads attachments but does not add them.
"""
from sqlalchemy import exists, select

from ..extensions import db
from ..models import RoleAssignment
from .need_to_know import acts_on_open_step

CELL_SECRETARY = "cell_secretary"


def keeps_the_dossier(user_id, instance):
    """Is the user the secretary of the case's own cell?"""
    return db.session.execute(select(exists(select(RoleAssignment.id).where(
        RoleAssignment.user_id == user_id, RoleAssignment.role == CELL_SECRETARY,
        RoleAssignment.unit_id == instance.unit_id)))).scalar()


def may_add_attachment(user_id, instance):
    """Whether the user acts on one of the case's open steps or is the secretary of the case's cell."""
    return acts_on_open_step(user_id, instance.id) or keeps_the_dossier(user_id, instance)
