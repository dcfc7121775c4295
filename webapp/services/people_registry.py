"""One person, one record: a citizen ID (CCCD) already registered with a live case is refused.

"Live" is every case that has not ended without admission: a case still running, waiting,
probationary — and one that ended with the person an official member (they are in the Party).
A case that ended rejected, removed, stopped or closed may be followed by a new one for the
same person (a later application, or re-admission after removal from the probationary list),
so the CCCD alone cannot be a unique key: the check is this query on the indexed
`student.citizen_id`, run in the registering transaction (a second row of one batch sees the
first). A party member of the register (`party_member.citizen_id`) still in a body is in the
Party without any case here (entered by hand or by CSV): refused too, with no case to link to.
See docs/modelling.md "One person, one record".
"""
from datetime import date

from sqlalchemy import select

from ..authz import can_see_instance
from ..extensions import db
from ..models import BodyMembership, PartyMember, ProcessInstance, Student
from .errors import InvalidSubmission

#: Statuses after which the same person may be registered again.
RESTARTABLE_STATUSES = ("rejected", "removed", "stopped", "closed")


class PersonAlreadyRegistered(InvalidSubmission):
    """The CCCD belongs to a live case (`instance_id`) or to a member of the register with no live
    case (`instance_id` None). Nothing was changed."""

    def __init__(self, citizen_id, instance_id):
        super().__init__({"citizen_id": ["citizen_id_registered"]})
        self.citizen_id = citizen_id
        self.instance_id = instance_id


def normalised_citizen_id(value):
    """The CCCD as stored: digits only, spaces and dots people type between groups dropped."""
    return "".join(ch for ch in str(value or "") if not ch.isspace() and ch not in ".-")


def live_case_of(citizen_id):
    """The id of the live case of the person with this CCCD, or None."""
    return db.session.execute(
        select(ProcessInstance.id).join(Student, Student.id == ProcessInstance.student_id)
        .where(Student.citizen_id == normalised_citizen_id(citizen_id),
               ProcessInstance.status.not_in(RESTARTABLE_STATUSES))
        .order_by(ProcessInstance.id).limit(1)).scalar()


def member_of_a_body(citizen_id):
    """The id of the register's party member with this CCCD who has not left every body, or None."""
    return db.session.execute(
        select(PartyMember.id).join(BodyMembership, BodyMembership.member_id == PartyMember.id)
        .where(PartyMember.citizen_id == normalised_citizen_id(citizen_id), BodyMembership.left_on.is_(None))
        .order_by(PartyMember.id).limit(1)).scalar()


def refuse_registered_person(citizen_id):
    existing = live_case_of(citizen_id)
    if existing is not None or member_of_a_body(citizen_id) is not None:
        raise PersonAlreadyRegistered(normalised_citizen_id(citizen_id), existing)


def existing_case_for(user_id, citizen_id):
    """The live case of this CCCD if `user_id` may open it (need-to-know scope), else None."""
    existing = live_case_of(citizen_id)
    return existing if existing is not None and can_see_instance(user_id, existing) else None


def refuse_impossible_birth(date_of_birth, today):
    """A date of birth in the future (or one no living applicant has) is a typing error."""
    if isinstance(date_of_birth, str):
        try:
            date_of_birth = date.fromisoformat(date_of_birth)
        except ValueError:
            raise InvalidSubmission({"date_of_birth": ["invalid"]}) from None
    if isinstance(date_of_birth, date) and (date_of_birth > today or date_of_birth.year < 1900):
        raise InvalidSubmission({"date_of_birth": ["date_of_birth_impossible"]})
