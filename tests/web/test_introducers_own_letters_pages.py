"""Each introducer writes their own letter, over HTTP (issue 10): with two member introducers each
one's inbox holds their own letter; the other introducer is refused it (403) and nothing changes."""
from sqlalchemy import select

from webapp.demo.answers import answers_for
from webapp.extensions import db
from webapp.models import HumanTask, PartyMember, ProcessInstance, User

from .helpers import db_state, redirect_path

SECRETARY, INTRODUCER = "tq-ln-thpt.cell_secretary", "tq-ln-thpt.introducer"


def _member(username):
    return db.session.execute(select(PartyMember).join(User, User.id == PartyMember.user_id)
                              .where(User.username == username)).scalar_one()


def _letters(instance_id):
    return {db.session.get(User, t.assignee_id).username: t for t in db.session.execute(select(HumanTask).where(
        HumanTask.instance_id == instance_id, HumanTask.spec_name == "write_introduction_letters",
        HumanTask.status == "open")).scalars()}


def _seen(instance_id):
    row = db.session.get(ProcessInstance, instance_id)
    db.session.refresh(row)
    return str(row.lock_version)


def test_each_introducer_has_and_writes_only_their_own_letter(as_user, start_case, driver):
    case = start_case("TQ-LN-THPT")
    driver.run(case.id, until="write_introduction_letters", overrides={"assign_introducers": {
        "introduction_mode": "two_members", "introducer1_member": _member(INTRODUCER).id,
        "introducer2_member": _member(SECRETARY).id}})
    letters = _letters(case.id)
    assert sorted(letters) == sorted([INTRODUCER, SECRETARY])
    introducer, secretary = as_user(INTRODUCER), as_user(SECRETARY)
    inbox = introducer.get("/inbox").get_data(as_text=True)
    assert f"/tasks/{letters[INTRODUCER].id}" in inbox and f"/tasks/{letters[SECRETARY].id}" not in inbox

    values = {k: str(v) for k, v in answers_for("write_introduction_letters", driver.local_day()).items()}
    before = db_state()
    assert secretary.get(f"/tasks/{letters[INTRODUCER].id}").status_code == 403
    forged = secretary.post(f"/tasks/{letters[INTRODUCER].id}", values | {"_seen_version": _seen(case.id)},
                            token_from=f"/tasks/{letters[SECRETARY].id}")
    assert forged.status_code == 403 and db_state() == before

    for username, browser in ((INTRODUCER, introducer), (SECRETARY, secretary)):
        url = f"/tasks/{letters[username].id}"
        posted = browser.post(url, values | {"_seen_version": _seen(case.id)}, token_from=url)
        assert redirect_path(posted) == "/inbox", username
    assert _letters(case.id) == {}
