"""Issue 10: a rule value changed in one rule set is followed by every check, form and preview of its
cases, over HTTP — and the other rule set's cases stay as they were.

The rule sets are data: the test changes the 2025 set's values in the loaded mapping (as a new
regulation would in webapp/rules/rulesets.py) and reads the pages of a 2025 case (cell TQ-LN-THPT)
and of a 2021 case (cell TQ-CH-THPT): the hints of the forms quote the numbers, the vote preview
gets its fraction and minimum from the page, the failed-vote confirmation says the fraction and the
threshold, the checks refuse by the changed numbers. Values a rule set marks unconfirmed [U] carry
the mark "chưa xác nhận trong văn bản" beside the hint that quotes them. (Diagram scripts run in
their own interpreters and read rulesets.py itself: tests/services/test_rule_set_due_dates.py.)
"""
import dataclasses
from types import MappingProxyType

import pytest

from webapp.demo.answers import answers_for
from webapp.rules import rulesets

from .helpers import db_state, field_errors, html, open_task, texts

NEW_2025 = {"cell_vote_fraction": (3, 4), "min_cell_members": 5, "course_min_attendance_percent": 90,
            "course_pass_score": 6.0, "course_min_class_size": 30, "document_valid_months": 6,
            "certificate_valid_months": 48}
CELLS = {"2025": ("TQ-LN-THPT", "tq-ln-thpt.cell_secretary", "tq-ln.political_center"),
         "2021": ("TQ-CH-THPT", "tq-ch-thpt.cell_secretary", "tq-ch.political_center")}


@pytest.fixture()
def changed_2025(monkeypatch):
    before_2021 = rulesets.RULE_SETS["2021"]
    changed = dataclasses.replace(rulesets.RULE_SETS["2025"], **NEW_2025)
    monkeypatch.setattr(rulesets, "RULE_SETS", MappingProxyType({**rulesets.RULE_SETS, "2025": changed}))
    yield
    assert rulesets.RULE_SETS["2021"] is before_2021  # the other rule set was never touched


@pytest.fixture()
def cases(changed_2025, start_case, driver):
    """A case of each rule set at its course result."""
    made = {}
    for rule_set, (cell, _secretary, _centre) in CELLS.items():
        case = start_case(cell)
        driver.run(case.id, until="record_course_result")
        made[rule_set] = case
    return made


def _hint(response, field):
    return " ".join(texts(response, f"//*[@data-field='{field}']//*[contains(@class, 'form-text')]"))


def _marked(response, field):
    return bool(html(response).xpath(f"//*[@data-field='{field}']//*[@data-testid='unconfirmed-mark']"))


def _course_form(task, **changes):
    values = {"course_attended": "y", "attendance_percent": "95", "essay_score": "8.5",
              "certificate_number": "GCN-1", "certificate_date": task.created_at.date().isoformat()} | changes
    return {name: str(value) for name, value in values.items()}


def test_the_course_form_and_its_checks_follow_the_changed_rule_set_only(as_user, cases):
    pages = {}
    for rule_set, case in cases.items():
        task = open_task(case.id, "record_course_result")
        centre = as_user(CELLS[rule_set][2])
        pages[rule_set] = (centre, task, centre.get(f"/tasks/{task.id}"))

    _, _, new = pages["2025"]
    assert "ít nhất 90% thời gian học" in _hint(new, "attendance_percent")
    assert "Đạt từ 6,0 điểm" in _hint(new, "essay_score")
    assert "Lớp phải có ít nhất 30 học viên" in _hint(new, "class_size")
    assert "trong vòng 3 ngày" in _hint(new, "resit_taken")
    assert "Giấy có giá trị 48 tháng" in _hint(new, "certificate_date")
    assert not _marked(new, "attendance_percent")  # sourced [S] in 2025

    _, _, old = pages["2021"]
    assert "ít nhất 80% thời gian học" in _hint(old, "attendance_percent")
    assert "Đạt từ 5,0 điểm" in _hint(old, "essay_score")
    assert "Giấy có giá trị 60 tháng" in _hint(old, "certificate_date")
    # 2021 sets no class size and no resit window: the sentences that would quote them are not shown.
    assert "học viên." not in _hint(old, "class_size") and "ngày" not in _hint(old, "resit_taken")
    # …and its course numbers are not confirmed by a text [U]: marked beside the hints that quote them.
    assert _marked(old, "attendance_percent") and _marked(old, "essay_score")
    assert not _marked(old, "certificate_number")

    # The checks: 85 % and a class of 20 are refused under the changed 2025 (90 %, 30 learners), the
    # message naming the numbers; nothing changes. The same answers pass under 2021.
    centre, task, _ = pages["2025"]
    before = db_state()
    refused = centre.post(f"/tasks/{task.id}", _course_form(task, attendance_percent=85, class_size=20),
                          token_from=f"/tasks/{task.id}")
    assert refused.status_code == 422
    assert field_errors(refused, "class_size") == [
        "Lớp chỉ có 20 học viên, ít hơn 30 học viên theo Quy định 294-QĐ/TW (2025): lớp không đủ điều kiện mở, "
        "không ghi nhận kết quả."]
    assert field_errors(refused, "certificate_number") == [
        "Không cấp giấy chứng nhận cho học viên không đạt yêu cầu khóa học (dự ít nhất 90% thời gian, bài thu "
        "hoạch từ 6,0 điểm)."]
    assert db_state() == before

    centre, task, _ = pages["2021"]
    accepted = centre.post(f"/tasks/{task.id}", _course_form(task, attendance_percent=85, class_size=20),
                           token_from=f"/tasks/{task.id}")
    assert accepted.status_code == 302


def test_the_vote_form_preview_and_confirmation_follow_the_changed_rule_set_only(as_user, cases, driver):
    for case in cases.values():
        driver.run(case.id, until="record_cell_vote")
    seen = {}
    for rule_set, case in cases.items():
        secretary = as_user(CELLS[rule_set][1])
        task = open_task(case.id, "record_cell_vote")
        page = secretary.get(f"/tasks/{task.id}")
        form = html(page).xpath("//form[@data-testid='task-form']")[0]
        seen[rule_set] = {
            "preview": (form.get("data-vote-numerator"), form.get("data-vote-denominator"),
                        form.get("data-vote-minimum")),
            "shown fraction": texts(page, "//*[@data-preview='fraction']"),
            "agree hint": _hint(page, "agree"),
        }
        # A vote of 5 of 9 counted fails both rule sets' fractions: the confirmation says which and how many.
        values = answers_for("record_cell_vote", driver.local_day()) | {
            "official_members": 9, "temporarily_attached": 0, "exempt_absent": 0, "present": 9, "agree": 5,
            "disagree": 4}
        before = db_state()
        asked = secretary.post(f"/tasks/{task.id}", {k: str(v) for k, v in values.items()},
                               token_from=f"/tasks/{task.id}")
        seen[rule_set]["confirmation"] = texts(asked, "//*[@data-testid='confirm-consequences']//li")
        assert db_state() == before  # asked, nothing recorded

    assert seen["2025"] == {
        "preview": ("3", "4", "5"), "shown fraction": ["3/4"],
        "agree hint": "Thông qua khi số đồng ý đạt ít nhất 3/4 số đảng viên chính thức được tính (không phải số "
                      "có mặt). Chi bộ phải có ít nhất 5 đảng viên chính thức được tính.",
        "confirmation": ["Biểu quyết này không đạt 3/4: 5 tán thành trên 9 được tính, cần ít nhất 7. "
                         "Hồ sơ sẽ đi theo nhánh biểu quyết không đạt."]}
    assert seen["2021"] == {
        "preview": ("2", "3", "3"), "shown fraction": ["2/3"],
        "agree hint": "Thông qua khi số đồng ý đạt ít nhất 2/3 số đảng viên chính thức được tính (không phải số "
                      "có mặt). Chi bộ phải có ít nhất 3 đảng viên chính thức được tính.",
        "confirmation": ["Biểu quyết này không đạt 2/3: 5 tán thành trên 9 được tính, cần ít nhất 6. "
                         "Hồ sơ sẽ đi theo nhánh biểu quyết không đạt."]}


def test_an_unconfirmed_value_is_marked_where_a_hint_quotes_it(as_user, cases, driver):
    """document_valid_months is [U] in both rule sets: the meeting date's hint quotes it and is marked."""
    for rule_set, case in cases.items():
        driver.run(case.id, until="plan_cell_meeting")
        page = as_user(CELLS[rule_set][1]).get(f"/tasks/{open_task(case.id, 'plan_cell_meeting').id}")
        months = "6" if rule_set == "2025" else "12"
        assert f"các tài liệu khác không quá {months} tháng" in _hint(page, "meeting_date")
        assert _marked(page, "meeting_date")
        assert "chưa xác nhận trong văn bản" in _hint(page, "meeting_date")
