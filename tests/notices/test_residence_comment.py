"""Issue 12: the residence comment is written by the cell where the student lives when that cell is
in the tree — sent there by the case's cell, answered from its own secretary's inbox, who reads only
whom it is about; wrong senders, wrong units and a second sending refused with nothing changed."""
import pytest
from sqlalchemy import select

from webapp.extensions import db
from webapp.models import HumanTask, InstanceEvent, Notice, OrgUnit
from webapp.services import Forbidden, InvalidSubmission, complete_task
from webapp.services.dossier import case_dossier
from webapp.services.residence_comment import residence_step, send_to_residence_cell

CELL, RESIDENCE = "TQ-LN-THPT", "TQ-CX-THPT-1"


@pytest.fixture()
def commenting(start_case, driver, world):
    case = start_case(CELL)
    driver.run(case.id, until="write_residence_comment")
    step = residence_step(case.id)
    assert step.status == "open" and not step.sent_to_residence_cell
    return case, step, world.users[(CELL, "cell_secretary")]


def _task(step):
    return db.session.get(HumanTask, step.task_id)


def test_sent_to_the_residence_cell_it_is_written_there_by_its_own_secretary(commenting, driver, world):
    case, step, secretary = commenting
    residence = world.cells[RESIDENCE]
    send_to_residence_cell(secretary, case.id, residence.id, now=driver.now)

    task = _task(step)
    assert (task.unit_id, task.role) == (residence.id, "cell_secretary")
    their_secretary = world.users[(RESIDENCE, "cell_secretary")]
    told = db.session.execute(select(Notice.user_id).where(Notice.kind == "residence_comment_requested")).scalars()
    assert list(told) == [their_secretary.id]
    [event] = db.session.execute(select(InstanceEvent).where(
        InstanceEvent.instance_id == case.id, InstanceEvent.kind == "residence_comment_requested")).scalars()
    assert event.payload["residence_unit"] == residence.name
    # they read whom it is about, not the dossier
    dossier = case_dossier(their_secretary.id, case.id)
    assert dossier.steps == () and dossier.student.full_name

    with pytest.raises(Forbidden):  # the school cell's own residence role no longer writes it
        complete_task(world.users[(CELL, "residence_cell")], task.id, driver.answers(task), now=driver.now)
    complete_task(their_secretary, task.id, driver.answers(task), now=driver.now)
    done = residence_step(case.id)
    assert done.status == "completed" and done.unit_name == residence.name


def test_not_sent_it_stays_with_the_school_cell_that_records_the_paper_comment(commenting, driver, world):
    case, step, _secretary = commenting
    task = _task(step)
    complete_task(world.users[(CELL, "residence_cell")], task.id, driver.answers(task), now=driver.now)
    assert residence_step(case.id).status == "completed"


@pytest.mark.parametrize("who, where, refusal", [
    ((CELL, "residence_cell"), RESIDENCE, Forbidden),  # not the case's secretary
    ((RESIDENCE, "cell_secretary"), RESIDENCE, Forbidden),  # another cell's secretary
    ((CELL, "cell_secretary"), CELL, InvalidSubmission),  # its own cell
    ((CELL, "cell_secretary"), "TQ-LN", InvalidSubmission),  # not a cell
])
def test_wrong_senders_and_units_are_refused_and_nothing_moves(commenting, driver, world, who, where, refusal):
    case, step, _secretary = commenting
    unit = db.session.execute(select(OrgUnit).where(OrgUnit.code == where)).scalar_one()
    before = (_task(step).unit_id, _task(step).role)
    with pytest.raises(refusal):
        send_to_residence_cell(world.users[who], case.id, unit.id, now=driver.now)
    db.session.rollback()
    assert (_task(step).unit_id, _task(step).role) == before


def test_sent_twice_is_refused(commenting, driver, world):
    case, _step, secretary = commenting
    send_to_residence_cell(secretary, case.id, world.cells[RESIDENCE].id, now=driver.now)
    with pytest.raises(InvalidSubmission) as refused:
        send_to_residence_cell(secretary, case.id, world.cells[RESIDENCE].id, now=driver.now)
    assert refused.value.errors == {"residence": ["residence_already_sent"]}
