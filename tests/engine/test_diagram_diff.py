"""The element-by-element diff of two BPMN files (engine/diagram_diff.py): matched by id, never run."""
from pathlib import Path

import pytest

from webapp.engine import ProcessDefinitionError
from webapp.engine.diagram_diff import diff_diagrams

SOURCE = (Path(__file__).resolve().parents[2] / "processes" / "admission.bpmn").read_bytes()


def _changes(old, new):
    return {c.element_id: c for c in diff_diagrams(old, new, file_name="admission.bpmn").changes}


def test_the_same_file_a_moved_shape_and_a_comment_change_nothing():
    assert _changes(SOURCE, SOURCE) == {}
    commented = SOURCE.replace(b"<bpmn:extensionElements>", b"<bpmn:extensionElements><!-- why -->", 1)
    assert commented != SOURCE and _changes(SOURCE, commented) == {}
    moved = SOURCE.replace(b'x="', b'x="1', 1)  # the first shape's position only (diagram interchange)
    assert moved != SOURCE and _changes(SOURCE, moved) == {}


def test_name_lane_code_and_properties_are_told_apart():
    new = (SOURCE.replace('name="Tổ chức lễ kết nạp, phân công đảng viên giúp đỡ"'.encode(),
                          'name="Tổ chức lễ kết nạp"'.encode())
           .replace(b'name="dueWorkingDays" value="30"', b'name="dueWorkingDays" value="20"', 1)
           .replace(b"course_attempts = 0", b"course_attempts = 1")
           .replace(b"<bpmn:flowNodeRef>summarise_comments</bpmn:flowNodeRef>", b"", 1)
           .replace(b'<bpmn:lane id="lane_cell_secretary" name="cell_secretary">',
                    b'<bpmn:lane id="lane_cell_secretary" name="cell_secretary">'
                    b"<bpmn:flowNodeRef>summarise_comments</bpmn:flowNodeRef>"))
    changes = _changes(SOURCE, new)
    assert {key: (c.status, c.aspects) for key, c in changes.items()} == {
        "hold_ceremony": ("changed", ("name",)),
        "nominate_student": ("changed", ("properties",)),
        "initialise_case": ("changed", ("code",)),
        "summarise_comments": ("changed", ("lane",)),
    }
    assert changes["hold_ceremony"].before == "Tổ chức lễ kết nạp, phân công đảng viên giúp đỡ"
    assert changes["hold_ceremony"].name == "Tổ chức lễ kết nạp" and changes["hold_ceremony"].kind == "userTask"


def test_an_added_and_a_removed_element_and_a_rewired_flow():
    flow = b'<bpmn:sequenceFlow id="extra_flow" sourceRef="admission_start" targetRef="nominate_student"/>'
    added = SOURCE.replace(b"</bpmn:process>", flow + b"</bpmn:process>", 1)
    assert {k: c.status for k, c in _changes(SOURCE, added).items()} == {"extra_flow": "added"}
    assert {k: c.status for k, c in _changes(added, SOURCE).items()} == {"extra_flow": "removed"}
    rewired = added.replace(flow, flow.replace(b"nominate_student", b"add_to_sympathiser_list"))
    assert _changes(added, rewired)["extra_flow"].aspects == ("connections",)


def test_a_file_only_in_one_version_is_all_added_or_all_removed():
    added = diff_diagrams(None, SOURCE, file_name="admission.bpmn")
    assert added.changes and {c.status for c in added.changes} == {"added"}
    assert "hold_ceremony" in added.ids("added") and added.ids("removed") == []
    assert {c.status for c in diff_diagrams(SOURCE, None, file_name="admission.bpmn").changes} == {"removed"}


@pytest.mark.parametrize("hostile", [
    b'<?xml version="1.0"?><!DOCTYPE d [<!ENTITY x SYSTEM "file:///etc/passwd">]><d>&x;</d>',
    b"<not-closed>",
])
def test_a_file_that_cannot_be_read_safely_is_refused_not_expanded(hostile):
    with pytest.raises(ProcessDefinitionError):
        diff_diagrams(SOURCE, hostile, file_name="admission.bpmn")
