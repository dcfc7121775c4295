"""The official documents (issue 13): each generated for a demo case, opened and checked field by field.

The expected values are read from what the case recorded (the student row, each step's submitted
data) and formatted as a Vietnamese office writes them, independently of the renderer; each
document is opened with python-docx and with a PDF text extractor (pypdf). Hostile recorded text
prints literally; readers without the need are refused; every generation is an audit event.
"""
import io
import re
import unicodedata
from datetime import date

import pytest
from docx import Document
from pypdf import PdfReader
from sqlalchemy import select

from webapp.engine import ProcessDefinitionError
from webapp.extensions import db
from webapp.models import HumanTask, InstanceEvent, ProcessInstance, Student
from webapp.services import deploy, files_from_directories
from webapp.services.documents.generate import case_documents, generate_document
from webapp.services.errors import Forbidden, NotFound

from ..conftest import ROOT

HOSTILE = '{{student.citizen_id}} =HYPERLINK("http://ke-xau.example","Bấm")'
CITIZEN_ID = "001207055501"
BLANK = "…………………………"
# What every document prints of the student, and the step values each prints (form, field).
STEPS = {
    "knd01_application": [("record_course_result", "certificate_number"),
                          ("record_course_result", "certificate_date")],
    "knd02_personal_history": [("write_application", "hometown_place"),
                               ("write_application", "residence_place"),
                               ("record_course_result", "certificate_number")],
    "knd03_introduction": [("write_introduction_letters", "introduction_comment"),
                           ("assign_introducers", "introducer1_name")],
    "knd04_youth_union_resolution": [("issue_youth_union_resolution", "youth_union_resolution_number"),
                                     ("nominate_student", "nomination_number"), ("nominate_student", "achievements")],
    "knd05_comments": [("summarise_comments", "organisation_comments"),
                       ("write_residence_comment", "residence_comment"),
                       ("write_residence_comment", "residence_comment_date")],
    "knd06_cell_resolution": [("record_cell_vote", "resolution_number"), ("record_cell_vote", "vote_date"),
                              ("record_cell_vote", "official_members"), ("record_cell_vote", "agree")],
    "knd08_committee_resolution": [("record_committee_vote", "committee_resolution_number"),
                                   ("record_committee_vote", "committee_agree")],
    "knd09_decision": [("decide_admission", "decision_number")],
    "knd10_self_review": [("write_self_review", "new_member_certificate_number"), ("write_self_review", "self_review"),
                          ("hold_ceremony", "ceremony_date")],
    "knd11_helper_comment": [("comment_on_probation", "helper_comment"), ("hold_ceremony", "probation_helper_name")],
    "knd13_cell_recognition": [("record_cell_vote", "resolution_number"), ("record_cell_vote", "vote_date"),
                               ("record_cell_vote", "agree")],
    "knd15_committee_recognition": [("record_committee_vote", "committee_resolution_number")],
    "knd20_verification_request": [("write_application", "hometown_place"), ("write_application", "residence_place")],
}
RECOGNITION = {"knd10_self_review", "knd11_helper_comment", "knd13_cell_recognition", "knd15_committee_recognition"}
# The place-date line ("…, ngày 05 tháng 03 năm 2026") of the documents dated by a recorded act.
DATE_LINE = {"knd01_application": ("write_application", "application_date"),
             "knd02_personal_history": ("write_application", "history_date"),
             "knd03_introduction": ("write_introduction_letters", "introduction_letter_date"),
             "knd04_youth_union_resolution": ("issue_youth_union_resolution", "youth_union_resolution_date"),
             "knd10_self_review": ("write_self_review", "self_review_date"),
             "knd06_cell_resolution": ("record_cell_vote", "resolution_date"),
             "knd09_decision": ("decide_admission", "decision_date"),
             "knd13_cell_recognition": ("record_cell_vote", "resolution_date")}


def squash(text):
    return re.sub(r"\s+", " ", text).strip()


def docx_text(content):
    document = Document(io.BytesIO(content))
    parts = [p.text for p in document.paragraphs]
    parts += [p.text for table in document.tables for cell in table._cells for p in cell.paragraphs]
    return squash(" ".join(parts))


def pdf_text(content):
    return squash(" ".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages))


def shown(value):
    """A recorded value as the office writes it: ISO dates as dd/mm/yyyy, the rest as typed."""
    if isinstance(value, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        return date.fromisoformat(value).strftime("%d/%m/%Y")
    return squash(str(value))


def recorded(instance_id, form, field, phase):
    """The value the step recorded: the last completion before the ceremony (admission) or after it."""
    rows = db.session.execute(select(HumanTask).where(HumanTask.instance_id == instance_id,
                                                      HumanTask.status == "completed")
                              .order_by(HumanTask.completed_at, HumanTask.id)).scalars().all()
    ceremony = next(i for i, row in enumerate(rows) if row.form_name == "hold_ceremony")
    if form in ("record_cell_vote", "record_committee_vote"):
        rows = rows[ceremony + 1:] if phase == "recognition" else rows[:ceremony]
    values = [row.submitted[field] for row in rows if row.form_name == form and row.submitted.get(field) is not None]
    return values[-1]


@pytest.fixture()
def member(world, driver, start_case):
    """A Cẩm Xuyên case (a cell under a grassroots committee: every body votes) driven to recognition."""
    case = start_case("TQ-CX-THPT-1", full_name="Lò Thị Giấy", citizen_id=CITIZEN_ID)
    driver.run(case.id, overrides={"nominate_student": {"achievements": HOSTILE},
                                   "write_application": {"relatives": "Lò Văn Cha\nLò Thị Mẹ",
                                                         "hometown_place": "Đảng ủy xã Quê Hương",
                                                         "residence_place": "Đảng ủy phường Nơi Ở"}})
    instance = db.session.get(ProcessInstance, case.id)
    assert instance.outcome == "official"
    return instance


def _generated():
    return db.session.execute(select(InstanceEvent).where(InstanceEvent.kind == "document_generated")
                              .order_by(InstanceEvent.seq)).scalars().all()


def test_every_document_prints_the_recorded_facts_in_docx_and_pdf(world, member):
    secretary = world.users[("TQ-CX-THPT-1", "cell_secretary")]
    student = db.session.get(Student, member.student_id)
    choices = {choice.name: choice for choice in case_documents(secretary, member.id)}
    assert set(STEPS) <= set(choices) and all(choice.allowed for choice in choices.values())
    for name in STEPS:
        phase = "recognition" if name in RECOGNITION else "admission"
        expected = [student.full_name, f"Mẫu {choices[name].code}", choices[name].title]
        expected += [shown(recorded(member.id, form, field, phase)) for form, field in STEPS[name]]
        if name in DATE_LINE:
            day = date.fromisoformat(recorded(member.id, *DATE_LINE[name], phase))
            expected.append(f"ngày {day.day:02d} tháng {day.month:02d} năm {day.year}")
        if name != "knd04_youth_union_resolution":
            expected.append("ĐẢNG CỘNG SẢN VIỆT NAM")
        for file_format, read in (("docx", docx_text), ("pdf", pdf_text)):
            document = generate_document(secretary, member.id, name, file_format)
            text = read(document.content)
            assert text == unicodedata.normalize("NFC", text)
            for value in expected:
                assert value in text, f"{name}.{file_format}: {value!r} missing"
    assert len(_generated()) == 2 * len(STEPS)


def test_the_recognition_vote_prints_on_13_knd_and_the_admission_vote_on_6_knd(world, member):
    secretary = world.users[("TQ-CX-THPT-1", "cell_secretary")]
    admission = recorded(member.id, "record_cell_vote", "vote_date", "admission")
    recognition = recorded(member.id, "record_cell_vote", "vote_date", "recognition")
    assert admission != recognition
    six = docx_text(generate_document(secretary, member.id, "knd06_cell_resolution", "docx").content)
    thirteen = docx_text(generate_document(secretary, member.id, "knd13_cell_recognition", "docx").content)
    assert shown(admission) in six and shown(recognition) not in six
    assert shown(recognition) in thirteen and shown(admission) not in thirteen


def test_hostile_recorded_text_prints_literally_and_the_full_id_only_for_roles_that_read_it(world, member):
    secretary = world.users[("TQ-CX-THPT-1", "cell_secretary")]
    text = pdf_text(generate_document(secretary, member.id, "knd04_youth_union_resolution", "pdf").content)
    assert squash(HOSTILE) in text  # not filled in again, not a formula, not a link
    personal = docx_text(generate_document(secretary, member.id, "knd01_application", "docx").content)
    assert CITIZEN_ID in personal
    standing = world.users[("TQ-CX", "standing_committee")]  # decides, but does not read the full number
    masked = docx_text(generate_document(standing, member.id, "knd01_application", "docx").content)
    assert CITIZEN_ID not in masked and "•••••••••501" in masked


def test_facts_not_yet_recorded_print_as_lines_to_fill(world, driver, start_case):
    case = start_case("TQ-CX-THPT-1")
    driver.run(case.id, until="plan_cell_meeting")
    secretary = world.users[("TQ-CX-THPT-1", "cell_secretary")]
    text = pdf_text(generate_document(secretary, case.id, "knd06_cell_resolution", "pdf").content)
    assert f"Số: {BLANK}" in text and "ngày …… tháng …… năm ……" in text
    assert "tán thành: " + BLANK in text
    assert _generated()[-1].payload["blank_facts"] >= 5


def test_readers_without_the_need_are_refused_and_nothing_is_recorded(world, driver, start_case):
    case = start_case("TQ-CX-THPT-1")
    driver.run(case.id, until="plan_cell_meeting")
    introducer = world.users[("TQ-CX-THPT-1", "introducer")]  # reads the procedure, not the personal history
    with pytest.raises(Forbidden):
        generate_document(introducer, case.id, "knd01_application", "pdf")
    assert {c.name: c.allowed for c in case_documents(introducer, case.id)}["knd01_application"] is False
    other_cell = world.users[("TQ-LN-THPT", "cell_secretary")]
    with pytest.raises(NotFound):
        generate_document(other_cell, case.id, "knd01_application", "pdf")
    secretary = world.users[("TQ-CX-THPT-1", "cell_secretary")]
    with pytest.raises(NotFound):
        generate_document(secretary, case.id, "no_such_form", "pdf")
    assert _generated() == []


def test_the_generation_is_an_audit_event_naming_who_which_document_and_case(world, driver, start_case):
    case = start_case("TQ-CX-THPT-1")
    driver.run(case.id, until="plan_cell_meeting")
    secretary = world.users[("TQ-CX-THPT-1", "cell_secretary")]
    generate_document(secretary, case.id, "knd02_personal_history", "docx")
    event = _generated()[-1]
    assert (event.instance_id, event.actor_id, event.actor_role) == (case.id, secretary.id, "cell_secretary")
    assert event.payload["document"] == "knd02_personal_history" and event.payload["code"] == "2-KNĐ"
    assert event.payload["format"] == "docx"


# --- templates are deployment data --------------------------------------------------------------------


def _files(**documents):
    files = files_from_directories(ROOT / "processes", ROOT / "forms")
    files.update({f"{name}.document.json": content.encode() for name, content in documents.items()})
    return files


def test_a_placeholder_naming_no_recorded_fact_is_refused_at_deployment(app):
    wrong = '{"code": "1-KNĐ", "title": "ĐƠN", "body": ["Nơi sinh: {{student.place_of_birth}}"]}'
    with pytest.raises(ProcessDefinitionError) as refused:
        deploy(_files(knd01_application=wrong), comment="mẫu sai")
    problems = [p for p in refused.value.problems if p.file_name == "knd01_application.document.json"]
    assert [(p.code, p.params["fact"]) for p in problems] == [("document_unknown_fact", "student.place_of_birth")]
    assert "student.full_name" in problems[0].params["known"]
    db.session.rollback()


@pytest.mark.parametrize("content, code", [
    ('{"title": "X", "body": ["Họ tên: {{ student.full_name }"]}', "document_braces"),
    ('{"title": "X", "body": ["{% for x in y %}"], "script": "1"}', "document_invalid"),
    ('{"title": "X", "date": "{{record_cell_vote.vote_date}}"}', "document_invalid"),
    ("not json", "document_invalid"),
])
def test_malformed_templates_are_refused_at_deployment(app, content, code):
    with pytest.raises(ProcessDefinitionError) as refused:
        deploy(_files(knd99_wrong=content), comment="mẫu sai")
    assert [p.code for p in refused.value.problems if p.file_name == "knd99_wrong.document.json"] == [code]
    db.session.rollback()


def test_an_edited_template_is_a_new_version_and_the_case_keeps_its_own(world, driver, start_case):
    case = start_case("TQ-CX-THPT-1")
    driver.run(case.id, until="plan_cell_meeting")
    edited = '{"code": "1-KNĐ (2025)", "title": "ĐƠN XIN VÀO ĐẢNG MỚI", "body": ["{{student.full_name}}"]}'
    deploy(_files(knd01_application=edited), comment="mẫu 2025")
    db.session.commit()
    secretary = world.users[("TQ-CX-THPT-1", "cell_secretary")]
    old = docx_text(generate_document(secretary, case.id, "knd01_application", "docx").content)
    assert "ĐƠN XIN VÀO ĐẢNG MỚI" not in old  # the case runs on the version it started on
    newer = start_case("TQ-CX-THPT-1", full_name="Hà Văn Mới")
    assert "ĐƠN XIN VÀO ĐẢNG MỚI" in docx_text(generate_document(secretary, newer.id, "knd01_application",
                                                                  "docx").content)


def test_the_sub_committee_appraisal_prints_where_a_sub_committee_appraised(world, driver, start_case):
    case = start_case("TQ-DHTT-SP-SV", school="Trường Đại học Tân Trào", class_name="K12SP")
    driver.run(case.id, until="record_committee_vote")
    secretary = world.users[("TQ-DHTT-SP-SV", "cell_secretary")]
    text = pdf_text(generate_document(secretary, case.id, "knd07_subcommittee_appraisal", "pdf").content)
    number = recorded_before_ceremony(case.id, "appraise_subcommittee", "subcommittee_report_number")
    assert f"Số: {number}" in text and "Đảng ủy bộ phận Khoa Sư phạm" in text
    assert "Ý kiến thẩm định: " + BLANK not in text  # the opinion recorded prints as its label


def recorded_before_ceremony(instance_id, form, field):
    return db.session.execute(select(HumanTask.submitted).where(
        HumanTask.instance_id == instance_id, HumanTask.form_name == form,
        HumanTask.status == "completed")).scalar_one()[field]
