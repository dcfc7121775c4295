"""Issue 12: verification requests as letters — one inside the tree answered by the addressee's own
users from their inbox, one outside recorded by the cell, one overdue reminded then escalated; the
due day from the case's rule set counted from the day sent; wrong senders, dates and addressees
refused with nothing changed."""
from datetime import datetime, time, timedelta

import pytest
from sqlalchemy import select

from webapp import rules
from webapp.extensions import db
from webapp.models import HumanTask, InstanceEvent, Notice, OrgUnit, VerificationRequest
from webapp.services import Forbidden, InvalidSubmission, complete_task
from webapp.services.clock import VIETNAM
from webapp.services.reminders import run_due_reminders
from webapp.services.verification_letters import places_to_verify, send_request

CELL, ELSEWHERE = "TQ-LN-THPT", "TQ-CX-THPT-1"


@pytest.fixture()
def verifying(start_case, driver, world):
    case = start_case(CELL)
    driver.run(case.id, until="record_verification")
    places = places_to_verify(case.id, driver.local_day())
    assert len(places) >= 2 and all(p.state == "to_send" for p in places) and all(p.place for p in places)
    return case, places, world.users[(CELL, "cell_secretary")]


def _send(secretary, place, driver, **values):
    fields = {"number": "15-CV/CB", "sent_on": driver.local_day(), "persons": ["applicant", "father"],
              "sent_by": "post"} | values
    return send_request(secretary, place.task_id, now=driver.now, **fields)


def test_a_request_inside_the_tree_is_answered_by_the_addressee_from_their_inbox(verifying, driver, world):
    case, places, secretary = verifying
    addressee = world.cells[ELSEWHERE]
    request = _send(secretary, places[0], driver, addressee_unit_id=addressee.id, sent_by="system")
    task = db.session.get(HumanTask, places[0].task_id)
    assert (task.unit_id, task.role) == (addressee.id, "verifier")
    days = rules.rule_value(db.session.get(type(case), case.id).rule_set, "verification_working_days")
    assert request.due_on == task.due_on == rules.add_working_days(driver.local_day(), days)
    told = db.session.execute(select(Notice.user_id).where(Notice.kind == "verification_requested")).scalars().all()
    assert told == [world.users[(ELSEWHERE, "verifier")].id]

    own_verifier = world.users[(CELL, "verifier")]
    with pytest.raises(Forbidden):
        complete_task(own_verifier, task.id, driver.answers(task), now=driver.now)
    answerer = world.users[(ELSEWHERE, "verifier")]
    driver.now += timedelta(days=2)
    complete_task(answerer, task.id, driver.answers(task), now=driver.now)
    [row, *_] = places_to_verify(case.id, driver.local_day())
    assert row.state == "answered" and row.addressee == addressee.name


def test_a_request_outside_the_tree_stays_with_the_cell(verifying, driver, world):
    case, places, secretary = verifying
    _send(secretary, places[1], driver, addressee_name="Công ty CP Xi măng Tân Quang",
          addressee_address="Tổ 5, phường Tràng Đà, TP Tuyên Quang")
    task = db.session.get(HumanTask, places[1].task_id)
    assert (task.unit_id, task.role) == (world.cells[CELL].id, "verifier")
    row = places_to_verify(case.id, driver.local_day())[1]
    assert row.state == "sent" and row.addressee == "Công ty CP Xi măng Tân Quang"
    [event] = db.session.execute(select(InstanceEvent.payload).where(
        InstanceEvent.instance_id == case.id, InstanceEvent.kind == "verification_requested")).scalars().all()
    assert event["number"] == "15-CV/CB" and event["persons"] == ["applicant", "father"]


def test_an_overdue_request_is_reminded_then_escalated_and_shown_overdue(verifying, driver, world):
    case, places, secretary = verifying
    request = _send(secretary, places[0], driver, addressee_unit_id=world.cells[ELSEWHERE].id)
    late = rules.add_working_days(request.due_on, 1)
    assert run_due_reminders(datetime.combine(late, time(9), VIETNAM)).escalated >= 1
    escalated = db.session.execute(select(Notice.task_id).where(Notice.kind == "escalated")).scalars().all()
    assert places[0].task_id in escalated
    assert places_to_verify(case.id, late)[0].state == "overdue"


@pytest.mark.parametrize(("values", "field", "code"), [
    ({"number": ""}, "number", "number_needed"),
    ({"sent_on": "future"}, "sent_on", "sent_in_future"),
    ({"sent_on": "before application"}, "sent_on", "sent_before_application"),
    ({"persons": []}, "persons", "persons_needed"),
    ({"persons": ["cousin"]}, "persons", "persons_needed"),
    ({"sent_by": "pigeon"}, "sent_by", "unknown_way"),
    ({}, "addressee", "addressee_needed"),
    ({"addressee_name": "Xã A"}, "addressee", "addressee_needed"),
    ({"addressee_unit_id": 10 ** 6}, "addressee", "unknown_unit"),
    ({"addressee_unit_id": "unit", "addressee_name": "Xã A"}, "addressee", "one_addressee"),
])
def test_a_wrong_request_is_refused_and_changes_nothing(verifying, driver, world, values, field, code):
    _case, places, secretary = verifying
    if values.get("sent_on") == "future":
        values = {**values, "sent_on": driver.local_day() + timedelta(days=1)}
    if values.get("sent_on") == "before application":
        values = {**values, "sent_on": driver.local_day() - timedelta(days=400)}
    if values.get("addressee_unit_id") == "unit":
        values = {**values, "addressee_unit_id": world.cells[ELSEWHERE].id}
    task = db.session.get(HumanTask, places[0].task_id)
    before = (task.unit_id, task.role, task.due_on)
    with pytest.raises(InvalidSubmission) as refused:
        _send(secretary, places[0], driver, **values)
    assert refused.value.errors[field] == [code]
    db.session.rollback()
    task = db.session.get(HumanTask, places[0].task_id)
    assert (task.unit_id, task.role, task.due_on) == before
    assert db.session.execute(select(VerificationRequest)).first() is None


def test_only_the_cases_cell_secretary_sends_and_only_once(verifying, driver, world):
    _case, places, secretary = verifying
    outsider = world.users[(ELSEWHERE, "cell_secretary")]
    with pytest.raises(Forbidden):
        _send(outsider, places[0], driver, addressee_unit_id=world.cells[ELSEWHERE].id)
    _send(secretary, places[0], driver, addressee_unit_id=world.cells[ELSEWHERE].id)
    with pytest.raises(InvalidSubmission) as again:
        _send(secretary, places[0], driver, addressee_unit_id=world.cells[ELSEWHERE].id)
    assert again.value.errors == {"task": ["already_sent"]}


def test_a_committee_addressee_answers_through_its_own_body(verifying, driver, world):
    _case, places, secretary = verifying
    commune = db.session.execute(select(OrgUnit).where(OrgUnit.code == "TQ-CX")).scalar_one()
    _send(secretary, places[0], driver, addressee_unit_id=commune.id)
    task = db.session.get(HumanTask, places[0].task_id)
    assert (task.unit_id, task.role) == (commune.id, "org_board")
