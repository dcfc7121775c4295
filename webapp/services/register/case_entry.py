"""The case enters the register itself: probationary at the ceremony, official at recognition.

Called by services/tasks.py after a step completed, in the same transaction (the completion's
commit writes both, a failure writes neither). The dates are the case's own: the ceremony date
typed at `hold_ceremony`, and for recognition the end of probation (domain §2 step 15 [C]:
"recognised as of the end of the 12 months even when late"), `probation_months` of the case's
rule set after the ceremony.
"""
from sqlalchemy import select

from ...extensions import db
from ...models import HumanTask, Student
from ...models.register import BodyMembership, PartyMember
from ...rules.dates import add_months, as_date
from ...rules.rulesets import rule_value
from ..audit import append_event

CEREMONY_STEP = "hold_ceremony"
RECOGNITION_STEPS = ("decide_recognition", "decide_recognition_delegated")


def _ceremony_date(instance, data):
    if data.get("ceremony_date"):
        return as_date(data["ceremony_date"], name="ceremony_date")
    submitted = db.session.execute(select(HumanTask.submitted).where(
        HumanTask.instance_id == instance.id, HumanTask.spec_name == CEREMONY_STEP,
        HumanTask.status == "completed").order_by(HumanTask.completed_at.desc()).limit(1)).scalar_one_or_none()
    value = (submitted or {}).get("ceremony_date")
    return as_date(value, name="ceremony_date") if value else None


def _member_of_student(student):
    return db.session.execute(select(PartyMember).where(PartyMember.student_id == student.id)).scalar_one_or_none()


def _cell_membership(member, unit_id):
    return db.session.execute(select(BodyMembership).where(
        BodyMembership.member_id == member.id, BodyMembership.unit_id == unit_id, BodyMembership.body == "cell",
        BodyMembership.left_on.is_(None)).order_by(BodyMembership.id.desc()).limit(1)).scalar_one_or_none()


def _admit(instance, student, ceremony, now, actor):
    member = _member_of_student(student)
    if member is None:
        member = PartyMember(full_name=student.full_name, date_of_birth=student.date_of_birth,
                             citizen_id=student.citizen_id, user_id=_free_account(student.user_id),
                             student_id=student.id)
        db.session.add(member)
    member.admitted_on, member.official_on = ceremony, None
    db.session.flush()
    if _cell_membership(member, instance.unit_id) is None:
        db.session.add(BodyMembership(member_id=member.id, unit_id=instance.unit_id, body="cell", joined_on=ceremony))
    db.session.flush()
    append_event(kind="member_entered", occurred_at=now, instance_id=instance.id, actor=actor,
                 payload={"member_id": member.id, "unit_id": instance.unit_id, "member_status": "probationary",
                          "admitted_on": ceremony, "source": CEREMONY_STEP})


def _free_account(user_id):
    """The student's account becomes the member's, unless another member already holds it."""
    if user_id is None:
        return None
    taken = db.session.execute(select(PartyMember.id).where(PartyMember.user_id == user_id)).first()
    return None if taken else user_id


def _recognise(instance, student, data, now, actor, spec_name):
    decision = data.get("recognition_decision")
    member = _member_of_student(student)
    if member is None:  # a case that passed its ceremony before the register existed
        ceremony = _ceremony_date(instance, {})
        if ceremony is None:
            return
        _admit(instance, student, ceremony, now, actor)
        member = _member_of_student(student)
    if decision == "recognise":
        months = rule_value(instance.rule_set, "probation_months")
        before, member.official_on = member.official_on, add_months(member.admitted_on, months)
        append_event(kind="member_changed", occurred_at=now, instance_id=instance.id, actor=actor,
                     payload={"member_id": member.id, "before": {"official_on": before},
                              "after": {"official_on": member.official_on}, "source": spec_name})
    elif decision == "remove":
        day = as_date(data.get("recognition_decision_date") or now.date(), name="recognition_decision_date")
        membership = _cell_membership(member, instance.unit_id)
        if membership is not None:
            membership.left_on, membership.left_reason = day, "removed_from_probation"
            append_event(kind="member_left", occurred_at=now, instance_id=instance.id, actor=actor,
                         payload={"member_id": member.id, "membership_id": membership.id, "left_on": day,
                                  "reason": "removed_from_probation", "source": spec_name})


def enter_case_into_register(instance, spec_name, data, now, actor=None):
    """Record in the register what the completed step `spec_name` decided (nothing for other steps)."""
    if spec_name not in (CEREMONY_STEP, *RECOGNITION_STEPS):
        return
    student = db.session.get(Student, instance.student_id)
    if spec_name == CEREMONY_STEP:
        ceremony = _ceremony_date(instance, data)
        if ceremony is not None:
            _admit(instance, student, ceremony, now, actor)
    else:
        _recognise(instance, student, data, now, actor, spec_name)
