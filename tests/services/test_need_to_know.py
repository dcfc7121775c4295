"""Need-to-know through the services: who acts on a step, what each role reads, which readings are recorded.

The hostile readers are the ones issue 9 found: the province's standing committee deciding in a
district committee's place, and every role at or above a case reading its relatives and the
verification findings.
"""
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from webapp.authz import acting_assignment
from webapp.extensions import db
from webapp.models import HumanTask, InstanceEvent, OrgUnit, RoleAssignment
from webapp.services import Forbidden, case_dossier, case_timeline, complete_task, inbox, record_view, task_page
from webapp.services.auth import acting_roles
from webapp.services.inbox import InboxFilters
from webapp.services.organisation import create_user, grant_role

from .helpers import task_named

RELATIVE = "Nguyễn Thị Bí Mật"
FINDING_NOTE = "Ông nội từng làm việc cho chế độ cũ"
OVERRIDES = {"write_application": {"relatives": f"{RELATIVE}\nLê Văn Cha"},
             "record_verification": {"verification_notes": FINDING_NOTE}}


def _unit(code):
    return db.session.execute(select(OrgUnit).where(OrgUnit.code == code)).scalar_one()


def _assignment(user):
    return db.session.execute(select(RoleAssignment).where(RoleAssignment.user_id == user.id)).scalar_one()


def _acting(user):
    (acting,) = acting_roles(user.id)
    return acting


def _counts(instance_id):
    db.session.expire_all()
    return (db.session.execute(select(func.count()).select_from(InstanceEvent)).scalar(),
            dict(db.session.execute(select(HumanTask.status, func.count()).where(HumanTask.instance_id == instance_id)
                                    .group_by(HumanTask.status)).all()))


@pytest.fixture()
def at_decision(world, driver, start_case):
    """A Chiêm Hóa case waiting for Huyện ủy Chiêm Hóa's decision (2021 rules: the district decides)."""
    case = start_case("TQ-CH-THPT", full_name="Hoàng Thị Quyết")
    driver.run(case.id, until="decide_admission")
    return case, task_named(case.id, "decide_admission")


def test_the_province_standing_committee_cannot_decide_in_the_district_committees_place(world, driver, at_decision):
    case, task = at_decision
    province = world.users[("TQ", "standing_committee")]
    district = world.users[("TQ-CH", "standing_committee")]
    assert task.unit_id == _unit("TQ-CH").id
    before = _counts(case.id)
    for picked in (None, _assignment(province).id):  # with or without naming the province role
        with pytest.raises(Forbidden):
            complete_task(province, task.id, driver.answers(task), acting_assignment_id=picked,
                          now=driver.now + timedelta(days=1))
        with pytest.raises(Forbidden):
            task_page(province, task.id, picked)
    assert _counts(case.id) == before  # nothing written: the task is still open, no event
    assert acting_assignment(province.id, "standing_committee", task.unit_id) is None

    today = (driver.now + timedelta(hours=7)).date()
    assert task.id not in [row.task_id for row in inbox(province.id, _acting(province), InboxFilters(), today).rows]
    assert task.id in [row.task_id for row in inbox(district.id, _acting(district), InboxFilters(), today).rows]
    complete_task(district, task.id, driver.answers(task), now=driver.now + timedelta(days=1))
    assert db.session.get(HumanTask, task.id).completed_by_id == district.id


def test_a_role_picked_in_another_unit_does_not_act_here(world, driver, at_decision):
    """Holding the role in the right unit and acting in the same role elsewhere: the picked one must fit."""
    _case, task = at_decision
    district = world.users[("TQ-CH", "standing_committee")]
    elsewhere = grant_role(district, "standing_committee", _unit("TQ-LN"))
    db.session.commit()
    with pytest.raises(Forbidden):
        complete_task(district, task.id, driver.answers(task), acting_assignment_id=elsewhere.id,
                      now=driver.now + timedelta(days=1))
    assert db.session.get(HumanTask, task.id).status == "open"


@pytest.fixture()
def verified(world, driver, start_case):
    """A Lộc Ninh case past its application and verification, waiting for the cell meeting's plan."""
    case = start_case("TQ-LN-THPT", full_name="Phạm Văn Kín", citizen_id="001207099887")
    driver.run(case.id, until="plan_cell_meeting", overrides=OVERRIDES)
    return case


def _read(user, case_id, acting_assignment_id=None):
    """{step name: shown values as text, or None when withheld}, the CCCD as shown, the attachments."""
    dossier = case_dossier(user.id, case_id, acting_assignment_id)
    steps = {step.spec_name: None if step.withheld else " ".join(str(item.value) for item in step.fields)
             for step in dossier.steps}
    return steps, dossier.citizen_id_shown


@pytest.mark.parametrize(("who", "application", "verification", "full_id"), [
    (("TQ-LN-THPT", "cell_secretary"), True, True, True),
    (("TQ-LN", "org_board"), True, True, True),
    (("TQ-LN", "standing_committee"), True, True, False),
    (("TQ", "standing_committee"), True, True, False),  # an upper level reads (and is recorded reading)
    ("auditor", True, True, False),
    (("TQ-LN-THPT", "introducer"), False, False, False),
    (("TQ-LN-THPT", "residence_cell"), False, False, False),
    (("TQ-LN-THPT", "youth_union"), False, False, False),
    (("TQ-LN", "political_center"), False, False, False),
    ("admin", False, False, False),
])
def test_each_role_reads_only_its_kinds_of_data(world, verified, who, application, verification, full_id):
    steps, shown_id = _read(world.users[who], verified.id)
    assert (steps["write_application"] is not None and RELATIVE in steps["write_application"]) is application
    assert (steps["record_verification"] is not None and FINDING_NOTE in steps["record_verification"]) is verification
    assert (shown_id == "001207099887") is full_id
    if not full_id:
        assert shown_id.endswith("887") and "001207" not in shown_id
    # Everyone in scope still sees that the steps happened (progress), only the values are withheld.
    assert {"write_application", "record_verification", "write_residence_comment"} <= set(steps)


def test_the_verifier_reads_the_declared_history_and_what_they_found_themselves(world, verified):
    verifier = world.users[("TQ-LN-THPT", "verifier")]  # the demo driver let this verifier verify
    steps, _ = _read(verifier, verified.id)
    assert RELATIVE in steps["write_application"]
    assert FINDING_NOTE in steps["record_verification"]  # their own entry
    assert steps["write_introduction_letters"] is None and steps["write_residence_comment"] is None

    other = create_user(username="tq-ln-thpt.verifier2", full_name="Đỗ Văn Thẩm", password="x" * 16)
    grant_role(other, "verifier", world.cells["TQ-LN-THPT"])
    db.session.commit()
    steps, _ = _read(other, verified.id)
    assert RELATIVE in steps["write_application"] and steps["record_verification"] is None


def test_the_acting_role_decides_what_a_user_with_two_roles_reads(world, verified):
    introducer = world.users[("TQ-LN-THPT", "introducer")]
    secretary_role = grant_role(introducer, "cell_secretary", world.cells["TQ-LN-THPT"])
    db.session.commit()
    as_introducer = _assignment_of(introducer, "introducer")
    assert _read(introducer, verified.id, as_introducer)[0]["write_application"] is None
    assert RELATIVE in _read(introducer, verified.id, secretary_role.id)[0]["write_application"]


def _assignment_of(user, role):
    return db.session.execute(select(RoleAssignment.id).where(
        RoleAssignment.user_id == user.id, RoleAssignment.role == role)).scalar_one()


def test_the_timeline_withholds_the_same_data(world, verified):
    def recorded(user):
        _, entries = case_timeline(user, verified.id, record=False)
        return {entry.task_spec: entry.data for entry in entries if entry.kind == "task_completed"}

    assert RELATIVE in recorded(world.users["auditor"])["write_application"]["relatives"]
    for who in (("TQ-LN-THPT", "introducer"), ("TQ-LN-THPT", "residence_cell"), "admin"):
        data = recorded(world.users[who])
        assert data["write_application"] == {} and data["record_verification"] == {}
        assert RELATIVE not in str(case_timeline(world.users[who], verified.id, record=False)[1])


def _views(case_id):
    db.session.expire_all()
    return db.session.execute(select(InstanceEvent).where(
        InstanceEvent.instance_id == case_id, InstanceEvent.kind == "dossier_viewed")
        .order_by(InstanceEvent.seq)).scalars().all()


def test_readings_by_anyone_not_acting_on_the_open_step_are_recorded_with_role_and_unit(world, verified):
    # The open step is the cell secretary's (plan the meeting): their reading is their work.
    secretary = world.users[("TQ-LN-THPT", "cell_secretary")]
    record_view(secretary, verified, "dossier", acting=_acting(secretary))
    assert _views(verified.id) == []
    for who, role, unit in ((("TQ", "standing_committee"), "standing_committee", "TQ"),
                            ("auditor", "auditor", "TQ"), ("admin", "admin", "TQ"),
                            (("TQ-LN-THPT", "introducer"), "introducer", "TQ-LN-THPT"),
                            (("TQ-LN", "org_board"), "org_board", "TQ-LN")):
        record_view(world.users[who], verified, "dossier", acting=_acting(world.users[who]))
        last = _views(verified.id)[-1]
        assert (last.actor_id, last.actor_role, last.actor_unit_id, last.payload) == (
            world.users[who].id, role, _unit(unit).id, {"view": "dossier"})
    assert len(_views(verified.id)) == 5


def test_the_province_acting_in_the_step_role_is_still_not_the_steps_actor(world, at_decision):
    """tq.standing_committee holds the step's role but not in the step's unit: its reading is recorded."""
    case, _task = at_decision
    province = world.users[("TQ", "standing_committee")]
    record_view(province, case, "dossier", acting=_acting(province))
    district = world.users[("TQ-CH", "standing_committee")]
    record_view(district, case, "dossier", acting=_acting(district))
    assert [(view.actor_id, view.actor_unit_id) for view in _views(case.id)] == [(province.id, _unit("TQ").id)]
