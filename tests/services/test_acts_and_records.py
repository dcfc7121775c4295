"""Issue 10: the date of an act is the date its rules are judged at; one person, one record; roles
only where they exist. Each refusal names the facts, and nothing changes."""
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import func, select

from webapp.authz.role_places import role_fits_unit
from webapp.extensions import db
from webapp.models import BodyMembership, InstanceEvent, OrgUnit, RoleAssignment, Student
from webapp.rules import add_months, rule_value
from webapp.services import InvalidBatch, InvalidSubmission, nominate_batch
from webapp.services.organisation_admin import give_role, revoke_role, unit_change_impact, update_unit
from webapp.services.people_registry import PersonAlreadyRegistered
from webapp.services.register.keeping import add_member, record_leaving
from webapp.services.rule_checks import check_case

from .helpers import events, facts, instance, open_specs, task_named


def _dmy(iso):
    return date.fromisoformat(iso).strftime("%d/%m/%Y")


def _refused(driver, case_id, spec, answers, field):
    """Complete `spec` with `answers` on top of the plausible ones; assert the refusal changed nothing."""
    task = task_named(case_id, spec)
    before = (instance(case_id).lock_version, len(events(case_id)))
    with pytest.raises(InvalidSubmission) as refused:
        driver.complete(task, {spec: answers})
    assert (instance(case_id).lock_version, len(events(case_id))) == before
    assert spec in open_specs(case_id)
    return refused.value.errors[field]


START_DAY = date(2026, 1, 5)


def at(day):
    return datetime.combine(day, datetime.min.time(), tzinfo=UTC) + timedelta(hours=2)


# ---------------------------------------------------------------- the date of the act


def test_the_cell_vote_is_judged_at_its_own_date_not_at_the_planned_one(start_case, driver):
    # 18 by month in March 2026: a meeting planned for late March passes the planning check, but a
    # vote recorded in January is a vote on someone under 18.
    case = start_case(date_of_birth=date(2008, 3, 20))
    driver.run(case.id, until="plan_cell_meeting")
    driver.complete(task_named(case.id, "plan_cell_meeting"), {"plan_cell_meeting": {"meeting_date": "2026-03-25"}})
    assert open_specs(case.id) == ["record_cell_vote"]
    vote_day = driver.local_day().isoformat()
    months = (date.fromisoformat(vote_day).year * 12 + date.fromisoformat(vote_day).month) - (2008 * 12 + 3)
    [text] = _refused(driver, case.id, "record_cell_vote", {"vote_date": vote_day, "resolution_date": vote_day},
                      "vote_date")
    assert text == (f"Ngày họp biểu quyết {_dmy(vote_day)}: người xin vào Đảng (sinh 20/03/2008) mới {months} tháng "
                    "tuổi, chưa đủ 216 tháng (đủ 18 tuổi từ tháng 03/2026).")
    # Held on the planned day, the same vote is lawful.
    driver.now = at(date(2026, 3, 25))
    driver.complete(task_named(case.id, "record_cell_vote"),
                    {"record_cell_vote": {"vote_date": "2026-03-25", "resolution_date": "2026-03-25"}})
    assert "record_cell_vote" not in open_specs(case.id)
    # The auditor's age check reads the same day: the vote's, not the plan's.
    age = next(check for check in check_case(instance(case.id)) if check.key == "age_at_meeting")
    assert (age.status, age.detail) == ("met", {"months": 216, "vote_date": "2026-03-25"})


def test_certificate_and_documents_are_judged_at_the_vote_s_own_date(start_case, driver):
    # Planned while everything is fresh; the vote is held (and dated) when the certificate and the
    # application have lapsed: refused at the vote's date, naming the documents, their dates and months.
    case = start_case()
    driver.run(case.id, until="plan_cell_meeting")
    driver.complete(task_named(case.id, "plan_cell_meeting"))
    assert open_specs(case.id) == ["record_cell_vote"]
    recorded = facts(case.id)
    valid, fresh = rule_value("2025", "certificate_valid_months"), rule_value("2025", "document_valid_months")
    late = add_months(date.fromisoformat(recorded["certificate_date"]), valid) + timedelta(days=1)
    driver.now = at(late)
    errors = _refused(driver, case.id, "record_cell_vote", {"vote_date": late.isoformat(),
                                                             "resolution_date": late.isoformat()}, "vote_date")
    assert (f"Ngày họp biểu quyết {late:%d/%m/%Y}: giấy chứng nhận bồi dưỡng cấp ngày "
            f"{_dmy(recorded['certificate_date'])} đã quá {valid} tháng.") in errors
    assert (f"Ngày họp biểu quyết {late:%d/%m/%Y}: đơn xin vào Đảng ngày {_dmy(recorded['application_date'])} "
            f"đã quá {fresh} tháng.") in errors


def test_a_decision_dated_before_the_acts_it_stands_on_or_after_today_is_refused(start_case, driver):
    case = start_case()
    driver.run(case.id, until="decide_admission")
    recorded = facts(case.id)
    early = (date.fromisoformat(recorded["resolution_date"]) - timedelta(days=1)).isoformat()
    [text] = _refused(driver, case.id, "decide_admission", {"decision_date": early}, "decision_date")
    assert text == (f"Ngày quyết định {_dmy(early)} sớm hơn ngày thẩm định hồ sơ {_dmy(recorded['appraisal_date'])}.")
    tomorrow = (driver.local_day() + timedelta(days=2)).isoformat()
    today = (driver.now + driver.step + timedelta(hours=7)).date()  # the clock the step is completed at
    [text] = _refused(driver, case.id, "decide_admission", {"decision_date": tomorrow}, "decision_date")
    assert text == (f"Ngày quyết định {_dmy(tomorrow)} muộn hơn hôm nay ({today:%d/%m/%Y}): không ghi một việc "
                    "chưa xảy ra.")
    driver.run(case.id, until="hold_ceremony")  # dated the day it is taken: lawful
    assert open_specs(case.id) == ["hold_ceremony"]


def test_a_vote_before_the_certificate_and_a_nomination_next_year_are_refused(start_case, driver, world):
    case = start_case()
    driver.run(case.id, until="plan_cell_meeting")
    driver.complete(task_named(case.id, "plan_cell_meeting"))
    certificate = facts(case.id)["certificate_date"]
    before = (date.fromisoformat(certificate) - timedelta(days=3)).isoformat()
    errors = _refused(driver, case.id, "record_cell_vote", {"vote_date": before, "resolution_date": before},
                      "vote_date")
    assert any(text.startswith(f"Ngày họp biểu quyết của chi bộ {_dmy(before)} sớm hơn ngày ") for text in errors)

    cell = world.cells["TQ-LN-THPT"]
    student = {"full_name": "Lê Văn Tới", "date_of_birth": date(2008, 2, 2), "sex": "M", "citizen_id": "001208000777",
               "school": "THPT Lộc Ninh", "class_name": "12A3"}
    count = db.session.scalar(select(func.count(Student.id)))
    with pytest.raises(InvalidBatch) as refused:
        nominate_batch(world.users[("TQ-LN-THPT", "youth_union")], cell.id, [student],
                       {"nomination_number": "3-NQ/ĐTN", "nomination_date": "2027-01-10"}, now=at(date(2026, 1, 6)))
    assert refused.value.errors[0]["nomination_date"] == [
        "Ngày nghị quyết giới thiệu của Đoàn 10/01/2027 muộn hơn hôm nay (06/01/2026): không ghi một việc chưa xảy ra."]
    assert db.session.scalar(select(func.count(Student.id))) == count


def test_a_certificate_200_days_after_the_course_is_refused_under_2025_not_under_2021(start_case, driver):
    for cell, refused in (("TQ-LN-THPT", True), ("TQ-CH-THPT", False)):
        case = start_case(cell)
        driver.run(case.id, until="record_course_result")
        start = date.fromisoformat(facts(case.id)["course_start_date"])
        late = (start + timedelta(days=200)).isoformat()
        driver.now = at(start + timedelta(days=201))
        answers = {"certificate_date": late}
        if refused:
            [text] = _refused(driver, case.id, "record_course_result", answers, "certificate_date")
            assert text == (f"Ngày cấp giấy chứng nhận {_dmy(late)} cách ngày khai giảng lớp bồi dưỡng "
                            f"{start:%d/%m/%Y} 200 ngày: quy định cho phép tối đa 15 ngày.")
            driver.complete(task_named(case.id, "record_course_result"),
                            {"record_course_result": {"certificate_date": (start + timedelta(days=15)).isoformat()}})
        else:  # the 2021 rules set no issuing window
            driver.complete(task_named(case.id, "record_course_result"), {"record_course_result": answers})
        assert "record_course_result" not in open_specs(case.id)


def test_the_applicant_cannot_be_her_own_verifier(start_case, driver):
    case = start_case(full_name="Hoàng Thị Mai")
    driver.run(case.id, until="record_verification")
    [text] = _refused(driver, case.id, "record_verification", {"verifier_name": "hoàng  thị MAI"}, "verifier_name")
    assert text == ("Người thẩm tra trùng tên với người xin vào Đảng: người xin vào Đảng không được tự thẩm tra lý "
                    "lịch của mình.")


def test_a_date_of_birth_in_the_future_is_refused(start_case):
    count = db.session.scalar(select(func.count(Student.id)))
    with pytest.raises(InvalidSubmission) as refused:
        start_case(date_of_birth=date(2027, 1, 1))
    assert refused.value.errors == {"date_of_birth": ["date_of_birth_impossible"]}
    assert db.session.scalar(select(func.count(Student.id))) == count


# ---------------------------------------------------------------- one person, one record


def test_a_citizen_id_with_a_live_case_is_refused_in_any_unit_until_that_case_ends(start_case, driver, world):
    first = start_case("TQ-LN-THPT", citizen_id="001207099001")
    count = db.session.scalar(select(func.count(Student.id)))
    for cell, typed in (("TQ-LN-THPT", "001207099001"), ("TQ-CH-THPT", "0012 0709 9001")):
        with pytest.raises(PersonAlreadyRegistered) as refused:
            start_case(cell, citizen_id=typed, full_name="Nguyễn Văn Ản")
        assert refused.value.instance_id == first.id
        assert refused.value.errors == {"citizen_id": ["citizen_id_registered"]}
    assert db.session.scalar(select(func.count(Student.id))) == count

    # Two rows of one batch are one person too: all or nothing.
    row = {"full_name": "Trần Thị Bé", "date_of_birth": date(2008, 4, 4), "sex": "F", "citizen_id": "001208011111",
           "school": "THPT Lộc Ninh", "class_name": "12A2"}
    with pytest.raises(InvalidBatch) as refused:
        nominate_batch(world.users[("TQ-LN-THPT", "youth_union")], world.cells["TQ-LN-THPT"].id, [row, dict(row)],
                       {"nomination_number": "4-NQ/ĐTN", "nomination_date": "2026-01-05"}, now=at(date(2026, 1, 6)))
    assert refused.value.errors == {1: {"citizen_id": ["citizen_id_registered"]}}
    assert db.session.scalar(select(func.count(Student.id))) == count

    # A case that ended without admission may be followed by a new one (a later application).
    driver.run(first.id, overrides={"record_cell_vote": {"agree": 5, "disagree": 4},
                                    "reconsider_after_failed_vote": {"reconsider_decision": "close",
                                                                     "reconsider_reason": "Chuyển trường."}})
    assert instance(first.id).status == "closed"
    again = start_case("TQ-CH-THPT", citizen_id="001207099001")
    assert again.id != first.id


def test_a_party_member_of_the_register_is_refused_as_an_applicant_until_they_have_left(start_case, world):
    # Entered by hand (or CSV) with no case here: in the Party all the same.
    admin, cell = world.users["admin"], world.cells["TQ-LN-THPT"]
    member = add_member(admin, cell.id, {"full_name": "Đỗ Văn Đã Vào", "status": "official",
                                         "admitted_on": "2014-05-01", "official_on": "2015-05-01",
                                         "joined_on": "2016-01-10", "citizen_id": "001190088001"}, now=at(START_DAY))
    count = db.session.scalar(select(func.count(Student.id)))
    for code in ("TQ-LN-THPT", "TQ-CH-THPT"):  # its own cell and any other
        with pytest.raises(PersonAlreadyRegistered) as refused:
            start_case(code, citizen_id="0011 9008 8001", full_name="Đỗ Văn Đã Vào")
        assert refused.value.errors == {"citizen_id": ["citizen_id_registered"]}
        assert refused.value.instance_id is None  # no case to link to
    assert db.session.scalar(select(func.count(Student.id))) == count

    # Once they have left every body (removed from the Party), a new application may be registered.
    membership = db.session.execute(select(BodyMembership).where(BodyMembership.member_id == member.id)).scalar_one()
    record_leaving(admin, membership.id, {"left_on": "2026-01-05", "left_reason": "Xóa tên"}, now=at(START_DAY))
    assert start_case("TQ-CH-THPT", citizen_id="001190088001", full_name="Đỗ Văn Đã Vào").id


# ---------------------------------------------------------------- roles only where they exist


@pytest.mark.parametrize(("role", "unit_code"), [
    ("standing_committee", "TQ-LN-THPT"),   # "Ban Thường vụ" at a cell
    ("cell_secretary", "TQ"),               # a secretary at the province
    ("grassroots_committee", "TQ-LN"),      # a commune is not a grassroots committee
    ("subcommittee", "TQ-CX-THPT-1"),
])
def test_a_role_outside_the_kinds_of_unit_that_have_it_is_refused(world, role, unit_code):
    admin = world.users["admin"]
    unit = db.session.execute(select(OrgUnit).where(OrgUnit.code == unit_code)).scalar_one()
    user = world.users[("TQ-LN-THPT", "introducer")]
    granted = db.session.scalar(select(func.count(RoleAssignment.id)))
    logged = db.session.scalar(select(func.count(InstanceEvent.id)).where(InstanceEvent.kind == "role_granted"))
    with pytest.raises(InvalidSubmission) as refused:
        give_role(admin, user.id, role, unit.id)
    assert refused.value.errors == {"role": ["role_not_at_unit_kind"]}
    assert db.session.scalar(select(func.count(RoleAssignment.id))) == granted
    assert db.session.scalar(select(func.count(InstanceEvent.id)).where(InstanceEvent.kind == "role_granted")) == logged


def test_lawful_grants_pass_and_every_demo_grant_is_lawful(world):
    admin = world.users["admin"]
    user = world.users[("TQ-LN-THPT", "introducer")]
    assert give_role(admin, user.id, "verifier", world.cells["TQ-CH-THPT"].id).role == "verifier"
    commune = db.session.execute(select(OrgUnit).where(OrgUnit.code == "TQ-LN")).scalar_one()
    assert give_role(admin, user.id, "org_board", commune.id).unit_id == commune.id
    rows = db.session.execute(select(RoleAssignment.role, OrgUnit.kind)
                              .join(OrgUnit, OrgUnit.id == RoleAssignment.unit_id)).all()
    assert rows and all(role_fits_unit(role, kind) for role, kind in rows)



def test_a_kind_change_that_would_leave_grants_outside_it_is_refused(world):
    # A grassroots committee holding its committee's roles cannot become a grassroots cell (which has
    # no committee) while they are held: that would be a grant no grant could make.
    admin = world.users["admin"]
    committee = db.session.execute(select(OrgUnit).where(OrgUnit.code == "TQ-CX-THPT")).scalar_one()
    outside = [grant for grant in db.session.execute(select(RoleAssignment).where(
        RoleAssignment.unit_id == committee.id)).scalars() if not role_fits_unit(grant.role, "grassroots_cell")]
    assert {grant.role for grant in outside} >= {"grassroots_committee"}
    for attempt in (lambda: unit_change_impact(admin, committee.id, {"kind": "grassroots_cell"}),
                    lambda: update_unit(admin, committee.id, {"kind": "grassroots_cell"}, confirmed_impact="")):
        with pytest.raises(InvalidSubmission) as refused:
            attempt()
        assert refused.value.errors == {"kind": ["role_not_at_unit_kind"]}
    db.session.expire_all()
    assert db.session.get(OrgUnit, committee.id).kind == "grassroots_committee"
    assert db.session.scalar(select(func.count(InstanceEvent.id)).where(InstanceEvent.kind == "unit_changed")) == 0

    for grant in outside:  # revoked first, the same change is lawful
        revoke_role(admin, grant.id)
    update_unit(admin, committee.id, {"kind": "grassroots_cell"}, confirmed_impact="")
    assert db.session.get(OrgUnit, committee.id).kind == "grassroots_cell"
