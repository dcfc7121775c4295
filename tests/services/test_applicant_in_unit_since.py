"""How long the applicant has been in the unit is computed from the case's recorded facts (issue
10), never typed: the earliest of the day the case opened there, the Youth Union's nomination and
the sympathiser resolution. A typed date is not read."""
from datetime import timedelta

import pytest

from webapp.services import InvalidSubmission
from webapp.services.register_choices import applicant_in_unit_since

from .helpers import events, facts, instance, open_specs, task_named


def test_the_day_the_case_opened_counts_when_no_act_is_earlier_and_a_typed_date_is_not_read(start_case, driver):
    case = start_case("TQ-LN-THPT")
    opened = instance(case.id).started_at
    driver.run(case.id, until="assign_introducers", overrides={
        "nominate_student": {"nomination_date": driver.local_day().isoformat()}})
    assert applicant_in_unit_since(instance(case.id), facts(case.id))[1] == "case_start"
    task = task_named(case.id, "assign_introducers")
    before = len(events(case.id))
    with pytest.raises(InvalidSubmission) as refused:
        # A hand-made POST naming the old typed field: ignored, the recorded facts decide.
        driver.complete(task, {"assign_introducers": {"applicant_in_unit_since": "2015-09-05"}})
    text = " ".join(refused.value.errors["introducer1_member"])
    assert "(ngày mở hồ sơ tại đơn vị)" in text and "0 tháng" in text and "chưa đủ 12 tháng" in text
    assert f"ở đơn vị từ {opened + timedelta(hours=7):%d/%m/%Y}" in text
    assert len(events(case.id)) == before and "assign_introducers" in open_specs(case.id)


def test_the_nomination_a_year_back_gives_the_months_and_is_kept_with_the_step(start_case, driver):
    case = start_case("TQ-LN-THPT")
    nominated = (driver.local_day() - timedelta(days=400)).isoformat()
    driver.run(case.id, until="write_introduction_letters", overrides={
        "nominate_student": {"nomination_date": nominated}})
    data = facts(case.id)
    assert (data["applicant_in_unit_since"], data["applicant_in_unit_since_source"]) == (nominated, "nomination_date")
    assert data["introducer1_months_together"] == 13
