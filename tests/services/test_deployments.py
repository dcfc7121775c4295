"""Deployments: every validation rule names the element it concerns; versions; moving running cases."""
from pathlib import Path

import pytest
from sqlalchemy import select

from webapp.engine import ProcessDefinitionError
from webapp.extensions import db
from webapp.models import HumanTask, InstanceEvent, ProcessVersion
from webapp.services import Forbidden
from webapp.services.deployments import (
    activate_version,
    deploy_version,
    diff_versions,
    migrate_cases,
    migration_preview,
    versions,
)
from webapp.services.versions import deployment_problems, files_from_directories

from .helpers import completed_specs, instance, open_specs

ROOT = Path(__file__).resolve().parents[2]


def _files():
    return files_from_directories(ROOT / "processes", ROOT / "forms")


def _with_admission(transform):
    files = _files()
    before = files["admission.bpmn"]
    files["admission.bpmn"] = transform(before.decode()).encode()
    assert files["admission.bpmn"] != before, "the test's change did not apply"
    return files


def _problems(files):
    return [(p.element_id, p.message) for p in deployment_problems(files)]


def test_the_real_processes_pass():
    assert _problems(_files()) == []


@pytest.mark.parametrize("change, element, words", [
    (lambda x: x.replace('name="cell_secretary"', 'name="secretary"'), "lane_cell_secretary", "not a known role"),
    (lambda x: x.replace('value="nominate_student.schema.json"', 'value="missing_form.schema.json"'),
     "nominate_student", "missing_form"),
    (lambda x: x.replace("course_attempts = 0", "import os"), "initialise_case", "imports are not allowed"),
    (lambda x: x.replace("course_attempts = 0", "x = ().__class__"), "initialise_case", "cannot run here"),
    (lambda x: x.replace(">course_passed<", ">course_passed ==<"), None, "condition"),
    (lambda x: x.replace("majority_month + 'T00:00:00+07:00'", "majority_month +"), "wait_for_majority",
     "timer"),  # on the event, not on its timer definition (issue 9)
    (lambda x: x.replace('sourceRef="nominate_student" targetRef="add_to_sympathiser_list"',
                         'sourceRef="nominate_student" targetRef="end_closed"'), "add_to_sympathiser_list",
     "cannot be reached"),
    (lambda x: x.replace('calledElement="cell_vote"', 'calledElement="admission"', 1), "admission_cell_vote",
     "its own process"),
    (lambda x: x.replace('calledElement="committee_vote"', 'calledElement="no_such_process"', 1),
     "admission_committee_vote", "not an executable process"),
    (lambda x: x.replace('<bpmn:userTask id="enroll_in_course"', '<bpmn:userTask id="enroll_in_course" bogus="1"'),
     None, "schema"),
])
def test_each_validation_rule_names_the_element(change, element, words):
    problems = _problems(_with_admission(change))
    assert problems, "the broken diagram was accepted"
    matching = [p for p in problems if words in p[1]]
    assert matching, problems
    if element:
        assert element in {p[0] for p in matching}, problems


def test_a_non_executable_pool_is_reported():
    problems = _problems(_with_admission(lambda x: x.replace(
        '<bpmn:process id="admission" name="Kết nạp và công nhận đảng viên chính thức" isExecutable="true">',
        '<bpmn:process id="admission" name="Kết nạp và công nhận đảng viên chính thức" isExecutable="false">')))
    assert any(p[0] == "admission" and "not executable" in p[1] for p in problems)


XXE = b"""<?xml version="1.0"?><!DOCTYPE d [<!ENTITY x SYSTEM "file:///etc/passwd">]>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL">&x;</bpmn:definitions>"""
BOMB = b"""<?xml version="1.0"?><!DOCTYPE l [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">
<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;">]><bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL">&c;
</bpmn:definitions>"""
SVG = b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"><rect width="1" height="1"/></svg>'


@pytest.mark.parametrize("content, words", [
    (XXE, "DOCTYPE"), (BOMB, "DOCTYPE"), (SVG, "not a BPMN diagram"), (b"", "empty"),
    (b"<bpmn:definitions xmlns:bpmn='http://www.omg.org/spec/BPMN/20100524/MODEL'><bpmn:process", "not well-formed"),
    ("<d>\u00e9</d>".encode("latin-1"), "UTF-8"), (b"<a>" + b" " * (50 * 1024 * 1024) + b"</a>", "limit"),
])
def test_hostile_uploads_are_refused_with_one_clear_message_and_nothing_stored(content, words, world):
    files = _files()
    files["admission.bpmn"] = content
    admin = world.users["admin"]
    count = len(versions())
    with pytest.raises(ProcessDefinitionError) as refused:
        deploy_version(admin, files, "thử tải tệp độc hại")
    assert len(refused.value.problems) == 1 and words in str(refused.value.problems[0])
    assert len(versions()) == count


def test_only_administrators_deploy(world):
    with pytest.raises(Forbidden):
        deploy_version(world.users[("TQ-LN-THPT", "cell_secretary")], _files(), "không có quyền")


CHANGED_LABEL = 'name="Tổ chức lễ kết nạp (có đại diện Đoàn trường)"'


def test_deploy_migrate_the_safe_cases_and_finish_both_kinds(world, start_case, driver):
    early = start_case("TQ-LN-THPT", citizen_id="001207000001")
    driver.run(early.id, until="write_application")
    late = start_case("TQ-LN-THPT", citizen_id="001207000002")
    driver.run(late.id, until="hold_ceremony")
    admin = world.users["admin"]
    new_files = _with_admission(lambda x: x.replace('name="Tổ chức lễ kết nạp, phân công đảng viên giúp đỡ"',
                                                    CHANGED_LABEL))
    new = deploy_version(admin, new_files, "Thêm đại diện Đoàn vào lễ kết nạp")
    assert [v.number for v in versions()] == [2, 1] and new.active
    assert any(d.name == "admission.bpmn" and d.status == "changed" for d in diff_versions(1, new.id))

    preview = {row.instance_id: row for row in migration_preview(admin, new.id)}
    assert preview[early.id].safe
    assert not preview[late.id].safe and preview[late.id].reasons[0][0] == "hold_ceremony"
    assert migrate_cases(admin, new.id, [early.id, late.id]) == [early.id]

    assert instance(early.id).version_id == new.id and instance(late.id).version_id != new.id
    migrated = db.session.execute(select(InstanceEvent).where(InstanceEvent.instance_id == early.id,
                                                              InstanceEvent.kind == "case_migrated")).scalars().all()
    assert len(migrated) == 1 and migrated[0].actor_id == admin.id
    driver.run(late.id)  # the unsafe case finishes on its own version
    driver.run(early.id, until="hold_ceremony")
    assert "(có đại diện Đoàn trường)" in _open_label(early.id)
    driver.run(early.id)
    assert instance(early.id).status == instance(late.id).status == "official"
    assert "hold_ceremony" in completed_specs(late.id)
    # A new case starts on the active version.
    fresh = start_case("TQ-LN-THPT", citizen_id="001207000003")
    assert instance(fresh.id).version_id == new.id
    assert open_specs(fresh.id) == ["nominate_student"]


def _open_label(instance_id):
    return db.session.execute(select(HumanTask.label).where(HumanTask.instance_id == instance_id,
                                                            HumanTask.status == "open")).scalar()


def test_activating_an_older_version_is_recorded(world):
    admin = world.users["admin"]
    renamed = _with_admission(lambda x: x.replace("Viết đơn xin vào Đảng và lý lịch",
                                                  "Viết đơn xin vào Đảng và lý lịch (1-KNĐ, 2-KNĐ)"))
    new = deploy_version(admin, renamed, "Đổi tên")
    activate_version(admin, 1)
    assert db.session.get(ProcessVersion, 1).active and not db.session.get(ProcessVersion, new.id).active
    event = db.session.execute(select(InstanceEvent).where(InstanceEvent.kind == "version_activated")).scalar_one()
    assert event.payload == {"before": new.id, "after": 1}
