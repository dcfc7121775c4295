"""Who may name a deputy for which role, and who counts as of the same body (issue 12)."""
from sqlalchemy import exists, select

from ..extensions import db
from ..models import RoleAssignment

#: Roles a holder may hand to a deputy for a period. Not the personal ones (the applicant, an
#: introducer named on the case) nor administration and inspection, which are not steps of a body.
DEPUTISABLE_ROLES = ("youth_union", "cell_secretary", "verifier", "residence_cell", "political_center",
                     "subcommittee", "grassroots_committee", "org_board", "standing_committee")


def may_name_deputy(user_id, assignment):
    """The holder's own role, held in their own right (a deputy does not pass the role on)."""
    return (assignment is not None and assignment.user_id == user_id and assignment.deputyship_id is None
            and assignment.role in DEPUTISABLE_ROLES)


def may_cancel_deputyship(user_id, deputyship, *, is_admin=False):
    return deputyship.state in ("planned", "active") and (is_admin or deputyship.holder_id == user_id)


def of_the_same_body(user_id, unit_id):
    """Holds a role of their own (not as someone's deputy) in exactly that unit."""
    return db.session.execute(select(exists().where(
        RoleAssignment.user_id == user_id, RoleAssignment.unit_id == unit_id,
        RoleAssignment.deputyship_id.is_(None)))).scalar()
