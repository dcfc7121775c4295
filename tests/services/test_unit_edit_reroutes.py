"""A unit edit lists, before it is saved, the running cases it reroutes (issue 10): a stage still
ahead of a case that another body will do. Saving it needs the token of that very impact."""
import pytest
from sqlalchemy import select

from webapp.authz.role_places import role_fits_unit
from webapp.extensions import db
from webapp.models import InstanceEvent, OrgUnit, RoleAssignment
from webapp.services.organisation_admin import ImpactNotConfirmed, revoke_role, unit_change_impact, update_unit

from .helpers import open_specs


def _unit(code):
    return db.session.execute(select(OrgUnit).where(OrgUnit.code == code)).scalar_one()


def _grants_outside(unit, kind):
    grants = db.session.execute(select(RoleAssignment).where(RoleAssignment.unit_id == unit.id)).scalars().all()
    return [grant for grant in grants if not role_fits_unit(grant.role, kind)]


def _unit_events():
    return db.session.execute(select(InstanceEvent).where(InstanceEvent.kind == "unit_changed")).scalars().all()


def test_moving_a_cell_off_its_subcommittee_reroutes_only_cases_before_the_appraisal(start_case, driver, world):
    cell, faculty, university = _unit("TQ-DHTT-SP-SV"), _unit("TQ-DHTT-SP"), _unit("TQ-DHTT")
    early = start_case("TQ-DHTT-SP-SV")
    driver.run(early.id, until="plan_cell_meeting")
    late = start_case("TQ-DHTT-SP-SV", full_name="Trần Thị Bình")
    driver.run(late.id, until="record_committee_vote")
    admin = world.users["admin"]

    impact = unit_change_impact(admin, cell.id, {"parent_id": university.id})
    assert impact.cases == 2 and impact.reassigned == ()
    assert [(r.case_id, r.stage, r.before, r.after) for r in impact.rerouted] == [
        (early.id, "subcommittee_appraisal", faculty.name, None)]
    assert db.session.get(OrgUnit, cell.id).parent_id == faculty.id  # the preview saved nothing

    with pytest.raises(ImpactNotConfirmed) as refused:
        update_unit(admin, cell.id, {"parent_id": university.id}, confirmed_impact="")
    assert refused.value.stale is False and refused.value.impact.token == impact.token
    assert db.session.get(OrgUnit, cell.id).parent_id == faculty.id and _unit_events() == []

    update_unit(admin, cell.id, {"parent_id": university.id}, confirmed_impact=impact.token)
    assert db.session.get(OrgUnit, cell.id).parent_id == university.id
    assert _unit_events()[-1].payload["rerouted"] == [{"case_id": early.id, "stage": "subcommittee_appraisal"}]
    driver.run(early.id, until=("appraise_subcommittee", "record_committee_vote"))
    assert "appraise_subcommittee" not in open_specs(early.id)  # the stage went as the preview said


def test_a_stale_preview_is_refused_with_the_impact_as_it_is_now(start_case, driver, world):
    university, province = _unit("TQ-DHTT"), _unit("TQ")
    first = start_case("TQ-DHTT-SP-SV")
    admin = world.users["admin"]
    impact = unit_change_impact(admin, university.id, {"delegated": False})
    assert [(r.case_id, r.stage, r.before, r.after) for r in impact.rerouted] == [
        (first.id, "decision", university.name, province.name)]

    second = start_case("TQ-DHTT-SP-SV", full_name="Lê Văn Cường")  # a case started since the preview
    with pytest.raises(ImpactNotConfirmed) as refused:
        update_unit(admin, university.id, {"delegated": False}, confirmed_impact=impact.token)
    assert refused.value.stale is True
    assert [r.case_id for r in refused.value.impact.rerouted] == [first.id, second.id]
    assert db.session.get(OrgUnit, university.id).delegated is True and _unit_events() == []


def test_a_change_that_reroutes_nothing_saves_without_a_token(world):
    university = _unit("TQ-DHTT")
    update_unit(world.users["admin"], university.id, {"name": "Đảng ủy Đại học Tân Trào"}, confirmed_impact="")
    assert db.session.get(OrgUnit, university.id).name == "Đảng ủy Đại học Tân Trào"


def test_a_grassroots_committee_becoming_a_grassroots_cell_drops_the_committee_vote_ahead(start_case, driver, world):
    # The third fact read at the step: a grassroots cell sends straight up, with no committee vote.
    committee = _unit("TQ-CX-THPT")
    case = start_case("TQ-CX-THPT-1")
    driver.run(case.id, until="plan_cell_meeting")
    admin = world.users["admin"]
    for grant in _grants_outside(committee, "grassroots_cell"):  # no kind change leaves them (test_acts_and_records)
        revoke_role(admin, grant.id)

    impact = unit_change_impact(admin, committee.id, {"kind": "grassroots_cell"})
    assert [(r.case_id, r.stage, r.before, r.after) for r in impact.rerouted] == [
        (case.id, "committee_vote", committee.name, None)]
    assert db.session.get(OrgUnit, committee.id).kind == "grassroots_committee"  # the preview saved nothing
    with pytest.raises(ImpactNotConfirmed):
        update_unit(admin, committee.id, {"kind": "grassroots_cell"}, confirmed_impact="")
    assert db.session.get(OrgUnit, committee.id).kind == "grassroots_committee" and _unit_events() == []

    update_unit(admin, committee.id, {"kind": "grassroots_cell"}, confirmed_impact=impact.token)
    assert _unit_events()[-1].payload["rerouted"] == [{"case_id": case.id, "stage": "committee_vote"}]
    driver.run(case.id, until=("record_committee_vote", "decide_admission", "decide_admission_delegated"))
    # The run stops at the committee vote if it opens: it went straight up, as the preview said.
    assert set(open_specs(case.id)) & {"decide_admission", "decide_admission_delegated"}
    assert "record_committee_vote" not in open_specs(case.id)
