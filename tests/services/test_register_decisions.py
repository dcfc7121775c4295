"""Issue 10 (votes, introducers, helpers): decisions checked against the party member register.

The demo world's registers (webapp/demo/registers.py) match the unit records: TQ-LN-THPT has 11
official members, the grassroots committee of TQ-CX-THPT 7 members. Each finding of the issue is
driven through the services: refused with the register's facts and nothing changed, or — with a
reason — passed and flagged on the auditor's rule checks.
"""
from datetime import timedelta

import pytest
from sqlalchemy import select

from webapp.extensions import db
from webapp.models import BodyMembership, MemberAbsence, PartyMember, ProcessInstance, User
from webapp.rules import add_months
from webapp.services import InvalidSubmission, check_case
from webapp.services.errors import Forbidden
from webapp.services.register import members_for_choice

from .helpers import events, facts, instance, open_specs, task_named


def _instance(instance_id):
    return db.session.get(ProcessInstance, instance_id)


def _members(cell, day):
    return members_for_choice(cell.id, day)


def _refused(driver, task, answers):
    before = len(events(task.instance_id))
    with pytest.raises(InvalidSubmission) as refused:
        driver.complete(task, {task.spec_name: answers})
    assert open_specs(task.instance_id).count(task.spec_name) >= 1
    assert len(events(task.instance_id)) == before  # nothing recorded
    return refused.value.errors


# ---------------------------------------------------------------- the cell vote


def test_three_official_members_in_a_cell_whose_register_says_11_is_refused(start_case, driver):
    case = start_case("TQ-LN-THPT")
    task = driver.run(case.id, until="record_cell_vote")[0]
    errors = _refused(driver, task, {"official_members": 3, "present": 3, "agree": 2, "disagree": 1})
    text = " ".join(errors["official_members"])
    day = driver.local_day()
    assert f"ngày {day:%d/%m/%Y}: 11 đảng viên chính thức, 0 đang sinh hoạt tạm thời nơi khác" in text
    assert "tính 11" in text and "Biên bản ghi 3 đảng viên chính thức" in text and "tính 3" in text


def test_a_count_that_differs_with_a_reason_passes_and_is_flagged_for_the_auditor(start_case, driver):
    case = start_case("TQ-LN-THPT")
    task = driver.run(case.id, until="record_cell_vote")[0]
    reason = "Sổ chưa cập nhật 8 đảng viên chuyển đi theo Quyết định 12-QĐ/ĐU."
    driver.complete(task, {"record_cell_vote": {"official_members": 3, "present": 3, "agree": 2, "disagree": 1,
                                                "count_override_reason": reason}})
    data = facts(case.id)
    assert data["counted_official_members"] == 3 and data["admission_cell_vote_passed"] is True
    kept = data["official_members_register"]
    assert (kept["register"]["counted"], kept["recorded"]["counted"], kept["overridden"]) == (11, 3, True)
    driver.run(case.id, until="hold_ceremony")
    check = next(c for c in check_case(_instance(case.id)) if c.key == "register_counts")
    assert check.status == "override"
    assert check.detail["overrides"][0] == {"step": "record_cell_vote", "day": kept["day"], "register": 11,
                                                  "recorded": 3, "reason": reason}


def test_the_register_matching_vote_is_met_on_the_rule_checks(start_case, driver):
    case = start_case("TQ-LN-THPT")
    driver.run(case.id, until="hold_ceremony")
    check = next(c for c in check_case(_instance(case.id)) if c.key == "register_counts")
    assert check.status == "met"


def test_presence_is_ticked_from_the_register_and_an_exempted_absent_member_leaves_the_base(start_case, driver,
                                                                                              world):
    cell = world.cells["TQ-LN-THPT"]
    case = start_case("TQ-LN-THPT")
    task = driver.run(case.id, until="record_cell_vote")[0]
    day = driver.local_day() + timedelta(days=1)  # the day driver.complete records the vote
    members = _members(cell, day)
    exempt = members[-1]
    db.session.add(MemberAbsence(membership_id=exempt.membership_id, kind="exempt", starts_on=day - timedelta(days=30),
                                 detail="Tuổi cao, sức yếu"))
    db.session.commit()
    ticked = [m.member_id for m in members[:7]]
    # 11 official, 1 exempted and absent → 10 counted, 7 needed; the 7 present are counted from the ticks.
    driver.complete(task, {"record_cell_vote": {"official_members": 11, "temporarily_attached": 0,
                                                "exempt_absent": 0, "present": 11, "present_members": ticked,
                                                "agree": 7, "disagree": 0}})
    data = facts(case.id)
    assert (data["present"], data["exempt_absent"], data["counted_official_members"]) == (7, 1, 10)
    assert data["cell_vote_threshold"] == 7 and data["admission_cell_vote_passed"] is True
    assert data["official_members_register"]["present_member_ids"] == sorted(ticked)


def test_a_ticked_person_who_is_not_in_the_register_is_refused(start_case, driver):
    case = start_case("TQ-LN-THPT")
    task = driver.run(case.id, until="record_cell_vote")[0]
    errors = _refused(driver, task, {"present_members": [999999], "agree": 1, "disagree": 0})
    assert "không có trong sổ" in " ".join(errors["present"])


# ---------------------------------------------------------------- the grassroots committee


def test_one_member_one_agree_at_the_grassroots_committee_is_refused(start_case, driver):
    case = start_case("TQ-CX-THPT-1")
    task = driver.run(case.id, until="record_committee_vote")[0]
    errors = _refused(driver, task, {"committee_members": 1, "committee_present": 1, "committee_agree": 1,
                                     "committee_disagree": 0})
    text = " ".join(errors["committee_members"])
    assert "7 ủy viên" in text and "Biên bản ghi 1 ủy viên" in text


def test_the_sub_committee_s_vote_is_counted_from_its_register(start_case, driver):
    # The faculty's sub-committee (TQ-DHTT-SP) has 5 members in its register; its appraisal may record a vote.
    case = start_case("TQ-DHTT-SP-SV")
    task = driver.run(case.id, until="appraise_subcommittee")[0]
    errors = _refused(driver, task, {"subcommittee_opinion": "support", "subcommittee_members": 1,
                                     "subcommittee_agree": 1})
    text = " ".join(errors["subcommittee_members"])
    assert "5 ủy viên" in text and "Biên bản ghi 1 ủy viên" in text
    driver.complete(task, {"appraise_subcommittee": {"subcommittee_opinion": "support", "subcommittee_members": 5,
                                                     "subcommittee_agree": 4}})
    kept = facts(case.id)["subcommittee_members_register"]
    assert (kept["register"]["counted"], kept["overridden"]) == (5, False)


def test_a_sub_committee_count_with_a_reason_passes_flagged_and_no_vote_recorded_is_not_checked(start_case, driver):
    reason = "Hai ủy viên mới được chuẩn y, sổ chưa cập nhật."
    flagged = start_case("TQ-DHTT-SP-SV")
    driver.run(flagged.id, until="record_committee_vote", overrides={"appraise_subcommittee": {
        "subcommittee_opinion": "support", "subcommittee_members": 7, "subcommittee_agree": 6,
        "subcommittee_count_override_reason": reason}})
    check = next(c for c in check_case(_instance(flagged.id)) if c.key == "register_counts")
    assert check.status == "override"
    assert [(o["step"], o["register"], o["recorded"], o["reason"]) for o in check.detail["overrides"]] == [
        ("appraise_subcommittee", 5, 7, reason)]

    unvoted = start_case("TQ-DHTT-SP-SV", full_name="Trần Thị Bình")  # the opinion alone: nothing to count
    driver.run(unvoted.id, until="record_committee_vote", overrides={"appraise_subcommittee": {
        "subcommittee_members": None, "subcommittee_agree": None}})
    assert "subcommittee_members_register" not in facts(unvoted.id)


def test_the_standing_committee_decision_is_counted_from_its_register(start_case, driver):
    case = start_case("TQ-LN-THPT")
    task = driver.run(case.id, until="decide_admission")[0]
    errors = _refused(driver, task, {"decision_members": 1, "decision_agree": 1})
    assert "9 ủy viên" in " ".join(errors["decision_members"])


# ---------------------------------------------------------------- introducers and helpers


def _assign(start_case, driver, cell="TQ-LN-THPT", nominated=None):
    case = start_case(cell)
    overrides = {"nominate_student": {"nomination_date": nominated}} if nominated else None
    tasks = driver.run(case.id, until="assign_introducers", overrides=overrides)
    return case, next(t for t in tasks if t.spec_name == "assign_introducers")


def _probationary_member(cell, day, user=None):
    member = PartyMember(full_name="Đinh Thị Dự Bị", admitted_on=day - timedelta(days=100),
                         user_id=user.id if user else None)
    db.session.add(member)
    db.session.flush()
    db.session.add(BodyMembership(member_id=member.id, unit_id=cell.id, body="cell", joined_on=member.admitted_on))
    db.session.commit()
    return member


def test_a_probationary_introducer_is_refused_naming_the_member(start_case, driver, world):
    _case, task = _assign(start_case, driver)
    member = _probationary_member(world.cells["TQ-LN-THPT"], driver.local_day())
    errors = _refused(driver, task, {"introducer1_member": member.id})
    text = " ".join(errors["introducer1_member"])
    assert "Đinh Thị Dự Bị chưa là đảng viên chính thức" in text and "dự bị từ" in text


def test_an_introducer_with_fewer_than_12_months_together_is_refused_and_a_replacement_is_exempt(
        start_case, driver):
    # The applicant is in the unit since the Youth Union nominated them, 8 months ago: computed from the
    # case's recorded acts, never typed (register_choices.applicant_in_unit_since).
    since = add_months(driver.local_day(), -8)
    case, task = _assign(start_case, driver, nominated=since.isoformat())
    errors = _refused(driver, task, {})
    text = " ".join(errors["introducer1_member"])
    assert "8 tháng" in text and "chưa đủ 12 tháng" in text
    assert f"ở đơn vị từ {since:%d/%m/%Y} (ngày nghị quyết giới thiệu của Đoàn)" in text
    # A replacement is an event with its reason, recorded; it needs no 12 months.
    errors = _refused(driver, task, {"introducer1_replacement_reason": "moved"})
    assert "introducer1_replacement_note" in errors
    driver.complete(task, {"assign_introducers": {
        "introducer1_replacement_reason": "moved",
        "introducer1_replacement_note": "Đồng chí Lê Văn Cũ chuyển sinh hoạt (QĐ 05-QĐ/ĐU)."}})
    data = facts(case.id)
    assert (data["introducer1_months_together"], data["introducer1_replacement"]) == (8, True)
    assert (data["applicant_in_unit_since"], data["applicant_in_unit_since_source"]) == (
        since.isoformat(), "nomination_date")


def test_a_member_without_an_account_cannot_be_given_the_letter(start_case, driver, world):
    _case, task = _assign(start_case, driver)
    no_account = next(m for m in _members(world.cells["TQ-LN-THPT"], driver.local_day()) if m.user_id is None)
    errors = _refused(driver, task, {"introducer1_member": no_account.member_id})
    assert "chưa có tài khoản được liên kết" in " ".join(errors["introducer1_member"])


def test_a_member_of_another_cell_is_refused(start_case, driver, world):
    _case, task = _assign(start_case, driver)
    other = _members(world.cells["TQ-CH-THPT"], driver.local_day())[0]
    errors = _refused(driver, task, {"introducer1_member": other.member_id})
    assert "không có trong sổ đảng viên" in " ".join(errors["introducer1_member"])


def test_two_introducers_must_be_two_members(start_case, driver, world):
    _case, task = _assign(start_case, driver)
    first = next(m for m in _members(world.cells["TQ-LN-THPT"], driver.local_day()) if m.user_id)
    errors = _refused(driver, task, {"introduction_mode": "two_members", "introducer1_member": first.member_id,
                                     "introducer2_member": first.member_id})
    assert "hai đảng viên khác nhau" in " ".join(errors["introducer2_member"])


def test_only_the_chosen_introducer_writes_the_letter(start_case, driver, world):
    case, _task = _assign(start_case, driver)
    chosen = world.users[("TQ-LN-THPT", "introducer")]
    member = db.session.execute(select(PartyMember).where(PartyMember.user_id == chosen.id)).scalar_one()
    driver.run(case.id, until="write_introduction_letters", overrides={"assign_introducers": {
        "introducer1_member": member.id}})
    letter = task_named(case.id, "write_introduction_letters")
    assert letter.assignee_id == chosen.id
    secretary = world.users[("TQ-LN-THPT", "cell_secretary")]
    with pytest.raises(Forbidden) as refused:
        driver.complete(letter, actor=secretary)
    assert refused.value.params == {"name": chosen.full_name}
    assert "write_introduction_letters" in open_specs(case.id)
    driver.complete(letter, actor=chosen)
    assert "write_introduction_letters" not in open_specs(case.id)


def test_the_probation_helper_chosen_at_the_ceremony_writes_the_comment(start_case, driver, world):
    case = start_case("TQ-LN-THPT")
    secretary = world.users[("TQ-LN-THPT", "cell_secretary")]
    helper = db.session.execute(select(PartyMember).where(PartyMember.user_id == secretary.id)).scalar_one()
    driver.run(case.id, until="comment_on_probation",
               overrides={"hold_ceremony": {"probation_helper_member": helper.id}})
    comment = task_named(case.id, "comment_on_probation")
    assert comment.assignee_id == secretary.id
    # A holder of the introducer role (the lane the comment is drawn in), the cell's verifier: refused
    # naming the helper, and nothing recorded.
    for other in (world.users[("TQ-LN-THPT", "introducer")], world.users[("TQ-LN-THPT", "verifier")]):
        before = (instance(case.id).lock_version, len(events(case.id)))
        with pytest.raises(Forbidden) as refused:
            driver.complete(comment, actor=other)
        assert refused.value.params == {"name": helper.full_name}
        assert (instance(case.id).lock_version, len(events(case.id))) == before
        assert task_named(case.id, "comment_on_probation").id == comment.id
    driver.complete(comment, actor=secretary)
    assert "comment_on_probation" not in open_specs(case.id)
    assert facts(case.id)["probation_helpers"] == helper.full_name


def test_a_probationary_helper_is_refused_at_the_sympathiser_list(start_case, driver, world):
    case = start_case("TQ-LN-THPT")
    task = driver.run(case.id, until="add_to_sympathiser_list")[0]
    member = _probationary_member(world.cells["TQ-LN-THPT"], driver.local_day(),
                                  user=db.session.get(User, world.users[("TQ-LN-THPT", "verifier")].id))
    errors = _refused(driver, task, {"helper_member": member.id})
    assert "chưa là đảng viên chính thức" in " ".join(errors["helper_member"])
