"""The statistics fields are checked where every entry path stores a student (issue 11)."""
from datetime import date

import pytest
from sqlalchemy import func, select

from webapp.extensions import db
from webapp.models import ProcessInstance, Student
from webapp.rules.ethnicities import ETHNICITIES
from webapp.rules.stages import EXITS, FUNNEL, LABELS, stage_label
from webapp.rules.statistics import RELIGIONS, defaults_for_school
from webapp.services import InvalidSubmission, register_and_start


def _counts():
    return (db.session.scalar(select(func.count(Student.id))),
            db.session.scalar(select(func.count(ProcessInstance.id))))


def _register(world, cell_code="TQ-LN-THPT", **fields):
    cell = world.cells[cell_code]
    student = {"full_name": "Vi Thị Hồng", "date_of_birth": date(2007, 5, 5), "sex": "F",
               "citizen_id": "001307044001", "school": "Trường THPT", "class_name": "12A3"} | fields
    return register_and_start(world.users[(cell_code, "cell_secretary")], cell.id, student)


def test_the_vocabulary_is_complete_and_labelled_in_both_languages():
    assert len(ETHNICITIES) == 54 and ETHNICITIES[0] == "Kinh" and RELIGIONS[0] == "Không"
    assert set(LABELS) == set(FUNNEL) | set(EXITS) and not set(FUNNEL) & set(EXITS)
    assert all(LABELS[stage]["vi"] and LABELS[stage]["en"] for stage in LABELS)
    assert stage_label("vote_failed", "en") == "Vote failed"
    with pytest.raises(ValueError):
        stage_label("graduated")


def test_a_university_defaults_to_university_students():
    assert defaults_for_school("Trường Đại học Tân Trào") == {"occupation": "university_student",
                                                              "education_level": "Đại học"}
    assert defaults_for_school("Trường THPT Lộc Ninh") == {"occupation": "pupil", "education_level": "12/12"}


def test_values_left_out_follow_the_unit_and_typed_ones_are_spelt_as_the_list(world):
    case = _register(world, "TQ-DHTT-SP-SV", ethnicity=" tày ", religion="phật  GIÁO")
    student = db.session.get(Student, case.student_id)
    assert (student.ethnicity, student.religion, student.occupation, student.education_level,
            student.youth_union_member, student.readmission) == (
        "Tày", "Phật giáo", "university_student", "Đại học", True, False)


@pytest.mark.parametrize("field, value", [
    ("ethnicity", "Việt"), ("religion", "Thờ cúng tổ tiên"), ("occupation", "pupil; DROP TABLE"),
    ("education_level", "13/12"), ("sex", "X"), ("readmission", "perhaps"),
])
def test_a_value_outside_the_lists_is_refused_and_nothing_is_stored(world, field, value):
    before = _counts()
    with pytest.raises(InvalidSubmission) as refused:
        _register(world, **{field: value})
    expected = "invalid" if field == "readmission" else f"{field}_not_in_list"
    assert refused.value.errors == {field: [expected]}
    assert _counts() == before
