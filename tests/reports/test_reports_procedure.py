"""The reports over cases driven through the real procedure (the facts written by the unit of work)."""
from datetime import date, timedelta

from tests.reports.known_world import acting
from webapp.extensions import db
from webapp.models import ProcessInstance
from webapp.services.reports import cases_behind, funnel, new_members, report_scope, stage_times
from webapp.services.reports.periods import date_range


def test_the_funnel_of_two_real_cases(world, start_case, driver):
    admitted = start_case("TQ-LN-THPT", full_name="Hoàng Thị Thu", sex="F")
    driver.run(admitted.id, until="write_self_review")  # past the ceremony: a probationary member
    waiting = start_case("TQ-LN-THPT", full_name="Lê Văn Bình")
    driver.run(waiting.id, until="plan_cell_meeting")  # the dossier is ready, the cell has not met
    neighbour = start_case("TQ-CH-THPT", full_name="Đỗ Văn Nam")
    driver.run(neighbour.id, until="record_course_result")

    period = date_range(date(2025, 1, 1), driver.local_day() + timedelta(days=1))
    board = report_scope(acting(world.users[("TQ-LN", "standing_committee")]))
    report = funnel(board, period)
    assert {stage: report.counts[stage] for stage in ("course_attended", "certified", "decided", "admitted")} == {
        "course_attended": 2, "certified": 2, "decided": 1, "admitted": 1}
    assert report.counts["recognised"] == 0 and report.counts["failed_course"] == 0
    assert [row.instance_id for row in cases_behind(board, period, "admitted").rows] == [admitted.id]
    assert sorted(row.instance_id for row in cases_behind(board, period, "certified").rows) == sorted(
        [admitted.id, waiting.id])
    ceremony = db.session.get(ProcessInstance, admitted.id).ceremony_date
    assert cases_behind(board, period, "admitted").rows[0].reached_on == ceremony
    members = new_members(board, period)
    assert (members.total["total"], members.total["women"], members.total["youth_union"]) == (1, 1, 1)
    whole, _units = stage_times(board, period, driver.local_day())
    assert next(time for time in whole if time.pair == ("decided", "admitted")).cases == 1
