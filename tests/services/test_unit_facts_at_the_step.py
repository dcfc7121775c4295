"""Unit facts are read at the step that depends on them: delegation withdrawn while a case runs sends
its decision to the upper committee; the unit edit's preview counts the running cases first."""
from sqlalchemy import select

from webapp.extensions import db
from webapp.models import OrgUnit
from webapp.services.organisation_admin import unit_change_impact, update_unit

from .helpers import facts, open_specs, task_named


def _unit(code):
    return db.session.execute(select(OrgUnit).where(OrgUnit.code == code)).scalar_one()


def test_withdrawn_delegation_sends_a_running_case_to_the_upper_committee(start_case, driver, world):
    university, province = _unit("TQ-DHTT"), _unit("TQ")
    case = start_case("TQ-DHTT-SP-SV")
    driver.run(case.id, until="record_committee_vote")
    assert facts(case.id)["delegated"] is True

    admin = world.users["admin"]
    preview = unit_change_impact(admin, university.id, {"delegated": False})
    assert preview.cases >= 1
    assert db.session.get(OrgUnit, university.id).delegated is True  # the preview saved nothing

    update_unit(admin, university.id, {"delegated": False})
    driver.run(case.id, until=("decide_admission", "decide_admission_delegated"))
    assert "decide_admission" in open_specs(case.id) and "decide_admission_delegated" not in open_specs(case.id)
    assert facts(case.id)["delegated"] is False and facts(case.id)["rule_set"] == "2025"
    assert task_named(case.id, "decide_admission").unit_id == province.id


def test_a_delegated_committee_still_decides_when_nothing_changed(start_case, driver):
    case = start_case("TQ-DHTT-SP-SV")
    driver.run(case.id, until=("decide_admission", "decide_admission_delegated"))
    assert open_specs(case.id) == ["decide_admission_delegated"]
