"""What one task POST costs the database: counted, so the round trips cannot creep back (issue 14).

The statements are counted on the engine (`before_cursor_execute`), for the POST alone: the
CSRF token is fetched before counting starts. PostgreSQL's pool ping and BEGIN are not
statements SQLAlchemy executes and are not counted. docs/performance.md gives the figures.
"""
from contextlib import contextmanager

import pytest
from sqlalchemy import event
from sqlalchemy.orm import Session

from webapp.demo.answers import answers_for
from webapp.extensions import db
from webapp.services.register_choices import choice_answers

from .helpers import alerts, open_task, redirect_path

# A plain step (the cell secretary adds the student to the sympathiser list) ran 29 statements
# before issue 14, 11 of them after the commit only for the flash message; 15 since. One more is
# left for a lawful read a future rule may need. Issue 10 then made this step choose the helper from
# the cell's member register and check the chosen member's standing there on the act's date: 20 since
# (those four reads are the check itself). Issue 15 added one read of the task's claim, so that a
# colleague recording over a claim is asked to confirm first (tasks/claim_panel.py): 21.
# Issue 15 also deletes the drafts of the tasks the step closed (one DELETE), and issue 11 writes the stage
# the step reached with the case (one read of the stages already reached, one INSERT); the submission no
# longer draws the register and member choices it never shows (two reads fewer): 22. More means
# something went wrong.
CEILING_PLAIN_STEP = 22
# The background verification also checks the verifier is not the applicant or a relative
# (the student comes with the lock, no read of its own): 29 before, 14 since; 17 with the claim read
# of issue 15.
CEILING_VERIFICATION = 17
COURSE_STUDENTS = ("Nguyễn Thị Lan", "Trần Văn Minh", "Lê Thị Hoa")


@contextmanager
def counted():
    """{'all': statements run, 'after_commit': those run once the unit of work had committed}."""
    counts = {"all": 0, "after_commit": 0, "committed": False}

    def on_statement(*_args):
        counts["all"] += 1
        counts["after_commit"] += counts["committed"]

    def on_commit(_session):
        counts["committed"] = True

    event.listen(db.engine, "before_cursor_execute", on_statement)
    event.listen(Session, "after_commit", on_commit)
    try:
        yield counts
    finally:
        event.remove(db.engine, "before_cursor_execute", on_statement)
        event.remove(Session, "after_commit", on_commit)


def _form(task, day):
    """The answers as a browser posts them (ticked boxes as 'y', unticked ones absent), with the
    members the form chooses from the cell's register."""
    answers = answers_for(task.form_name, day) | choice_answers(task.form_name, task.unit_id, day)
    return {key: ("y" if value is True else str(value)) for key, value in answers.items() if value is not False}


def _post_counted(browser, url, data):
    token = browser.token("/inbox")
    with counted() as counts:
        response = browser._open("post", url, data={**data, "csrf_token": token})
    return response, counts


@pytest.fixture()
def at_sympathiser_list(start_case, driver):
    case = start_case("TQ-LN-THPT", full_name="Nguyễn Thị Lan")
    driver.run(case.id, until="add_to_sympathiser_list")
    return case, open_task(case.id, "add_to_sympathiser_list")


def test_a_task_post_stays_under_its_statement_ceiling_and_reads_nothing_after_the_commit(
        as_user, at_sympathiser_list, driver):
    _case, task = at_sympathiser_list
    secretary = as_user("tq-ln-thpt.cell_secretary")

    response, counts = _post_counted(secretary, f"/tasks/{task.id}", _form(task, driver.local_day()))

    assert redirect_path(response) == "/inbox"
    assert counts["all"] <= CEILING_PLAIN_STEP, counts
    assert counts["after_commit"] == 0, counts
    # What the page says was had from the unit of work: the step and whose case it was.
    inbox = secretary.get("/inbox")
    assert "Đã ghi nhận: Đưa vào danh sách cảm tình Đảng, phân công đảng viên giúp đỡ — Nguyễn Thị Lan" in \
        alerts(inbox)


def test_the_verification_post_stays_under_its_ceiling(as_user, start_case, driver):
    case = start_case("TQ-LN-THPT", full_name="Hoàng Thị Mai")
    driver.run(case.id, until="record_verification")
    task = open_task(case.id, "record_verification")
    verifier = as_user("tq-ln-thpt.verifier")

    response, counts = _post_counted(verifier, f"/tasks/{task.id}", _form(task, driver.local_day()))

    assert redirect_path(response) == "/inbox"
    assert counts["all"] <= CEILING_VERIFICATION, counts
    assert counts["after_commit"] == 0, counts
    assert any("— Hoàng Thị Mai" in text for text in alerts(verifier.get("/inbox")))


def test_a_refused_post_costs_more_but_changes_nothing_and_shows_the_error(as_user, at_sympathiser_list, driver):
    """A wrong submission: the page is drawn again from the case (one more read), nothing is written."""
    case, task = at_sympathiser_list
    secretary = as_user("tq-ln-thpt.cell_secretary")
    data = _form(task, driver.local_day()) | {"sympathiser_resolution_date": "2999-01-01"}

    response, counts = _post_counted(secretary, f"/tasks/{task.id}", data)

    assert response.status_code == 422
    assert counts["after_commit"] == 0, counts
    assert open_task(case.id, "add_to_sympathiser_list").id == task.id  # still waiting


def test_the_batch_page_costs_the_same_for_one_student_as_for_three(as_user, start_case, driver):
    """The form is read once from the deployed version: no row's case is restored or read.

    Before issue 14 each row cost three more statements and a restore (10 for one, 16 for three).
    """
    centre = as_user("tq-ln.political_center")
    costs = []
    for name in COURSE_STUDENTS:
        case = start_case("TQ-LN-THPT", full_name=name)
        driver.run(case.id, until="record_course_result")
        if name in (COURSE_STUDENTS[0], COURSE_STUDENTS[-1]):
            with counted() as counts:
                page = centre.get("/batch/record_course_result")
            assert page.status_code == 200
            costs.append(counts["all"])
    one, three = costs
    assert one == three, costs
    assert all(name in page.get_data(as_text=True) for name in COURSE_STUDENTS)
