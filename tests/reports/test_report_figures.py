"""The report figures against a world counted by the test itself (issue 11)."""
from datetime import date

import pytest
from sqlalchemy import select

from tests.reports.known_world import CELLS, acting, add_case, build, cells_below, expected
from webapp.extensions import db
from webapp.models import BodyMembership, HumanTask, InstanceEvent, OrgUnit, PartyMember
from webapp.models.stages import UnitTarget
from webapp.rules.stages import EXITS, FUNNEL
from webapp.rules.workdays import working_days_between
from webapp.services.errors import Forbidden, InvalidSubmission
from webapp.services.reports import (
    cases_behind,
    funnel,
    make_period,
    new_members,
    report_scope,
    set_target,
    stage_times,
    students_at_risk,
    targets_report,
    units_without_admission,
)
from webapp.services.reports.durations import percentile
from webapp.services.reports.periods import BadPeriod, date_range, period_from_args

YEAR_2025 = make_period("year", 2025)


def _age(born, day):
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


def test_periods_and_the_same_period_last_year():
    assert (make_period("quarter", 2025, 3).start, make_period("quarter", 2025, 3).end) == (
        date(2025, 7, 1), date(2025, 9, 30))
    assert make_period("half", 2025, 2).start == date(2025, 7, 1)
    assert make_period("nine_months", 2025).end == date(2025, 9, 30)
    school = make_period("school_year", 2024)
    assert (school.start, school.end) == (date(2024, 9, 1), date(2025, 8, 31))
    assert school.previous_year().start == date(2023, 9, 1)
    assert make_period("month", 2024, 2).end == date(2024, 2, 29)
    assert make_period("month", 2025, 2).previous_year().end == date(2024, 2, 29)
    leap = date_range(date(2024, 2, 29), date(2024, 3, 10)).previous_year()
    assert (leap.start, leap.end) == (date(2023, 2, 28), date(2023, 3, 10))
    for args, code in (({"period": "month", "year": "2025", "n": "13"}, "bad_part"),
                       ({"period": "week"}, "unknown_period"), ({"period": "year", "year": "20x5"}, "bad_year"),
                       ({"period": "range", "from": "2025-05-01", "to": "2025-04-01"}, "range_reversed"),
                       ({"period": "range", "from": "2025-13-01", "to": "2025-04-01"}, "bad_dates")):
        with pytest.raises(BadPeriod) as refused:
            period_from_args(args, date(2025, 6, 1))
        assert refused.value.code == code


@pytest.mark.parametrize("reader", [("TQ", "org_board"), ("TQ-CH", "standing_committee"),
                                    ("TQ-CX-THPT", "grassroots_committee"), ("TQ-LN-THPT", "cell_secretary")])
def test_the_funnel_counts_what_the_test_counted(world, reader):
    cases = build(world)
    scope = report_scope(acting(world.users[reader]))
    cells = cells_below(world, reader[0])
    report = funnel(scope, YEAR_2025, ratio_from="course_attended", ratio_to="admitted")
    for stage in FUNNEL + EXITS:
        assert report.counts[stage] == len(expected(cases, stage, date(2025, 1, 1), date(2025, 12, 31), cells)), stage
        assert report.before[stage] == len(expected(cases, stage, date(2024, 1, 1), date(2024, 12, 31), cells)), stage
    attended, admitted = report.counts["course_attended"], report.counts["admitted"]
    assert report.ratio() == (round(100 * admitted / attended, 1) if attended else None)


def test_per_unit_rows_sort_and_add_up(world):
    cases = build(world)
    scope = report_scope(acting(world.users[("TQ", "org_board")]))
    report = funnel(scope, YEAR_2025, sort="nominated", descending=True)
    by_name = {row.unit.code: row for row in report.units}
    for code in ("TQ-LN", "TQ-CH", "TQ-CX", "TQ-DHTT"):
        assert by_name[code].counts["nominated"] == len(
            expected(cases, "nominated", date(2025, 1, 1), date(2025, 12, 31), cells_below(world, code)))
    counts = [row.counts["nominated"] for row in report.units]
    assert counts == sorted(counts, reverse=True)
    assert sum(counts) == report.counts["nominated"]


def test_a_cell_secretary_never_sees_a_neighbour(world):
    build(world)
    secretary = acting(world.users[("TQ-LN-THPT", "cell_secretary")])
    neighbour = world.cells["TQ-CH-THPT"].id
    with pytest.raises(Forbidden) as refused:
        report_scope(secretary, neighbour)
    assert refused.value.code == "report_unit_out_of_scope"
    province = db.session.execute(select(OrgUnit.id).where(OrgUnit.code == "TQ")).scalar()
    with pytest.raises(Forbidden):
        report_scope(secretary, province)  # above the reader is out of scope too
    with pytest.raises(Forbidden) as not_a_reader:
        report_scope(acting(world.users[("TQ-LN-THPT", "verifier")]))
    assert not_a_reader.value.code == "not_for_reports"


def test_a_drill_down_lists_exactly_the_cases_counted(world):
    cases = build(world)
    board = acting(world.users[("TQ", "org_board")])
    unit = db.session.execute(select(OrgUnit.id).where(OrgUnit.code == "TQ-CH")).scalar()
    scope = report_scope(board, unit)
    want = expected(cases, "verified", date(2025, 1, 1), date(2025, 12, 31), ("TQ-CH-THPT",))
    listed = cases_behind(scope, YEAR_2025, "verified")
    assert listed.total == len(want) == funnel(scope, YEAR_2025).counts["verified"]
    assert {row.instance_id for row in listed.rows} == want
    assert all(row.citizen_id.startswith("•") for row in listed.rows)
    women = cases_behind(report_scope(board), YEAR_2025, "admitted", column="women")
    assert {row.instance_id for row in women.rows} == expected(
        cases, "admitted", date(2025, 1, 1), date(2025, 12, 31), where=lambda case: case.sex == "F")
    assert cases_behind(scope, YEAR_2025, "no_such_stage").total == 0


def test_new_members_by_category_as_the_form_counts_them(world):
    cases = build(world)
    scope = report_scope(acting(world.users[("TQ", "org_board")]))
    report = new_members(scope, YEAR_2025)

    def count(year, where):
        return len(expected(cases, "admitted", date(year, 1, 1), date(year, 12, 31), where=where))

    checks = {
        "total": lambda case: True, "women": lambda case: case.sex == "F",
        "youth_union": lambda case: case.youth_union_member, "ethnic_minority": lambda case: case.ethnicity != "Kinh",
        "religion": lambda case: case.religion != "Không", "pupils": lambda case: case.occupation == "pupil",
        "university_students": lambda case: case.occupation == "university_student",
        "readmission": lambda case: case.readmission,
        "age_18": lambda case: 18 <= _age(case.date_of_birth, case.stages["admitted"]) <= 30,
        "age_31": lambda case: 31 <= _age(case.date_of_birth, case.stages["admitted"]) <= 35,
    }
    assert count(2025, checks["total"]) > 0 and count(2025, checks["age_31"]) > 0
    for key, where in checks.items():
        assert report.total[key] == count(2025, where), key
        assert report.before[key] == count(2024, where), key
    assert sum(counts["total"] for _unit, counts in report.rows) == report.total["total"]


def test_targets_are_set_by_a_board_within_its_scope_and_reported(world):
    cases = build(world)
    board_user = world.users[("TQ", "org_board")]
    board = acting(board_user)
    district = db.session.execute(select(OrgUnit.id).where(OrgUnit.code == "TQ-CH")).scalar()
    set_target(board_user, board, district, 2025, 4, now=_now(2025))
    set_target(board_user, board, district, 2025, 5, now=_now(2025))  # a change, not a second row
    assert _targets_of(district) == [5]
    event = db.session.execute(select(InstanceEvent).where(InstanceEvent.kind == "target_set")
                               .order_by(InstanceEvent.seq.desc())).scalars().first()
    assert event.payload == {"unit_id": district, "year": 2025, "before": 4, "after": 5}
    _own, below = targets_report(report_scope(board), 2025)
    row = next(row for row in below if row.unit.id == district)
    admitted = len(expected(cases, "admitted", date(2025, 1, 1), date(2025, 12, 31), ("TQ-CH-THPT",)))
    assert (row.target, row.admitted, row.reached) == (5, admitted, round(100 * admitted / 5, 1))
    with pytest.raises(InvalidSubmission):
        set_target(board_user, board, district, 2025, -1, now=_now(2025))
    with pytest.raises(InvalidSubmission):
        set_target(board_user, board, district, 2031, 3, now=_now(2025))
    district_board = world.users[("TQ-LN", "org_board")]
    with pytest.raises(Forbidden):  # a neighbour's targets
        set_target(district_board, acting(district_board), district, 2025, 9, now=_now(2025))
    secretary = world.users[("TQ-CH-THPT", "cell_secretary")]
    with pytest.raises(Forbidden):
        set_target(secretary, acting(secretary), world.cells["TQ-CH-THPT"].id, 2025, 9, now=_now(2025))
    assert _targets_of(district) == [5]


def _targets_of(unit_id):
    return db.session.execute(select(UnitTarget.admissions).where(UnitTarget.unit_id == unit_id)).scalars().all()


def _now(year):
    from datetime import UTC, datetime
    return datetime(year, 3, 1, 3, 0, tzinfo=UTC)


def test_time_per_stage_in_working_days(world):
    made = [add_case(world, "TQ-LN-THPT", {"dossier_complete": date(2025, 3, 3), "verified": date(2025, 3, 3 + n)},
                     number=500 + n) for n in (2, 5, 9, 14)]
    made.append(add_case(world, "TQ-CH-THPT", {"dossier_complete": date(2025, 1, 20), "verified": date(2025, 4, 1)},
                         number=600))
    db.session.commit()
    scope = report_scope(acting(world.users[("TQ", "org_board")]))
    whole, units = stage_times(scope, YEAR_2025, date(2025, 12, 31))
    days = sorted(working_days_between(case.stages["dossier_complete"], case.stages["verified"]) for case in made)
    verification = next(time for time in whole if time.pair == ("dossier_complete", "verified"))
    assert (verification.cases, verification.median, verification.p90) == (
        5, percentile(days, 0.5), percentile(days, 0.9))
    assert days[2] == verification.median  # nearest rank of five: the third
    assert units[0].unit.code == "TQ-CH"  # the slowest unit first (Tết lies in its verification)
    assert verification.late == 0


def _verification_task(case, number, due_on, completed_on=None):
    from datetime import UTC, datetime
    db.session.add(HumanTask(
        instance_id=case.instance_id, task_uuid=f"00000000-0000-0000-0000-{number:012d}",
        spec_name="record_verification",
        label="Thẩm tra", process_id="verify_place", form_name="record_verification", role="verifier",
        unit_id=world_unit(case), status="completed" if completed_on else "open", due_on=due_on,
        completed_at=datetime(completed_on.year, completed_on.month, completed_on.day, 3, tzinfo=UTC)
        if completed_on else None))


def world_unit(case):
    return db.session.execute(select(OrgUnit.id).where(OrgUnit.code == case.cell)).scalar()


def test_late_verifications_are_counted_from_the_recorded_due_dates(world):
    stages = {"dossier_complete": date(2025, 3, 3), "verified": date(2025, 5, 2)}
    late = add_case(world, "TQ-LN-THPT", stages, number=800)
    on_time = add_case(world, "TQ-LN-THPT", stages, number=801)
    still_open = add_case(world, "TQ-CH-THPT", {"dossier_complete": date(2025, 3, 3)}, number=802)
    _verification_task(late, 1, date(2025, 4, 14), date(2025, 5, 2))
    _verification_task(on_time, 2, date(2025, 5, 14), date(2025, 5, 2))
    _verification_task(still_open, 3, date(2025, 4, 14))
    db.session.commit()
    scope = report_scope(acting(world.users[("TQ", "org_board")]))
    whole, units = stage_times(scope, YEAR_2025, date(2025, 6, 1))
    verification = next(time for time in whole if time.pair == ("dossier_complete", "verified"))
    assert verification.late == 2  # completed after its due date, and open past it
    by_unit = {row.unit.code: row for row in units}
    late_of = {code: next(t.late for t in row.times if t.pair == ("dossier_complete", "verified"))
               for code, row in by_unit.items()}
    assert (late_of["TQ-LN"], late_of["TQ-CH"]) == (1, 1)
    assert next(t for t in whole if t.pair == ("sympathiser", "course_attended")).late is None


def test_units_without_admission_and_students_at_risk(world):
    today = date(2025, 6, 10)
    add_case(world, "TQ-LN-THPT", {"admitted": date(2025, 2, 1)}, number=700, status="probationary")
    expiring = add_case(world, "TQ-CH-THPT", {"certified": date(2020, 9, 1)}, number=701)
    add_case(world, "TQ-CH-THPT", {"certified": date(2021, 9, 1)}, number=702)  # lapses in 2026: not yet
    stale = add_case(world, "TQ-CX-THPT-1", {"dossier_complete": date(2024, 7, 1)}, number=703)
    add_case(world, "TQ-CX-THPT-1", {"dossier_complete": date(2024, 7, 1), "cell_approved": date(2024, 8, 1)},
             number=704)
    young = add_case(world, "TQ-DHTT-SP-SV", {}, number=705, date_of_birth=date(2007, 8, 1), class_name="12A2")
    add_case(world, "TQ-DHTT-SP-SV", {}, number=706, date_of_birth=date(2007, 3, 1), class_name="12A2")
    db.session.commit()
    scope = report_scope(acting(world.users[("TQ", "org_board")]))
    without = {unit.code for unit in units_without_admission(scope, YEAR_2025)}
    assert without == set(CELLS) - {"TQ-LN-THPT"}
    risks = {risk.kind: risk for risk in students_at_risk(scope, today)}
    assert [row.instance_id for row in risks["certificate_expiring"].rows] == [expiring.instance_id]
    assert [row.instance_id for row in risks["dossier_stale"].rows] == [stale.instance_id]
    assert [row.instance_id for row in risks["graduating_under_18"].rows] == [young.instance_id]
    cell_scope = report_scope(acting(world.users[("TQ-LN-THPT", "cell_secretary")]))
    assert all(risk.total == 0 for risk in students_at_risk(cell_scope, today))


def test_members_at_the_start_of_the_year_come_from_the_register(world):
    build(world)
    start = date(2025, 1, 1)
    ln, ch = world.cells["TQ-LN-THPT"].id, world.cells["TQ-CH-THPT"].id
    for number, (unit_id, joined, left, admitted) in enumerate((
            (ln, date(2020, 5, 1), None, date(2020, 5, 1)),  # counted
            (ln, date(2019, 5, 1), date(2024, 12, 31), date(2019, 5, 1)),  # left before the year began
            (ch, date(2025, 2, 1), None, date(2018, 3, 1)),  # joined the cell after 1 January
            (ch, date(2024, 9, 1), None, date(2025, 3, 1)),  # admitted during the year
            (ch, date(2022, 1, 1), None, date(2021, 1, 1)))):  # counted
        member = PartyMember(full_name=f"Đảng Viên {number}", admitted_on=admitted)
        db.session.add(member)
        db.session.flush()
        db.session.add(BodyMembership(member_id=member.id, unit_id=unit_id, body="cell", joined_on=joined,
                                      left_on=left))
    # The university cell keeps no register: its row says so (None), it is not counted as zero.
    db.session.execute(BodyMembership.__table__.delete().where(
        BodyMembership.unit_id == world.cells["TQ-DHTT-SP-SV"].id))
    db.session.commit()
    rows = db.session.execute(select(BodyMembership, PartyMember)
                              .join(PartyMember, PartyMember.id == BodyMembership.member_id)).all()

    def members(codes):
        ids = {world.cells[code].id for code in codes}
        return len({m.member_id for m, p in rows if m.unit_id in ids and m.body == "cell" and m.joined_on <= start
                    and (m.left_on is None or m.left_on > start) and p.admitted_on and p.admitted_on <= start})

    own, below = targets_report(report_scope(acting(world.users[("TQ", "org_board")])), 2025)
    assert own.members_at_start == members(CELLS) > 0
    by_code = {row.unit.code: row for row in below}
    for code in ("TQ-LN", "TQ-CH", "TQ-CX"):
        assert by_code[code].members_at_start == members(cells_below(world, code)), code
        assert by_code[code].growth == (round(100 * by_code[code].admitted / by_code[code].members_at_start, 1)
                                        if by_code[code].members_at_start else None)
    assert by_code["TQ-DHTT"].members_at_start is None and by_code["TQ-DHTT"].growth is None
