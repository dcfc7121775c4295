"""The 2025 reorganisation: district committees abolished, schools moved under commune committees."""
import pytest
from sqlalchemy import select

from webapp.extensions import db
from webapp.models import HumanTask, InstanceEvent, OrgUnit, RoleAssignment, UnitClosure
from webapp.services import Forbidden, InvalidSubmission
from webapp.services.organisation_admin import (
    add_unit,
    add_user,
    give_role,
    revoke_role,
    set_user_active,
    unit_change_impact,
    update_unit,
)

from .helpers import completed_specs, instance, who_acts


def _commune(world):
    admin = world.users["admin"]
    commune = add_unit(admin, parent_id=world.tree["province"].id, kind="commune", name="Đảng ủy xã Chiêm Hóa",
                       code="TQ-XCH", rule_set="2025")
    for role in ("standing_committee", "org_board", "political_center"):
        user = add_user(admin, username=f"tq-xch.{role}", full_name=f"Cán bộ {role}", password="mat-khau-du-dai")
        give_role(admin, user.id, role, commune.id)
    return commune


def _task_unit(instance_id, spec_name):
    task = db.session.execute(select(HumanTask).where(HumanTask.instance_id == instance_id,
                                                      HumanTask.spec_name == spec_name)).scalars().first()
    return db.session.get(OrgUnit, task.unit_id).code


def test_moving_a_school_keeps_history_and_sends_new_decisions_to_the_commune(world, start_case, driver):
    admin = world.users["admin"]
    decided = start_case("TQ-CH-THPT", citizen_id="001207000010")
    driver.run(decided.id, until="hold_ceremony")
    waiting = start_case("TQ-CH-THPT", citizen_id="001207000011")
    driver.run(waiting.id, until="appraise_file")
    commune = _commune(world)
    school = world.cells["TQ-CH-THPT"]

    impact = unit_change_impact(admin, school.id, {"parent_id": commune.id, "rule_set": "2025"})
    assert impact.cases == 2
    assert [(label, case_id, before, after) for label, case_id, before, after in impact.reassigned] == [
        ("Ban Tổ chức thẩm định hồ sơ", waiting.id, "Huyện ủy Chiêm Hóa", "Đảng ủy xã Chiêm Hóa")]
    assert db.session.get(OrgUnit, school.id).parent_id != commune.id  # the preview changed nothing

    update_unit(admin, school.id, {"parent_id": commune.id, "rule_set": "2025"})

    # History: the decided case keeps its decision by the district's standing committee.
    assert _task_unit(decided.id, "decide_admission") == "TQ-CH"
    assert "decide_admission" in completed_specs(decided.id)
    # The waiting case's open appraisal moved to the commune; its decision goes there too.
    assert who_acts(waiting.id) == {"appraise_file": ("org_board", "TQ-XCH")}
    reassigned = db.session.execute(select(InstanceEvent).where(InstanceEvent.kind == "task_reassigned")).scalar_one()
    assert reassigned.instance_id == waiting.id
    driver.run(waiting.id, until="decide_admission")
    assert who_acts(waiting.id) == {"decide_admission": ("standing_committee", "TQ-XCH")}
    # A new case starts under the 2025 rules of its new place.
    fresh = start_case("TQ-CH-THPT", citizen_id="001207000012")
    assert instance(fresh.id).rule_set == "2025"
    driver.run(fresh.id, until="record_course_result")
    assert who_acts(fresh.id) == {"record_course_result": ("political_center", "TQ-XCH")}
    # The closure table follows the move: the district no longer reaches the school.
    reach = {row.ancestor_id for row in db.session.execute(
        select(UnitClosure).where(UnitClosure.descendant_id == school.id)).scalars()}
    assert commune.id in reach and world.tree["bodies"][0].id not in reach
    changed = db.session.execute(select(InstanceEvent).where(InstanceEvent.kind == "unit_changed")).scalar_one()
    assert changed.payload["before"]["rule_set"] == "2021" and changed.payload["after"]["rule_set"] == "2025"


def test_a_unit_cannot_move_under_itself(world):
    admin = world.users["admin"]
    with pytest.raises(InvalidSubmission):
        update_unit(admin, world.tree["grassroots_committees"][1].id,
                    {"parent_id": world.cells["TQ-DHTT-SP-SV"].id})


def test_the_last_administrator_cannot_be_locked_out(world):
    admin = world.users["admin"]
    with pytest.raises(Forbidden):
        set_user_active(admin, admin.id, False)
    assignment = db.session.execute(select(RoleAssignment).where(RoleAssignment.role == "admin")).scalar_one()
    with pytest.raises(Forbidden):
        revoke_role(admin, assignment.id)
    helper = add_user(admin, username="admin2", full_name="Quản trị 2", password="mat-khau-du-dai")
    give_role(admin, helper.id, "admin", world.tree["province"].id)
    assert not set_user_active(admin, admin.id, False).active  # allowed: another administrator remains
