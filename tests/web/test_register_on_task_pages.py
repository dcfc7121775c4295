"""Issue 10 over HTTP: the vote page ticks presence from the register, the letter is the chosen member's.

The demo registers (webapp/demo/registers.py): TQ-LN-THPT has 11 official members; its introducer
and secretary accounts are members of it.
"""
from datetime import datetime, timedelta

from sqlalchemy import select

from webapp.demo.answers import answers_for
from webapp.extensions import db
from webapp.models import BodyMembership, PartyMember, ProcessInstance, User
from webapp.services.clock import VIETNAM

from .helpers import db_state, html, open_task, redirect_path, texts

SECRETARY, INTRODUCER = "tq-ln-thpt.cell_secretary", "tq-ln-thpt.introducer"


def _seen(instance_id):
    row = db.session.get(ProcessInstance, instance_id)
    db.session.refresh(row)
    return str(row.lock_version)


def _member(username):
    return db.session.execute(select(PartyMember).join(User, User.id == PartyMember.user_id)
                              .where(User.username == username)).scalar_one()


def test_the_vote_page_lists_the_register_and_counts_who_is_ticked(as_user, start_case, driver):
    case = start_case("TQ-LN-THPT")
    driver.run(case.id, until="record_cell_vote")
    task = open_task(case.id, "record_cell_vote")
    secretary = as_user(SECRETARY)
    page = secretary.get(f"/tasks/{task.id}")
    boxes = html(page).xpath("//*[@data-testid='presence']//input[@name='present_members']/@value")
    assert len(boxes) == 11
    assert html(page).xpath("//input[@name='official_members']/@value") == ["11"]  # from the register
    values = {k: str(v) for k, v in answers_for("record_cell_vote", driver.local_day()).items()}
    values |= {"official_members": "11", "present": "11", "agree": "8", "disagree": "0",
               "present_members": boxes[:8], "present_members_shown": "1", "_seen_version": _seen(case.id)}
    posted = secretary.post(f"/tasks/{task.id}", values, token_from=f"/tasks/{task.id}")
    assert redirect_path(posted) == "/inbox"
    done = db.session.get(type(task), task.id)
    db.session.refresh(done)
    assert done.submitted["present"] == 8  # ticked, not the 11 typed
    assert done.submitted["official_members_register"]["present_member_ids"] == sorted(int(b) for b in boxes[:8])


def test_a_count_against_the_register_is_refused_on_the_page_with_its_facts(as_user, start_case, driver):
    case = start_case("TQ-LN-THPT")
    driver.run(case.id, until="record_cell_vote")
    task = open_task(case.id, "record_cell_vote")
    secretary = as_user(SECRETARY)
    values = {k: str(v) for k, v in answers_for("record_cell_vote", driver.local_day()).items()}
    values |= {"official_members": "3", "present": "3", "agree": "2", "disagree": "1", "_seen_version": _seen(case.id)}
    before = db_state()
    refused = secretary.post(f"/tasks/{task.id}", values, token_from=f"/tasks/{task.id}")
    assert refused.status_code == 422 and db_state() == before
    [message] = texts(refused, "//*[@data-field='official_members']//*[contains(@class,'invalid-feedback')]")
    assert "11 đảng viên chính thức" in message and "Biên bản ghi 3 đảng viên chính thức" in message


def test_only_the_chosen_introducer_sees_and_writes_the_letter(as_user, start_case, driver, world):
    case = start_case("TQ-LN-THPT")
    driver.run(case.id, until="write_introduction_letters",
               overrides={"assign_introducers": {"introducer1_member": _member(INTRODUCER).id}})
    letter = open_task(case.id, "write_introduction_letters")
    introducer = as_user(INTRODUCER)
    assert f"/tasks/{letter.id}" in introducer.get("/inbox").get_data(as_text=True)
    secretary = as_user(SECRETARY)
    assert f"/tasks/{letter.id}" not in secretary.get("/inbox").get_data(as_text=True)
    refused = secretary.get(f"/tasks/{letter.id}")
    assert refused.status_code == 403
    name = _member(INTRODUCER).full_name
    assert f"Việc này do đồng chí {name} viết bằng tài khoản của mình" in refused.get_data(as_text=True)
    values = {k: str(v) for k, v in answers_for("write_introduction_letters", driver.local_day()).items()}
    posted = introducer.post(f"/tasks/{letter.id}", values | {"_seen_version": _seen(case.id)},
                             token_from=f"/tasks/{letter.id}")
    assert redirect_path(posted) == "/inbox"


def test_only_the_chosen_helper_sees_and_writes_the_probation_comment(as_user, start_case, driver):
    # The secretary is chosen at the ceremony as the helper; the comment is in the introducer lane, so
    # without the assignment the introducer's account would have it.
    case = start_case("TQ-LN-THPT")
    driver.run(case.id, until="comment_on_probation",
               overrides={"hold_ceremony": {"probation_helper_member": _member(SECRETARY).id}})
    comment = open_task(case.id, "comment_on_probation")
    introducer, helper = as_user(INTRODUCER), as_user(SECRETARY)
    assert f"/tasks/{comment.id}" not in introducer.get("/inbox").get_data(as_text=True)
    assert f"/tasks/{comment.id}" in helper.get("/inbox").get_data(as_text=True)

    # The driver's clock is past the probation; a page's "today" is the real one (no act after it).
    today = datetime.now(VIETNAM).date()
    values = {k: str(v) for k, v in answers_for("comment_on_probation", today).items()}
    before = db_state()
    refused = introducer.get(f"/tasks/{comment.id}")
    assert refused.status_code == 403
    name = _member(SECRETARY).full_name
    assert f"Việc này do đồng chí {name} viết bằng tài khoản của mình" in refused.get_data(as_text=True)
    forged = introducer.post(f"/tasks/{comment.id}", values | {"_seen_version": _seen(case.id)}, token_from="/inbox")
    assert forged.status_code == 403 and db_state() == before
    assert open_task(case.id, "comment_on_probation").id == comment.id

    posted = helper.post(f"/tasks/{comment.id}", values | {"_seen_version": _seen(case.id)},
                         token_from=f"/tasks/{comment.id}")
    assert redirect_path(posted) == "/inbox"
    done = db.session.get(type(comment), comment.id)
    db.session.refresh(done)
    assert (done.status, done.completed_by_id) == ("completed", _member(SECRETARY).user_id)


def test_introducers_are_chosen_from_the_register_and_a_probationary_one_is_refused_by_name(
        as_user, start_case, driver, world):
    cell = world.cells["TQ-LN-THPT"]
    case = start_case("TQ-LN-THPT")
    driver.run(case.id, until="assign_introducers")
    day = driver.local_day()
    probationary = PartyMember(full_name="Đinh Thị Dự Bị", admitted_on=day - timedelta(days=100))
    db.session.add(probationary)
    db.session.flush()
    db.session.add(BodyMembership(member_id=probationary.id, unit_id=cell.id, body="cell",
                                  joined_on=probationary.admitted_on))
    db.session.commit()
    task = open_task(case.id, "assign_introducers")
    secretary = as_user(SECRETARY)
    page = secretary.get(f"/tasks/{task.id}")
    options = html(page).xpath("//select[@name='introducer1_member']/option/@value")
    assert str(_member(INTRODUCER).id) in options and str(probationary.id) in options  # the cell's register

    values = {k: str(v) for k, v in answers_for("assign_introducers", day).items()}
    before = db_state()
    refused = secretary.post(f"/tasks/{task.id}", values | {"introducer1_member": str(probationary.id),
                                                            "_seen_version": _seen(case.id)},
                             token_from=f"/tasks/{task.id}")
    assert refused.status_code == 422 and db_state() == before
    messages = texts(refused, "//*[@data-field='introducer1_member']//*[contains(@class,'invalid-feedback')]")
    assert "Đinh Thị Dự Bị chưa là đảng viên chính thức" in " ".join(messages)

    posted = secretary.post(f"/tasks/{task.id}", values | {"introducer1_member": str(_member(INTRODUCER).id),
                                                           "_seen_version": _seen(case.id)},
                            token_from=f"/tasks/{task.id}")
    assert redirect_path(posted) == "/inbox"


def test_the_sub_committee_s_vote_is_prefilled_and_checked_from_its_register(as_user, start_case, driver):
    case = start_case("TQ-DHTT-SP-SV")
    driver.run(case.id, until="appraise_subcommittee")
    task = open_task(case.id, "appraise_subcommittee")
    appraiser = as_user("tq-dhtt-sp.subcommittee")
    page = appraiser.get(f"/tasks/{task.id}")
    assert html(page).xpath("//input[@name='subcommittee_members']/@value") == ["5"]  # its register
    values = {k: str(v) for k, v in answers_for("appraise_subcommittee", driver.local_day()).items()}
    values |= {"subcommittee_opinion": "support", "subcommittee_agree": "1"}
    before = db_state()
    refused = appraiser.post(f"/tasks/{task.id}", values | {"subcommittee_members": "1",
                                                            "_seen_version": _seen(case.id)},
                             token_from=f"/tasks/{task.id}")
    assert refused.status_code == 422 and db_state() == before
    feedback = "//*[@data-field='subcommittee_members']//*[contains(@class,'invalid-feedback')]"
    message = " ".join(texts(refused, feedback))
    assert "5 ủy viên" in message and "Biên bản ghi 1 ủy viên" in message
    posted = appraiser.post(f"/tasks/{task.id}", values | {"subcommittee_members": "5", "subcommittee_agree": "4",
                                                           "_seen_version": _seen(case.id)},
                            token_from=f"/tasks/{task.id}")
    assert redirect_path(posted) == "/inbox"
