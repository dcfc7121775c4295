"""Claim, release, hand over, "someone has it open", the loser's typing kept, done by me, saved filters,
bulk steps (issue 15): real HTTP through the Flask client, real database, two members of one body."""
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from webapp.demo import DEMO_PASSWORD
from webapp.extensions import db
from webapp.models.worklist import SavedInboxFilter, TaskClaim
from webapp.services import create_user, grant_role
from webapp.services.clock import resolve_now
from webapp.services.register_choices import choice_answers
from webapp.services.worklist import PRESENCE_MINUTES, note_presence

from .helpers import alerts, db_state, events, html, open_task, redirect_path, texts
from .test_task_post_statements import _form

CELL = "TQ-LN-THPT"
SECRETARY = "tq-ln-thpt.cell_secretary"
DEPUTY = "tq-ln-thpt.deputy"


@pytest.fixture()
def deputy(world):
    """A second member of the cell's secretariat: the same role in the same unit."""
    user = create_user(username=DEPUTY, full_name="Phạm Thị Phó", password=DEMO_PASSWORD)
    grant_role(user, "cell_secretary", world.cells[CELL])
    db.session.commit()
    return user


@pytest.fixture()
def task(start_case, driver, deputy):
    case = start_case(CELL, full_name="Nguyễn Thị Lan")
    driver.run(case.id, until="add_to_sympathiser_list")
    return open_task(case.id, "add_to_sympathiser_list")


def _claim(browser, task_id):
    return browser.post(f"/tasks/{task_id}/claim", {}, token_from=f"/tasks/{task_id}")


def _holder(task_id):
    db.session.expire_all()
    return db.session.get(TaskClaim, task_id)


def test_a_claim_is_shown_to_the_colleague_on_the_task_page_and_in_the_inbox(as_user, task, world):
    secretary, deputy = as_user(SECRETARY), as_user(DEPUTY)
    response = _claim(secretary, task.id)
    assert redirect_path(response) == f"/tasks/{task.id}"
    assert _holder(task.id).user_id == world.users[(CELL, "cell_secretary")].id
    [event] = events("task_claimed", task.instance_id)
    assert event.actor_role == "cell_secretary" and event.payload["human_task_id"] == task.id

    name = world.users[(CELL, "cell_secretary")].full_name
    page = deputy.get(f"/tasks/{task.id}")
    [warning] = texts(page, "//*[@data-testid='claim-holder']")
    assert f"Đồng chí {name} đang nhận việc này" in warning
    assert not html(page).xpath("//*[@data-testid='claim']")  # nobody claims over a colleague
    assert texts(deputy.get("/inbox"), f"//tr[@data-task='{task.id}']//*[@data-testid='holder']") == [
        f"{name} đang làm"]
    assert texts(secretary.get("/inbox"), f"//tr[@data-task='{task.id}']//*[@data-testid='holder']") == [
        "bạn đang làm"]


def test_a_forged_claim_over_a_colleague_or_from_outside_the_body_changes_nothing(as_user, task):
    secretary, deputy = as_user(SECRETARY), as_user(DEPUTY)
    _claim(secretary, task.id)
    before = db_state()
    response = deputy.post(f"/tasks/{task.id}/claim", {}, token_from="/inbox")
    assert redirect_path(response) == f"/tasks/{task.id}"
    assert any("đang nhận việc này" in text for text in alerts(deputy.get(f"/tasks/{task.id}")))
    youth = as_user("tq-ln-thpt.youth_union")  # in scope (same cell), another role: not of the body
    assert youth.post(f"/tasks/{task.id}/claim", {}, token_from="/inbox").status_code == 403
    outsider = as_user("tq-ch-thpt.cell_secretary")  # the same role in another cell: out of scope
    assert outsider.post(f"/tasks/{task.id}/claim", {}, token_from="/inbox").status_code == 404
    assert deputy.post(f"/tasks/{task.id}/release", {}, token_from="/inbox").status_code == 303
    assert db_state() == before
    assert _holder(task.id).user_id != None  # noqa: E711 (still the secretary's)


def test_the_holder_releases_and_a_double_claim_is_one_claim(as_user, task):
    secretary = as_user(SECRETARY)
    _claim(secretary, task.id)
    _claim(secretary, task.id)  # a double click
    assert len(events("task_claimed", task.instance_id)) == 1
    assert redirect_path(secretary.post(f"/tasks/{task.id}/release", {}, token_from=f"/tasks/{task.id}")) == \
        f"/tasks/{task.id}"
    assert _holder(task.id) is None and len(events("task_released", task.instance_id)) == 1


def test_a_colleague_with_the_page_open_is_named_to_the_second_one(as_user, task, world):
    secretary, deputy = as_user(SECRETARY), as_user(DEPUTY)
    assert texts(secretary.get(f"/tasks/{task.id}"), "//*[@data-testid='others-open']") == []
    [seen] = texts(deputy.get(f"/tasks/{task.id}"), "//*[@data-testid='others-open']")
    assert world.users[(CELL, "cell_secretary")].full_name in seen and "cũng đang mở việc này" in seen


def test_submitting_over_a_colleagues_claim_asks_to_confirm_first(as_user, task, driver, world):
    secretary, deputy = as_user(SECRETARY), as_user(DEPUTY)
    _claim(secretary, task.id)
    data = _form(task, driver.local_day())
    asked = deputy.post(f"/tasks/{task.id}", data)
    assert asked.status_code == 200 and open_task(task.instance_id, "add_to_sympathiser_list") is not None
    [box] = texts(asked, "//*[@data-testid='confirm-consequences']")
    assert f"đang do đồng chí {world.users[(CELL, 'cell_secretary')].full_name} nhận làm" in box
    key = html(asked).xpath("//input[@name='_confirm']/@value")[0]
    assert html(asked).xpath("//input[@name='sympathiser_resolution_number']/@value") == [
        data["sympathiser_resolution_number"]]  # what was typed is kept
    done = deputy.post(f"/tasks/{task.id}", data | {"_confirm": key})
    assert redirect_path(done) == "/inbox"
    assert open_task(task.instance_id, "add_to_sympathiser_list") is None


def test_the_one_who_lost_the_race_gets_their_typing_back_read_only(as_user, task, driver, world):
    secretary, deputy = as_user(SECRETARY), as_user(DEPUTY)
    deputy.get(f"/tasks/{task.id}")
    token = deputy.token(f"/tasks/{task.id}")
    data = _form(task, driver.local_day())
    assert redirect_path(secretary.post(f"/tasks/{task.id}", data)) == "/inbox"  # the colleague first
    mine = data | {"sympathiser_resolution_number": "77-NQ/CB"}
    late = deputy._open("post", f"/tasks/{task.id}", data={**mine, "csrf_token": token})
    assert late.status_code == 409
    [said] = texts(late, "//*[@data-testid='too-late']")
    assert f"Đồng chí {world.users[(CELL, 'cell_secretary')].full_name} đã ghi nhận bước này" in said
    assert "77-NQ/CB" in texts(late, "//*[@data-testid='typed-values']")[0]
    assert len(events("task_completed", task.instance_id)) >= 1
    assert open_task(task.instance_id, "add_to_sympathiser_list") is None


def test_hand_over_to_a_colleague_with_a_note_shown_to_them_and_in_the_timeline(as_user, task, deputy):
    secretary, colleague = as_user(SECRETARY), as_user(DEPUTY)
    response = secretary.post(f"/tasks/{task.id}/hand-over", {"colleague": str(deputy.id),
                                                            "note": "Nhờ chị ghi giúp, tôi đi họp."},
                              token_from=f"/tasks/{task.id}")
    assert redirect_path(response) == "/inbox"
    assert _holder(task.id).user_id == deputy.id and _holder(task.id).note == "Nhờ chị ghi giúp, tôi đi họp."
    page = colleague.get(f"/tasks/{task.id}")
    assert "Đồng chí" in texts(page, "//*[@data-testid='claim-holder']")[0]
    assert texts(page, "//*[@data-testid='hand-over-note']") == ["Nhờ chị ghi giúp, tôi đi họp."]
    assert texts(colleague.get("/inbox"), f"//tr[@data-task='{task.id}']//*[@data-testid='holder']") == [
        "được giao cho bạn"]
    history = secretary.get(f"/cases/{task.instance_id}/history")
    assert texts(history, "//*[@data-kind='task_handed_over']//*[@data-testid='hand-over-event']") == [
        "Giao cho đồng chí Phạm Thị Phó: Nhờ chị ghi giúp, tôi đi họp."]
    assert "Giao việc" in texts(history, "//*[@data-kind='task_handed_over']/div/strong")


def test_hand_over_outside_the_body_is_refused_with_a_reason(as_user, task, world):
    secretary = as_user(SECRETARY)
    before = db_state()
    for someone in (world.users[(CELL, "youth_union")], world.users[("TQ-CH-THPT", "cell_secretary")]):
        response = secretary.post(f"/tasks/{task.id}/hand-over", {"colleague": str(someone.id), "note": "x"},
                                  token_from=f"/tasks/{task.id}")
        assert redirect_path(response) == f"/tasks/{task.id}"
        assert any("Chỉ giao được cho người cùng vai trò ở cùng đơn vị" in text
                   for text in alerts(secretary.get(f"/tasks/{task.id}")))
    long_note = secretary.post(f"/tasks/{task.id}/hand-over", {"colleague": "abc", "note": "y" * 600},
                               token_from=f"/tasks/{task.id}")
    assert redirect_path(long_note) == f"/tasks/{task.id}"
    assert db_state() == before and _holder(task.id) is None


def test_done_by_me_lists_my_completions_newest_first_with_links_to_the_cases(as_user, start_case, driver, world):
    secretary = as_user(SECRETARY)
    assert texts(secretary.get("/inbox/done"), "//*[@data-testid='done-empty']")
    cases = []
    for name in ("Nguyễn Thị Lan", "Trần Văn Minh"):
        case = start_case(CELL, full_name=name)
        driver.run(case.id, until="add_to_sympathiser_list")
        task = open_task(case.id, "add_to_sympathiser_list")
        assert redirect_path(secretary.post(f"/tasks/{task.id}", _form(task, driver.local_day()))) == "/inbox"
        cases.append(case)
    page = secretary.get("/inbox/done")
    assert texts(page, "//table[@data-testid='done']//tbody/tr/td[1]") == ["Trần Văn Minh", "Nguyễn Thị Lan"]
    assert html(page).xpath("//table[@data-testid='done']//tbody/tr/td[1]/a/@href") == [
        f"/cases/{cases[1].id}", f"/cases/{cases[0].id}"]
    # another person's completions are not mine
    assert texts(as_user("tq-ln.political_center").get("/inbox/done"), "//*[@data-testid='done-total']") == ["0"]


def test_a_saved_filter_is_named_applied_and_deleted_by_its_owner_only(as_user, task, start_case, driver):
    secretary = as_user(SECRETARY)
    _claim(secretary, task.id)
    other = start_case(CELL, full_name="Trần Văn Minh")
    driver.run(other.id, until="add_to_sympathiser_list")
    shown = secretary.get("/inbox?claim=mine")
    assert [row.get("data-task") for row in html(shown).xpath("//tr[@data-task]")] == [str(task.id)]
    saved = secretary.post("/inbox/filters", {"name": "  Việc của tôi ", "claim": "mine"}, token_from="/inbox")
    assert redirect_path(saved) == "/inbox?claim=mine"
    row = db.session.execute(select(SavedInboxFilter)).scalar_one()
    assert (row.name, row.claim) == ("Việc của tôi", "mine")
    twice = secretary.post("/inbox/filters", {"name": "Việc của tôi", "claim": "free"}, token_from="/inbox")
    assert "Bạn đã có bộ lọc tên «Việc của tôi»; hãy chọn tên khác." in alerts(secretary.get(redirect_path(twice)))
    empty = secretary.post("/inbox/filters", {"name": "  "}, token_from="/inbox")
    assert "Hãy đặt tên cho bộ lọc." in alerts(secretary.get(redirect_path(empty)))
    applied = secretary.get(f"/inbox/filters/{row.id}")
    assert redirect_path(applied) == f"/inbox?sort=arrived&claim=mine&saved={row.id}"
    # another person can neither apply nor delete it
    deputy = as_user(DEPUTY)
    assert deputy.get(f"/inbox/filters/{row.id}").status_code == 404
    assert deputy.post(f"/inbox/filters/{row.id}/delete", {}, token_from="/inbox").status_code == 404
    assert redirect_path(secretary.post(f"/inbox/filters/{row.id}/delete", {}, token_from="/inbox")) == "/inbox"
    assert db.session.execute(select(func.count()).select_from(SavedInboxFilter)).scalar() == 0


def test_a_saved_search_keeps_the_name_out_of_the_address(as_user, task):
    secretary = as_user(SECRETARY)
    searched = secretary.post("/inbox", {"q": "Nguyễn Thị Lan"})
    key = redirect_path(searched).split("s=")[1]
    secretary.post("/inbox/filters", {"name": "Lan", "s": key}, token_from="/inbox")
    row = db.session.execute(select(SavedInboxFilter)).scalar_one()
    assert row.search == "Nguyễn Thị Lan"
    applied = redirect_path(secretary.get(f"/inbox/filters/{row.id}"))
    assert "Lan" not in applied and "s=" in applied
    assert [r.get("data-task") for r in html(secretary.get(applied)).xpath("//tr[@data-task]")] == [str(task.id)]


def test_enrolling_several_sympathisers_in_one_course_class_is_one_post(as_user, start_case, driver):
    secretary = as_user(SECRETARY)
    tasks = []
    for name in ("Nguyễn Thị Lan", "Trần Văn Minh"):
        case = start_case(CELL, full_name=name)
        driver.run(case.id, until="enroll_in_course")
        tasks.append(open_task(case.id, "enroll_in_course"))
    assert html(secretary.get("/inbox")).xpath("//a[@href='/batch/enroll_in_course']")
    form = {"all-course_name": "Lớp bồi dưỡng khóa 3/2026", "all-course_start_date": driver.local_day().isoformat()}
    form |= {f"t{task.id}-include": "1" for task in tasks}
    assert redirect_path(secretary.post("/batch/enroll_in_course", form)) == "/inbox"
    for task in tasks:
        [event] = [e for e in events("task_completed", task.instance_id) if e.task_spec == "enroll_in_course"]
        assert event.payload["data"]["course_name"] == "Lớp bồi dưỡng khóa 3/2026"
    assert as_user("tq-ln-thpt.youth_union").get("/batch/enroll_in_course").status_code == 403


def test_a_view_older_than_the_presence_window_is_not_named(as_user, task, deputy):
    note_presence(deputy, task, now=resolve_now(None) - timedelta(minutes=PRESENCE_MINUTES + 1))
    assert texts(as_user(SECRETARY).get(f"/tasks/{task.id}"), "//*[@data-testid='others-open']") == []


def test_the_sympathiser_list_of_several_students_is_one_resolution_in_one_post(as_user, start_case, driver):
    secretary = as_user(SECRETARY)
    tasks = []
    for name in ("Nguyễn Thị Lan", "Trần Văn Minh"):
        case = start_case(CELL, full_name=name)
        driver.run(case.id, until="add_to_sympathiser_list")
        tasks.append(open_task(case.id, "add_to_sympathiser_list"))
    helper = choice_answers("add_to_sympathiser_list", tasks[0].unit_id, driver.local_day())["helper_member"]
    form = {"all-sympathiser_resolution_number": "05-NQ/CB",
            "all-sympathiser_resolution_date": driver.local_day().isoformat()}
    for task in tasks:
        form |= {f"t{task.id}-include": "1", f"t{task.id}-helper_member": str(helper)}
    assert redirect_path(secretary.post("/batch/add_to_sympathiser_list", form)) == "/inbox"
    for task in tasks:
        assert open_task(task.instance_id, "add_to_sympathiser_list") is None
        [event] = [e for e in events("task_completed", task.instance_id) if e.task_spec == "add_to_sympathiser_list"]
        assert event.payload["data"]["sympathiser_resolution_number"] == "05-NQ/CB"
