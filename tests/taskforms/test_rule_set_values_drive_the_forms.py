"""A rule value changed in one rule set moves every form check that uses it; the other rule set stays."""
import dataclasses
from pathlib import Path
from types import MappingProxyType

import pytest

from webapp.rules import rulesets
from webapp.taskforms import load_definitions_from_dir, validate_submission

FORMS = load_definitions_from_dir(Path(__file__).resolve().parents[2] / "forms")


@pytest.fixture()
def stricter_2025(monkeypatch):
    changed = dataclasses.replace(rulesets.RULE_SETS["2025"], course_pass_score=6.0, course_min_attendance_percent=90,
                                  certificate_issue_days=5, ceremony_working_days=10,
                                  standing_committee_fraction=(3, 4), min_age_months=228, min_cell_members=5)
    monkeypatch.setattr(rulesets, "RULE_SETS", MappingProxyType({**rulesets.RULE_SETS, "2025": changed}))


def _errors(form, values, **context):
    return validate_submission(FORMS[form], values, {"_today": "2026-12-01", **context}).errors


COURSE = {"course_attended": True, "attendance_percent": 85, "essay_score": 5.5, "resit_taken": False,
          "certificate_number": "GCN-1", "certificate_date": "2026-03-10"}


def test_each_check_follows_the_changed_rule_set_and_only_it(stricter_2025):
    started = {"course_start_date": "2026-03-01"}
    # 85 % and 5.5 pass under 2021 (80 %, 5.0) but not under the changed 2025 (90 %, 6.0); and
    # 9 days from the course are too many for 5 days.
    assert _errors("record_course_result", COURSE, rule_set="2021", **started) == {}
    changed = _errors("record_course_result", COURSE, rule_set="2025", **started)
    assert changed["certificate_number"] == ["Không cấp giấy chứng nhận cho học viên không đạt yêu cầu khóa học "
                                             "(dự ít nhất 90% thời gian, bài thu hoạch từ 6,0 điểm)."]
    assert any("tối đa 5 ngày" in text for text in changed["certificate_date"])

    # 6 of 9 members reach 2/3 (6) but not 3/4 (⌈6.75⌉ = 7).
    decision = {"decision": "admit", "decision_members": 9, "decision_agree": 6, "decision_number": "1-QĐ",
                "decision_date": "2026-05-01"}
    assert "decision_agree" not in _errors("decide_admission", decision, rule_set="2021")
    assert "decision_agree" in _errors("decide_admission", decision, rule_set="2025")

    # A ceremony 20 working days after the decision: within 30 (2021), beyond 10 (changed 2025).
    ceremony = {"ceremony_date": "2026-05-29", "probation_helpers": "Nguyễn Văn Giúp"}
    assert "upper_consent_number" not in _errors("hold_ceremony", ceremony, rule_set="2021", decision_date="2026-05-01")
    assert "upper_consent_number" in _errors("hold_ceremony", ceremony, rule_set="2025", decision_date="2026-05-01")

    # Age at the vote: 18 by month is enough for 2021, not for a 2025 that asked 19 years.
    vote = {"vote_date": "2026-04-10", "official_members": 9, "temporarily_attached": 0, "exempt_absent": 0,
            "present": 9, "agree": 9, "disagree": 0, "resolution_number": "2-NQ", "resolution_date": "2026-04-10"}
    born = {"date_of_birth": "2008-01-01"}
    assert "vote_date" not in _errors("record_cell_vote", vote, rule_set="2021", **born)
    assert any("chưa đủ 228 tháng" in text for text in _errors("record_cell_vote", vote, rule_set="2025", **born)
               ["vote_date"])

    # A cell of 4 counted official members may vote under 2021 (3), not under a 2025 asking 5.
    small = vote | {"official_members": 4, "present": 4, "agree": 4}
    assert "official_members" not in _errors("record_cell_vote", small, rule_set="2021")
    assert _errors("record_cell_vote", small, rule_set="2025")["official_members"] == [
        "Chi bộ chỉ có 4 đảng viên chính thức được tính, ít hơn 5: không đủ điều kiện biểu quyết."]


def test_without_a_change_both_rule_sets_accept_the_lawful_course():
    lawful = COURSE | {"attendance_percent": 95, "essay_score": 8.0, "certificate_date": "2026-03-10"}
    for rule_set in ("2021", "2025"):
        assert _errors("record_course_result", lawful, rule_set=rule_set, course_start_date="2026-03-01") == {}
