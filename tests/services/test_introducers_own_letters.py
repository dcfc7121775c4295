"""Each introducer writes their own letter (issue 10): with two member introducers the letter step
opens once per introducer, assigned to that member's own account; nobody else may complete it."""
import pytest
from sqlalchemy import select

from webapp.extensions import db
from webapp.models import HumanTask, PartyMember
from webapp.services.errors import Forbidden, InvalidSubmission
from webapp.services.register import members_for_choice

from .helpers import events, facts, task_named


def _member(user):
    return db.session.execute(select(PartyMember).where(PartyMember.user_id == user.id)).scalar_one()


def _letters(instance_id, status="open"):
    return db.session.execute(select(HumanTask).where(
        HumanTask.instance_id == instance_id, HumanTask.spec_name == "write_introduction_letters",
        HumanTask.status == status).order_by(HumanTask.id)).scalars().all()


def test_two_introducers_each_write_their_own_letter_and_nobody_else_can(start_case, driver, world):
    introducer = world.users[("TQ-LN-THPT", "introducer")]
    secretary = world.users[("TQ-LN-THPT", "cell_secretary")]
    case = start_case("TQ-LN-THPT")
    driver.run(case.id, until="write_introduction_letters", overrides={"assign_introducers": {
        "introduction_mode": "two_members", "introducer1_member": _member(introducer).id,
        "introducer2_member": _member(secretary).id}})
    letters = _letters(case.id)
    assert sorted(letter.assignee_id for letter in letters) == sorted([introducer.id, secretary.id])
    mine = {letter.assignee_id: letter for letter in letters}

    # The other introducer, a holder of the introducer role, the cell's verifier: all refused, naming the writer.
    for intruder in (secretary, world.users[("TQ-LN-THPT", "verifier")]):
        before = len(events(case.id))
        with pytest.raises(Forbidden) as refused:
            driver.complete(mine[introducer.id], actor=intruder)
        assert refused.value.params == {"name": introducer.full_name}
        assert len(events(case.id)) == before and len(_letters(case.id)) == 2

    first_day = driver.local_day()
    driver.complete(mine[introducer.id], {"write_introduction_letters": {
        "introduction_letter_date": first_day.isoformat()}}, actor=introducer)
    assert [letter.assignee_id for letter in _letters(case.id)] == [secretary.id]  # the other letter still waits
    with pytest.raises(Forbidden):
        driver.complete(mine[secretary.id], actor=introducer)
    driver.complete(mine[secretary.id], actor=secretary)
    assert _letters(case.id) == [] and len(_letters(case.id, "completed")) == 2
    data = facts(case.id)
    # The later acts stand on the latest of the two letters; the list is not kept in the case data.
    assert data["introduction_letter_date"] == max(
        letter.submitted["introduction_letter_date"] for letter in _letters(case.id, "completed"))
    assert "introduction_letters" not in data and "letter_writer_user_id" not in data


def test_with_the_youth_union_only_the_member_introducer_writes(start_case, driver, world):
    introducer = world.users[("TQ-LN-THPT", "introducer")]
    case = start_case("TQ-LN-THPT")
    driver.run(case.id, until="write_introduction_letters", overrides={"assign_introducers": {
        "introduction_mode": "youth_union_and_member", "introducer1_member": _member(introducer).id}})
    assert [letter.assignee_id for letter in _letters(case.id)] == [introducer.id]


def test_a_second_introducer_without_an_account_cannot_be_given_a_letter(start_case, driver, world):
    introducer = world.users[("TQ-LN-THPT", "introducer")]
    case = start_case("TQ-LN-THPT")
    driver.run(case.id, until="assign_introducers")
    task = task_named(case.id, "assign_introducers")
    no_account = next(m for m in members_for_choice(world.cells["TQ-LN-THPT"].id, driver.local_day())
                      if m.user_id is None and m.status == "official")
    before = len(events(case.id))
    with pytest.raises(InvalidSubmission) as refused:
        driver.complete(task, {"assign_introducers": {"introduction_mode": "two_members",
                                                      "introducer1_member": _member(introducer).id,
                                                      "introducer2_member": no_account.member_id}})
    assert "chưa có tài khoản được liên kết" in " ".join(refused.value.errors["introducer2_member"])
    assert len(events(case.id)) == before
