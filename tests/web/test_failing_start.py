"""A diagram whose code fails before the first step (a pre-script of the first task): starting a
case is refused with the element and the reason in words, and nothing is stored — through the
service, the new-case page and the batch nomination (issue 16: no 500 at case start)."""
from pathlib import Path

import pytest
import sqlalchemy as sa

from webapp.extensions import db
from webapp.models import ProcessInstance, Student
from webapp.services import StepFailed, files_from_directories
from webapp.services.versions import store_version

from .helpers import alerts

ROOT = Path(__file__).resolve().parents[2]
FIRST_STEP = ('<bpmn:userTask id="nominate_student" name="Giới thiệu đoàn viên ưu tú">\n'
              '      <bpmn:extensionElements>').encode()


@pytest.fixture()
def failing_start(version):
    files = files_from_directories(ROOT / "processes", ROOT / "forms")
    assert FIRST_STEP in files["admission.bpmn"]
    files["admission.bpmn"] = files["admission.bpmn"].replace(
        FIRST_STEP, FIRST_STEP + b"\n        <spiffworkflow:preScript>x = 1 / 0</spiffworkflow:preScript>")
    store_version(files, comment="fails before the first step")
    db.session.commit()


def _stored():
    return (db.session.execute(sa.select(sa.func.count()).select_from(ProcessInstance)).scalar(),
            db.session.execute(sa.select(sa.func.count()).select_from(Student)).scalar())


def test_the_start_is_refused_in_words_and_nothing_is_stored(failing_start, start_case):
    with pytest.raises(StepFailed) as failed:
        start_case()
    assert "Mở hồ sơ" in str(failed.value) and "nominate_student" in str(failed.value)
    assert _stored() == (0, 0)


def test_the_new_case_page_says_why_and_keeps_nothing(failing_start, as_user):
    secretary = as_user("tq-ln-thpt.cell_secretary")
    page = secretary.post("/cases/new", {
        "full_name": "Trần Thị Mai", "date_of_birth": "2007-05-01", "sex": "F", "citizen_id": "001307012399",
        "school": "Trường THPT Lộc Ninh", "class_name": "12A2", "youth_union_member": "y",
        "ethnicity": "Kinh", "religion": "Không", "occupation": "pupil", "education_level": "12/12"})
    assert page.status_code == 422
    assert any("Mở hồ sơ" in alert and "không thực hiện được" in alert for alert in alerts(page))
    assert _stored() == (0, 0)
