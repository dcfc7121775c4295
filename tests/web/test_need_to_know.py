"""Need-to-know in the browser: what each role's pages show of a case, which pages open, what is recorded.

Real HTTP through the test client, signed in as the demo users. Hostile readers: roles at or above
the case that have no need for its personal history, and the province deciding in a district's place.
"""
import pytest
from sqlalchemy import select

from webapp.extensions import db
from webapp.models import HumanTask, InstanceEvent
from webapp.services import add_attachment

from .helpers import db_state, heading, html, tiny_pdf, visible_text

RELATIVE = "Nguyễn Thị Bí Mật"
FINDING_NOTE = "Ông nội từng làm việc cho chế độ cũ"
CITIZEN_ID = "001207099887"
OVERRIDES = {"write_application": {"relatives": f"{RELATIVE}\nLê Văn Cha"},
             "record_verification": {"verification_notes": FINDING_NOTE}}
WITHHELD = "Nội dung bước này không hiển thị với vai trò của bạn."


@pytest.fixture()
def case(world, driver, start_case):
    """A Lộc Ninh case past verification, waiting for the cell secretary to plan the meeting; one scan."""
    case = start_case("TQ-LN-THPT", full_name="Phạm Văn Kín", citizen_id=CITIZEN_ID)
    driver.run(case.id, until="plan_cell_meeting", overrides=OVERRIDES)
    scan = add_attachment(world.users[("TQ-LN-THPT", "cell_secretary")], case.id, "ly-lich.pdf", tiny_pdf())
    db.session.commit()
    case.scan_id = scan.id
    return case


def _views(instance_id=None):
    db.session.expire_all()
    query = select(InstanceEvent).where(InstanceEvent.kind == "dossier_viewed").order_by(InstanceEvent.seq)
    if instance_id is not None:
        query = query.where(InstanceEvent.instance_id == instance_id)
    return db.session.execute(query).scalars().all()


@pytest.mark.parametrize("username", ["tq-ln-thpt.introducer", "tq-ln-thpt.residence_cell", "tq-ln-thpt.youth_union",
                                      "tq-ln.political_center", "admin"])
def test_roles_without_the_need_do_not_see_relatives_findings_or_the_full_id(as_user, case, username):
    page = as_user(username).get(f"/cases/{case.id}")
    assert page.status_code == 200
    text = visible_text(page)
    assert RELATIVE not in text and FINDING_NOTE not in text and CITIZEN_ID not in text
    assert WITHHELD in text  # the step is listed, its values withheld
    assert "ly-lich.pdf" not in text and "1 tài liệu không hiển thị với vai trò của bạn." in text
    assert f"/attachments/{case.scan_id}" not in page.get_data(as_text=True)


@pytest.mark.parametrize("username", ["tq-ln-thpt.cell_secretary", "tq-ln.org_board", "tq-ln.standing_committee",
                                      "tq.standing_committee", "tq.auditor"])
def test_the_bodies_that_decide_and_the_auditors_read_the_whole_file(as_user, case, username):
    text = visible_text(as_user(username).get(f"/cases/{case.id}"))
    assert RELATIVE in text and FINDING_NOTE in text and "ly-lich.pdf" in text and WITHHELD not in text


def test_the_verifier_sees_the_declared_history_not_what_others_wrote(as_user, case):
    text = visible_text(as_user("tq-ln-thpt.verifier").get(f"/cases/{case.id}"))
    assert RELATIVE in text and "Chấp hành tốt nơi cư trú." not in text and WITHHELD in text


@pytest.mark.parametrize(("username", "url"), [
    ("tq-ln-thpt.introducer", "/cases/{id}/history"), ("tq-ln-thpt.verifier", "/cases/{id}/print"),
    ("tq-ln.political_center", "/cases/{id}/diagram"), ("admin", "/cases/{id}/history"),
    ("tq-ln-thpt.residence_cell", "/attachments/{scan}"), ("admin", "/attachments/{scan}"),
])
def test_pages_a_role_does_not_need_answer_403_with_our_page(as_user, case, username, url):
    before = db_state()
    page = as_user(username).get(url.format(id=case.id, scan=case.scan_id))
    assert page.status_code == 403 and heading(page) == "Không có quyền"
    assert RELATIVE not in page.get_data(as_text=True)
    assert db_state() == before and _views(case.id) == []  # a refused reading is not a reading


def test_the_administrator_follows_the_case_on_its_diagram_without_its_data(as_user, case):
    page = as_user("admin").get(f"/cases/{case.id}/diagram")
    assert page.status_code == 200
    assert RELATIVE not in page.get_data(as_text=True) and FINDING_NOTE not in page.get_data(as_text=True)
    assert not html(page).xpath(f"//a[@href='/cases/{case.id}/history']")
    (view,) = _views(case.id)
    assert (view.actor_role, view.payload) == ("admin", {"view": "diagram"})


@pytest.mark.parametrize(("username", "search", "integrity"), [
    ("tq.auditor", 200, 200), ("tq-ln.org_board", 200, 403), ("tq.standing_committee", 200, 403),
    ("admin", 403, 200), ("tq-ln-thpt.cell_secretary", 403, 403), ("tq-ln-thpt.introducer", 403, 403),
    ("tq-ln.political_center", 403, 403), ("tq-ch-thpt.cell_secretary", 403, 403),
])
def test_search_csv_and_integrity_open_only_for_their_roles_and_the_menu_agrees(as_user, case, username, search,
                                                                                integrity):
    browser = as_user(username)
    assert browser.get("/audit/cases").status_code == search
    assert browser.get("/audit/cases.csv").status_code == search
    assert browser.get("/audit/integrity").status_code == integrity
    menu = html(browser.get("/inbox")).xpath("//nav//a/@href")
    assert ("/audit/cases" in menu) == (search == 200)
    assert ("/audit/integrity" in menu) == (integrity == 200)


def test_a_search_result_page_is_recorded_with_the_cases_it_showed(as_user, case):
    before = len(_views())
    page = as_user("tq-ln.org_board").get("/audit/cases")
    assert page.status_code == 200 and "Phạm Văn Kín" in visible_text(page)
    (listing,) = _views()[before:]
    assert listing.instance_id is None and listing.actor_role == "org_board"
    assert listing.payload["view"] == "search" and case.id in listing.payload["instances"]


def test_readers_not_acting_on_the_open_step_are_recorded_the_actor_is_not(as_user, case):
    secretary = as_user("tq-ln-thpt.cell_secretary")  # the open step (plan the meeting) is theirs
    task = db.session.execute(select(HumanTask.id).where(
        HumanTask.instance_id == case.id, HumanTask.status == "open")).scalar_one()
    assert secretary.get(f"/tasks/{task}").status_code == 200
    assert secretary.get(f"/cases/{case.id}").status_code == 200
    assert _views(case.id) == []
    for username, role in (("tq.standing_committee", "standing_committee"), ("tq-ln-thpt.introducer", "introducer"),
                           ("tq.auditor", "auditor")):
        browser = as_user(username)
        assert browser.get(f"/cases/{case.id}").status_code == 200
        assert _views(case.id)[-1].actor_role == role
    assert as_user("tq.auditor").get(f"/attachments/{case.scan_id}").status_code == 200
    assert _views(case.id)[-1].payload == {"view": f"attachment {case.scan_id}"}


def test_the_province_cannot_decide_for_the_district(as_user, world, driver, start_case):
    case = start_case("TQ-CH-THPT", full_name="Hoàng Thị Quyết")
    driver.run(case.id, until="decide_admission")
    task = db.session.execute(select(HumanTask).where(
        HumanTask.instance_id == case.id, HumanTask.spec_name == "decide_admission")).scalar_one()
    province = as_user("tq.standing_committee")
    assert "Hoàng Thị Quyết" not in visible_text(province.get("/inbox"))
    assert province.get(f"/tasks/{task.id}").status_code == 403
    before = db_state()
    token = province.token("/inbox")
    answer = province._open("post", f"/tasks/{task.id}", data={
        "csrf_token": token, "decision": "admit", "decision_members": "9", "decision_agree": "9",
        "decision_number": "1-QĐ/TU", "decision_date": driver.local_day().isoformat(), "_seen_version": "0"})
    assert answer.status_code == 403
    assert db_state() == before
    district = as_user("tq-ch.standing_committee")
    assert "Hoàng Thị Quyết" in visible_text(district.get("/inbox"))
    assert district.get(f"/tasks/{task.id}").status_code == 200
