"""The case enters the register itself: probationary at the ceremony, official at recognition, gone when removed."""
from datetime import date

from sqlalchemy import select

from tests.services.helpers import task_named
from webapp.extensions import db
from webapp.models import InstanceEvent
from webapp.models.register import BodyMembership, PartyMember
from webapp.services.register import counted_members, standing

CELL = "TQ-LN-THPT"


def _events(kind):
    return db.session.execute(select(InstanceEvent).where(InstanceEvent.kind == kind)
                              .order_by(InstanceEvent.seq)).scalars().all()


def _membership(member, body="cell"):
    return db.session.execute(select(BodyMembership).where(
        BodyMembership.member_id == member.id, BodyMembership.body == body)).scalar_one()


def test_the_case_enters_the_register_probationary_at_the_ceremony_and_official_at_recognition(
        world, start_case, driver):
    instance = start_case(CELL)
    cell = world.cells[CELL].id
    driver.run(instance.id, until="hold_ceremony")
    before = len(counted_members(cell, date(2030, 1, 1)).probationary)
    ceremony_task = task_named(instance.id, "hold_ceremony")
    driver.complete(ceremony_task)
    ceremony_day = date.fromisoformat(ceremony_task.submitted["ceremony_date"])
    member = db.session.execute(select(PartyMember).where(
        PartyMember.student_id == instance.student_id)).scalar_one()
    assert (member.admitted_on, member.official_on, member.full_name) == (ceremony_day, None, "Nguyễn Văn An")
    assert standing(member.id, cell, ceremony_day).status == "probationary"
    assert standing(member.id, cell, ceremony_day).joined_unit_on == ceremony_day
    assert len(counted_members(cell, ceremony_day).probationary) == before + 1
    entered = [e for e in _events("member_entered") if e.instance_id == instance.id]
    assert entered and entered[0].payload["source"] == "hold_ceremony"

    driver.run(instance.id, until=("decide_recognition", "decide_recognition_delegated"))
    db.session.refresh(member)
    assert member.official_on is None  # still probationary while the recognition is being decided
    decision = next(t for t in driver.open_tasks(instance.id) if t.spec_name.startswith("decide_recognition"))
    driver.complete(decision)
    db.session.refresh(member)
    end_of_probation = date(ceremony_day.year + 1, ceremony_day.month, ceremony_day.day)
    assert member.official_on == end_of_probation  # as of the end of the 12 months, even when decided later
    assert standing(member.id, cell, end_of_probation).status == "official"
    assert member.id in counted_members(cell, end_of_probation).official_ids
    assert [e.payload["after"] for e in _events("member_changed") if e.instance_id == instance.id] == [
        {"official_on": end_of_probation.isoformat()}]


def test_a_member_removed_from_the_probationary_list_leaves_the_cell(world, start_case, driver):
    instance = start_case(CELL)
    cell = world.cells[CELL].id
    removal = {"recognition_decision": "remove", "recognition_reason": "Vi phạm tư cách đảng viên."}
    driver.run(instance.id, until=("decide_recognition", "decide_recognition_delegated"))
    decision = next(t for t in driver.open_tasks(instance.id) if t.spec_name.startswith("decide_recognition"))
    driver.complete(decision, {decision.spec_name: removal})
    member = db.session.execute(select(PartyMember).where(
        PartyMember.student_id == instance.student_id)).scalar_one()
    membership = _membership(member)
    assert membership.left_reason == "removed_from_probation" and member.official_on is None
    assert member.id not in {e.member_id for e in counted_members(cell, membership.left_on).probationary}
