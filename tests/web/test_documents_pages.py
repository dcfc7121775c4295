"""The documents page of a case and the national register export through real HTTP (issue 13).

Downloads are opened (python-docx, openpyxl, csv) and checked against the case; wrong readers,
out-of-scope cases, unknown documents and formats, and bad periods are refused with our pages.
"""
import csv
import io

import pytest
from docx import Document
from openpyxl import load_workbook
from sqlalchemy import select

from webapp.extensions import db
from webapp.models import HumanTask, InstanceEvent, Student
from webapp.models.register import PartyMember

from .helpers import html, process_versions, texts

HOSTILE_NAME = '=HYPERLINK("http://ke-xau.example","Bấm")'


@pytest.fixture()
def case(world, driver, start_case):
    case = start_case("TQ-LN-THPT", full_name="Lò Thị Giấy")
    driver.run(case.id, until="plan_cell_meeting")
    return case


def _events(kind):
    db.session.expire_all()
    return db.session.execute(select(InstanceEvent).where(InstanceEvent.kind == kind)).scalars().all()


def test_the_secretary_lists_the_documents_and_downloads_a_docx(as_user, case):
    secretary = as_user("tq-ln-thpt.cell_secretary")
    assert "documents-link" in secretary.get(f"/cases/{case.id}").get_data(as_text=True)
    page = secretary.get(f"/cases/{case.id}/documents")
    assert page.status_code == 200
    listed = texts(page, "//*[@data-document]//strong")
    assert listed[:2] == ["1-KNĐ", "2-KNĐ"] and "20-KNĐ" in listed
    link = html(page).xpath("//*[@data-document='knd01_application']//a[@data-testid='docx']/@href")[0]
    answer = secretary.get(link)
    assert answer.status_code == 200 and answer.mimetype.endswith("wordprocessingml.document")
    assert "attachment" in answer.headers["Content-Disposition"] and "Giấy" not in answer.headers["Content-Disposition"]
    text = " ".join(p.text for p in Document(io.BytesIO(answer.data)).paragraphs)
    assert "Lò Thị Giấy" in text and "ĐƠN XIN VÀO ĐẢNG" in text
    assert len(_events("document_generated")) == 1


def test_a_pdf_downloads_as_a_pdf(as_user, case):
    answer = as_user("tq-ln-thpt.cell_secretary").get(f"/cases/{case.id}/documents/knd02_personal_history.pdf")
    assert answer.status_code == 200 and answer.mimetype == "application/pdf" and answer.data.startswith(b"%PDF")


def test_wrong_readers_unknown_documents_and_formats_are_refused(as_user, case):
    introducer = as_user("tq-ln-thpt.introducer")
    page = introducer.get(f"/cases/{case.id}/documents")
    row = html(page).xpath("//*[@data-document='knd01_application']")[0]
    assert not row.xpath(".//a") and row.xpath(".//*[@data-testid='not-for-role']")
    assert introducer.get(f"/cases/{case.id}/documents/knd01_application.pdf").status_code == 403
    stranger = as_user("tq-ch-thpt.cell_secretary")
    assert stranger.get(f"/cases/{case.id}/documents").status_code == 404
    assert stranger.get(f"/cases/{case.id}/documents/knd01_application.pdf").status_code == 404
    secretary = as_user("tq-ln-thpt.cell_secretary")
    assert secretary.get(f"/cases/{case.id}/documents/knd99_nothing.pdf").status_code == 404
    assert secretary.get(f"/cases/{case.id}/documents/knd01_application.exe").status_code == 404
    assert secretary.get(f"/cases/{case.id}/documents/..%2Fknd01_application.pdf").status_code == 404
    assert _events("document_generated") == []


# --- the national register export --------------------------------------------------------------------


@pytest.fixture()
def recognised(world, driver, start_case):
    """Two members recognised in Lộc Ninh, one of them with a name that would run as a formula."""
    cases = []
    for name in ("Lò Thị Giấy", HOSTILE_NAME):
        case = start_case("TQ-LN-THPT", full_name=name)
        driver.run(case.id)
        cases.append(case)
    return cases


def _official_on(case):
    return db.session.execute(select(PartyMember.official_on).join(Student, Student.id == PartyMember.student_id)
                              .where(Student.id == case.student_id)).scalar_one()


def test_the_board_exports_the_members_recognised_in_the_period_as_csv_and_xlsx(as_user, recognised):
    board = as_user("tq-ln.org_board")
    days = sorted(_official_on(case) for case in recognised)
    period = f"from={days[0].isoformat()}&to={days[-1].isoformat()}"
    page = board.get("/documents/register")
    assert page.status_code == 200 and "Ngày chính thức" in page.get_data(as_text=True)
    answer = board.get(f"/documents/register?{period}&format=csv")
    assert answer.status_code == 200 and answer.mimetype == "text/csv"
    rows = list(csv.reader(io.StringIO(answer.data.decode("utf-8-sig"))))
    assert rows[0][:3] == ["Họ và tên", "Giới tính", "Ngày sinh"]
    names = sorted(row[0] for row in rows[1:])
    assert names == sorted(["Lò Thị Giấy", "'" + HOSTILE_NAME])  # the formula neutralised
    first = next(row for row in rows[1:] if row[0] == "Lò Thị Giấy")
    header = rows[0]
    assert first[header.index("Ngày chính thức")] == _official_on(recognised[0]).strftime("%d/%m/%Y")
    decision = db.session.execute(select(HumanTask.submitted).where(
        HumanTask.instance_id == recognised[0].id, HumanTask.form_name == "decide_admission")).scalar_one()
    assert first[header.index("Số quyết định kết nạp")] == decision["decision_number"]
    assert first[header.index("Chi bộ")] == "Chi bộ Trường THPT Lộc Ninh"
    assert first[header.index("Số CCCD")].startswith("0012070")  # the board reads the full number

    sheet = load_workbook(io.BytesIO(board.get(f"/documents/register?{period}&format=xlsx").data)).active
    values = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)
    assert sorted(row[0] for row in values[1:]) == names
    assert [event.payload["rows"] for event in _events("register_exported")] == [2, 2]


def test_the_register_export_refuses_other_roles_and_bad_periods(as_user, recognised):
    assert as_user("tq-ln-thpt.cell_secretary").get("/documents/register").status_code == 403
    board = as_user("tq-ln.org_board")
    backwards = board.get("/documents/register?from=2027-02-01&to=2027-01-01&format=csv")
    assert backwards.status_code == 400 and texts(backwards, "//*[@data-testid='error-to']")
    missing = board.get("/documents/register?from=&to=2027-01-01&format=xlsx")
    assert missing.status_code == 400 and texts(missing, "//*[@data-testid='error-from']")
    assert board.get("/documents/register?from=2026-01-01&to=2027-12-31&format=csv&unit=abc").status_code == 404
    other_district = as_user("tq-ch.org_board")  # Chiêm Hóa's board: Lộc Ninh's members are not its own
    day = _official_on(recognised[0]).isoformat()
    rows = other_district.get(f"/documents/register?from={day}&to={day}&format=csv").data.decode("utf-8-sig")
    assert rows.strip().count("\n") == 0  # the header alone
    assert len(_events("register_exported")) == 1


# --- templates uploaded with the deployment ---------------------------------------------------------


def _upload(admin, name, content):
    return admin.post("/admin/processes/upload", {"files": [(io.BytesIO(content.encode()), name)],
                                                  "comment": "Mẫu 1-KNĐ theo Hướng dẫn 38", "action": "deploy"},
                      content_type="multipart/form-data")


def test_an_administrator_uploads_an_edited_template_as_a_new_version(as_user, world):
    edited = '{"code": "1-KNĐ", "title": "ĐƠN XIN VÀO ĐẢNG (MẪU 2025)", "body": ["Tôi là {{student.full_name}}."]}'
    admin = as_user("admin")
    deployed = _upload(admin, "knd01_application.document.json", edited)
    assert deployed.status_code == 302, deployed.get_data(as_text=True)[:400]
    files = {f.name: f.content for f in process_versions()[-1].files}
    assert files["knd01_application.document.json"] == edited.encode()
    assert "knd20_verification_request.document.json" in files  # the other templates stay


def test_a_template_naming_no_recorded_fact_is_refused_in_words(as_user, world):
    admin = as_user("admin")
    before = len(process_versions())
    refused = _upload(admin, "knd01_application.document.json",
                      '{"title": "ĐƠN", "body": ["Nơi sinh: {{student.place_of_birth}}"]}')
    assert refused.status_code == 422 and len(process_versions()) == before
    said = " ".join(texts(refused, "//*[@data-testid='problems']/li"))
    assert "{{student.place_of_birth}} không ứng với dữ liệu nào" in said and "student.full_name" in said


def test_the_processes_page_lists_the_templates_and_opens_one(as_user, world):
    admin = as_user("admin")
    page = admin.get("/admin/processes")
    links = html(page).xpath("//*[@data-testid='document-templates']//a")
    assert "knd01_application.document.json" in [link.text_content() for link in links]
    shown = admin.get(next(link.get("href") for link in links if "knd01" in link.get("href")))
    assert shown.status_code == 200 and "ĐƠN XIN VÀO ĐẢNG" in shown.get_data(as_text=True)
