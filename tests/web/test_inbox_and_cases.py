"""The inbox (filters, sorting, pages, counts per step) and "my unit's cases" (status, step, who acts next)."""
import unicodedata
from datetime import timedelta

import pytest
from sqlalchemy import update

from webapp import rules
from webapp.extensions import db
from webapp.models import HumanTask
from webapp.pages.formatting import VIETNAM
from webapp.services.clock import resolve_now

from .helpers import html, redirect_path, texts

SYMPATHISER = "Đưa vào danh sách cảm tình Đảng, phân công đảng viên giúp đỡ"
COURSE = "Cử đi học lớp bồi dưỡng nhận thức về Đảng"
#: 28 students, all different; one "Đặng Thị Hồng", no other Hồng, and one "Hông" (ô, not ồ).
NAMES = (
    "Nguyễn Văn An", "Đặng Thị Hồng", "Trần Minh Khôi", "Lê Thị Ánh", "Phạm Quang Dũng", "Hoàng Thu Hằng",
    "Vũ Đức Lộc", "Bùi Thị Mỹ", "Đỗ Văn Phúc", "Hồ Thị Quyên", "Ngô Văn Cường", "Dương Thị Thảo", "Lý Văn Bình",
    "Nguyễn Thị Nhung", "Trần Văn Hông", "Lê Văn Sơn", "Phạm Thị Yến", "Hoàng Văn Tùng", "Vũ Thị Loan",
    "Bùi Văn Khánh", "Đỗ Thị Vân", "Hồ Văn Tâm", "Ngô Thị Trang", "Dương Văn Hải", "Lý Thị Mai",
    "Nguyễn Hữu Toàn", "Trần Thị Ngọc", "Lê Minh Quân",
)


def _today():
    return resolve_now().astimezone(VIETNAM).date()


def _rows(response):
    """The inbox as a list of (student, step) in the order shown."""
    doc = html(response)
    return [(row.xpath("string(td[1])").strip(), row.xpath("string(td[2])").strip())
            for row in doc.xpath("//table[@data-testid='inbox']/tbody/tr")]


def _students(response):
    return [student for student, _step in _rows(response)]


def _counts(response):
    """{step label: count} from the step buttons above the inbox."""
    found = {}
    for link in html(response).xpath("//*[@data-testid='step-counts']/a[span]"):
        count = link.xpath("string(span)").strip()
        found[link.xpath("string(text())").strip()] = int(count)
    return found


@pytest.fixture()
def busy_cell(start_case, driver):
    """28 students in Lộc Ninh waiting for the secretary: 26 to list as sympathisers, 2 to send to the course.

    Names carry Vietnamese diacritics; one is "Đặng Thị Hồng". Due dates are set relative to today:
    three overdue, two due soon, one without a due date, the rest later.
    """
    names, cases = list(NAMES), {}
    for index, name in enumerate(names):
        case = start_case("TQ-LN-THPT", full_name=name)
        driver.run(case.id, until="enroll_in_course" if index >= 26 else "add_to_sympathiser_list")
        cases[name] = case
    today = _today()
    tasks = db.session.query(HumanTask).filter_by(status="open", role="cell_secretary").order_by(HumanTask.id).all()
    assert len(tasks) == 28
    dues = {0: today - timedelta(days=5), 1: today - timedelta(days=1), 2: today - timedelta(days=40),
            3: today, 4: rules.add_working_days(today, 2), 5: None}
    for index, task in enumerate(tasks):
        db.session.execute(update(HumanTask).where(HumanTask.id == task.id).values(
            due_on=dues.get(index, today + timedelta(days=60 + index))))
    db.session.commit()
    return names, cases, {task.id: index for index, task in enumerate(tasks)}


def test_the_inbox_pages_through_more_than_25_tasks_in_arrival_order(as_user, busy_cell):
    names, _cases, _tasks = busy_cell
    secretary = as_user("tq-ln-thpt.cell_secretary")
    first, second = secretary.get("/inbox"), secretary.get("/inbox?page=2")
    assert texts(first, "//*[@data-testid='inbox-total']") == ["28"]
    assert _students(first) == names[:25] and _students(second) == names[25:]  # first to arrive, first shown
    assert texts(first, "//nav//a[@class='page-link']") == ["1", "2"]
    assert _students(secretary.get("/inbox?page=3")) == []


def test_the_inbox_counts_per_step_and_filters_combine(as_user, busy_cell):
    secretary = as_user("tq-ln-thpt.cell_secretary")
    assert _counts(secretary.get("/inbox")) == {SYMPATHISER: 26, COURSE: 2}

    only_course = secretary.get("/inbox?step=enroll_in_course")
    assert texts(only_course, "//*[@data-testid='inbox-total']") == ["2"]
    assert {step for _student, step in _rows(only_course)} == {COURSE}
    assert _counts(only_course) == {SYMPATHISER: 26, COURSE: 2}  # the buttons still count every step

    combined = secretary.get("/inbox?step=add_to_sympathiser_list&due=later&sort=student")
    assert texts(combined, "//*[@data-testid='inbox-total']") == ["20"]  # 26 minus 3 overdue, 2 soon, 1 none
    assert _counts(combined) == {SYMPATHISER: 20, COURSE: 2}  # counts follow the due filter
    link = html(combined).xpath("//*[@data-testid='step-counts']/a[contains(., 'Cử đi học')]/@href")[0]
    assert "due=later" in link and "sort=student" in link and "step=enroll_in_course" in link


def test_the_inbox_filters_by_due_state(as_user, busy_cell):
    names, _cases, _tasks = busy_cell
    secretary = as_user("tq-ln-thpt.cell_secretary")
    for due, indexes in (("overdue", {0, 1, 2}), ("soon", {3, 4}), ("none", {5}), ("later", set(range(6, 28)))):
        shown = []
        for page in (1, 2):
            response = secretary.get(f"/inbox?due={due}&page={page}")
            shown += _students(response)
            assert set(html(response).xpath("//table[@data-testid='inbox']//span/@data-due")) <= {due}
        assert sorted(shown) == sorted(names[i] for i in indexes), due


def test_the_inbox_sorts_by_due_date_and_by_student(as_user, busy_cell):
    names, _cases, _tasks = busy_cell
    secretary = as_user("tq-ln-thpt.cell_secretary")
    by_due = _students(secretary.get("/inbox?sort=due")) + _students(secretary.get("/inbox?sort=due&page=2"))
    assert by_due[:5] == [names[2], names[0], names[1], names[3], names[4]]  # most overdue first
    assert by_due[-1] == names[5]  # no due date: last

    by_name = _students(secretary.get("/inbox?sort=student")) + _students(
        secretary.get("/inbox?sort=student&page=2"))
    assert len(by_name) == 28
    # Names whose order is the same in Vietnamese and in code points keep that order.
    plain = [name for name in by_name if name[0] in "BHLNPTV"]
    assert plain == sorted(plain)


def _searched(browser, path, text):
    """A name search as the filter form sends it: POSTed, then shown at the address it redirects to."""
    response = browser.post(path, {"q": text}, token_from=path)
    assert response.status_code == 303
    return browser.get(redirect_path(response))


@pytest.fixture()
def few_students(start_case):
    """Five nominations waiting for the Lộc Ninh Youth Union."""
    for name in ("Đặng Thị Hồng", "Trần Văn Hông", "Nguyễn Văn An", "Lê Thị Ánh", "Đỗ Văn Phúc"):
        start_case("TQ-LN-THPT", full_name=name)


def test_search_by_name_with_diacritics(as_user, few_students):
    youth = as_user("tq-ln-thpt.youth_union")
    for query in ("Thị Hồng", "thị hồng", unicodedata.normalize("NFD", "Thị Hồng"), " Thị  Hồng  ", "thi hong"):
        response = _searched(youth, "/inbox", query)
        assert _students(response) == ["Đặng Thị Hồng"], repr(query)
        assert html(response).xpath("//input[@name='q']/@value") == [unicodedata.normalize("NFC", query).strip()]
    # marks are not needed, so they do not narrow either (issue 15): ô, ồ and o are one letter to a search
    for query in ("Hồng", "Hông", "hong"):
        assert _students(_searched(youth, "/inbox", query)) == ["Đặng Thị Hồng", "Trần Văn Hông"], query
    empty = _searched(youth, "/inbox", "Hưng")
    assert texts(empty, "//*[@data-testid='inbox-empty']") == ["Không có việc nào cần xử lý."]
    # a search is not SQL: % and _ are letters
    assert _students(_searched(youth, "/inbox", "%")) == []


@pytest.mark.parametrize(("query", "found"), [
    ("Đặng", "Đặng Thị Hồng"), ("đặng thị", "Đặng Thị Hồng"), ("ĐẶNG", "Đặng Thị Hồng"), ("ánh", "Lê Thị Ánh")])
def test_search_ignores_case_for_vietnamese_capitals(as_user, few_students, query, found):
    youth = as_user("tq-ln-thpt.youth_union")
    assert _students(_searched(youth, "/inbox", query)) == [found]


def test_the_inbox_shows_only_the_acting_roles_tasks_in_its_units(as_user, few_students):
    assert texts(as_user("tq-ln-thpt.youth_union").get("/inbox"), "//*[@data-testid='inbox-total']") == ["5"]
    assert texts(as_user("tq-ln-thpt.cell_secretary").get("/inbox"), "//*[@data-testid='inbox-total']") == ["0"]
    assert texts(as_user("tq-ch-thpt.youth_union").get("/inbox"), "//*[@data-testid='inbox-total']") == ["0"]


# --- my unit's cases --------------------------------------------------------------------------------


def _cases_table(response):
    doc = html(response)
    return {row.xpath("string(td[1])").strip(): tuple(" ".join(cell.text_content().split())
                                                      for cell in row.xpath("td")[1:])
            for row in doc.xpath("//table[@data-testid='cases']/tbody/tr[@data-case]")}


@pytest.fixture()
def cases_in_two_communes(start_case, driver):
    """Lộc Ninh: one at the sympathiser list, one at the course result; Chiêm Hóa: one just nominated."""
    listed = start_case("TQ-LN-THPT", full_name="Trịnh Văn Lâm")
    driver.run(listed.id, until="add_to_sympathiser_list")
    course = start_case("TQ-LN-THPT", full_name="Mạc Thị Yến")
    driver.run(course.id, until="record_course_result")
    elsewhere = start_case("TQ-CH-THPT", full_name="Hà Văn Sáng")
    return listed, course, elsewhere


def test_my_units_cases_show_status_current_step_and_who_acts_next(as_user, cases_in_two_communes):
    table = _cases_table(as_user("tq-ln-thpt.cell_secretary").get("/cases"))
    assert table == {
        "Trịnh Văn Lâm": ("Chi bộ Trường THPT Lộc Ninh", "Đang xét", SYMPATHISER,
                          "Bí thư chi bộ (Chi bộ Trường THPT Lộc Ninh)"),
        "Mạc Thị Yến": ("Chi bộ Trường THPT Lộc Ninh", "Đang xét", "Ghi kết quả lớp bồi dưỡng nhận thức về Đảng",
                        "Trung tâm chính trị (Đảng ủy xã Lộc Ninh)"),
    }


def test_a_standing_committee_sees_the_units_below_it_and_not_a_sibling_committees(as_user, cases_in_two_communes):
    assert set(_cases_table(as_user("tq-ln.standing_committee").get("/cases"))) == {"Trịnh Văn Lâm", "Mạc Thị Yến"}
    assert set(_cases_table(as_user("tq-ch.standing_committee").get("/cases"))) == {"Hà Văn Sáng"}
    assert set(_cases_table(as_user("tq.standing_committee").get("/cases"))) == {
        "Trịnh Văn Lâm", "Mạc Thị Yến", "Hà Văn Sáng"}


def test_a_sibling_committee_cannot_open_the_case_either(as_user, cases_in_two_communes):
    listed, _course, elsewhere = cases_in_two_communes
    sibling = as_user("tq-ch.standing_committee")
    assert sibling.get(f"/cases/{listed.id}").status_code == 404
    assert sibling.get(f"/cases/{elsewhere.id}").status_code == 200


def test_my_units_cases_filter_by_status_and_name(as_user, cases_in_two_communes):
    secretary = as_user("tq-ln-thpt.cell_secretary")
    assert set(_cases_table(_searched(secretary, "/cases", "Yến"))) == {"Mạc Thị Yến"}
    assert set(_cases_table(_searched(secretary, "/cases", unicodedata.normalize("NFD", "Lâm")))) == {
        "Trịnh Văn Lâm"}
    assert _cases_table(secretary.get("/cases?status=official")) == {}
    assert texts(secretary.get("/cases?status=in_progress"), "//*[@data-testid='cases-total']") == ["2"]
