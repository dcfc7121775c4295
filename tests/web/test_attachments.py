"""Scans attached to a case: only real PDF/JPEG/PNG up to 10 MB, stored with their checksum, audited.

Only the people of the open step and the cell secretary add them, never to a finished case, at most
40 files and 100 MB per case, and never under a name with bidi or control characters.
"""
import hashlib
import io

import pytest

from webapp.extensions import db
from webapp.models import Attachment, User
from webapp.services import InvalidSubmission, add_attachment
from webapp.services.attachments import MAX_BYTES_PER_CASE, MAX_FILES_PER_CASE

from .helpers import alerts, db_state, events, html, open_task, redirect_path, texts, tiny_jpeg, tiny_pdf, tiny_png

TEN_MB = 10 * 1024 * 1024


@pytest.fixture()
def case(start_case):
    return start_case("TQ-LN-THPT", full_name="Nguyễn Thị Lan")


@pytest.fixture()
def secretary(as_user):
    return as_user("tq-ln-thpt.cell_secretary")


def upload(browser, case_id, content, name, **extra):
    return browser.post(f"/cases/{case_id}/attachments", {"file": (io.BytesIO(content), name), **extra},
                        token_from=f"/cases/{case_id}", content_type="multipart/form-data")


def _stored():
    db.session.expire_all()
    return db.session.query(Attachment).order_by(Attachment.id).all()


@pytest.mark.parametrize(("make", "name", "kind"), [
    (tiny_pdf, "Đơn xin vào Đảng.pdf", "application/pdf"),
    (tiny_jpeg, "ly-lich-trang-1.JPG", "image/jpeg"),
    (tiny_jpeg, "ly-lich-trang-2.jpeg", "image/jpeg"),
    (tiny_png, "nghi-quyet.png", "image/png"),
])
def test_pdf_jpeg_and_png_are_accepted_stored_with_their_checksum_and_audited(secretary, case, make, name, kind):
    content = make()
    response = upload(secretary, case.id, content, name)
    assert redirect_path(response) == f"/cases/{case.id}"

    [stored] = _stored()
    assert (stored.file_name, stored.content_type, stored.size) == (name, kind, len(content))
    assert stored.sha256 == hashlib.sha256(content).hexdigest()
    assert stored.content == content

    [event] = events("attachment_added", case.id)
    assert event.actor_name == secretary_name(secretary)
    assert event.payload["sha256"] == stored.sha256 and event.payload["attachment_id"] == stored.id
    assert event.payload["file_name"] == name and event.payload["content_type"] == kind

    page = secretary.get(f"/cases/{case.id}")
    assert f"Đã đính kèm {name}." in alerts(page)
    assert texts(page, "//*[@data-testid='attachments']/li/a") == [name]


def secretary_name(_browser):
    return db.session.query(User.full_name).filter_by(username="tq-ln-thpt.cell_secretary").scalar()


SVG = b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 48 + b"This program cannot be run"


@pytest.mark.parametrize(("content", "name", "message"), [
    (EXE, "don-xin-vao-dang.pdf", "Chỉ nhận tệp PDF, JPEG hoặc PNG."),
    (SVG, "nghi-quyet.pdf", "Chỉ nhận tệp PDF, JPEG hoặc PNG."),
    (b"<html><body>not a scan</body></html>", "scan.png", "Chỉ nhận tệp PDF, JPEG hoặc PNG."),
    (b"", "trong.pdf", "Tệp rỗng."),
    (tiny_png(), "anh-that-ra-la-png.pdf", "Tên tệp không khớp với loại tệp (.pdf, .jpg, .png)."),
    (tiny_pdf(), "virus.exe", "Tên tệp không khớp với loại tệp (.pdf, .jpg, .png)."),
    (tiny_pdf() + b"0" * (TEN_MB + 1 - len(tiny_pdf())), "qua-lon.pdf", "Tệp lớn hơn 10 MB."),
])
def test_what_is_not_a_small_pdf_jpeg_or_png_is_refused_with_the_reason(secretary, case, content, name, message):
    before = db_state()
    response = upload(secretary, case.id, content, name)
    assert redirect_path(response) == f"/cases/{case.id}"
    assert message in alerts(secretary.get(f"/cases/{case.id}"))
    assert db_state() == before and _stored() == []


def test_exactly_10_mb_is_accepted(secretary, case):
    content = tiny_pdf() + b"0" * (TEN_MB - len(tiny_pdf()))
    assert redirect_path(upload(secretary, case.id, content, "vua-du.pdf")) == f"/cases/{case.id}"
    [stored] = _stored()
    assert stored.size == TEN_MB and stored.sha256 == hashlib.sha256(content).hexdigest()


def test_no_file_at_all_is_refused(secretary, case):
    before = db_state()
    response = secretary.post(f"/cases/{case.id}/attachments", {}, token_from=f"/cases/{case.id}")
    assert redirect_path(response) == f"/cases/{case.id}"
    assert "Chưa chọn tệp." in alerts(secretary.get(f"/cases/{case.id}"))
    assert db_state() == before


def test_a_path_in_the_file_name_is_dropped(secretary, case):
    upload(secretary, case.id, tiny_pdf(), "../../bi-thu/Windows/don.pdf")
    assert [a.file_name for a in _stored()] == ["don.pdf"]


def test_download_works_for_the_auditor_and_is_404_for_a_sibling_unit(as_user, secretary, case):
    content = tiny_pdf()
    upload(secretary, case.id, content, "Đơn xin vào Đảng.pdf")
    [stored] = _stored()

    auditor = as_user("tq.auditor")
    response = auditor.get(f"/attachments/{stored.id}")
    assert response.status_code == 200
    assert response.get_data() == content
    assert response.mimetype == "application/pdf"
    assert response.headers["Content-Disposition"].startswith("attachment;")
    assert "filename*=UTF-8''%C4%90%C6%A1n%20xin%20v%C3%A0o%20%C4%90%E1%BA%A3ng.pdf" in \
        response.headers["Content-Disposition"]

    sibling = as_user("tq-ch-thpt.cell_secretary")
    hidden = sibling.get(f"/attachments/{stored.id}")
    assert hidden.status_code == 404 and content not in hidden.get_data()
    assert sibling.get(f"/attachments/{stored.id + 1000}").status_code == 404


def test_the_auditor_reads_but_cannot_attach(as_user, case):
    auditor = as_user("tq.auditor")
    assert not texts(auditor.get(f"/cases/{case.id}"), "//form[contains(@action, '/attachments')]")
    before = db_state()
    response = upload(auditor, case.id, tiny_pdf(), "kiem-tra.pdf")
    assert response.status_code == 403 and db_state() == before


def test_a_stored_file_that_no_longer_matches_its_checksum_is_not_served(as_user, secretary, case):
    upload(secretary, case.id, tiny_pdf(), "don.pdf")
    [stored] = _stored()
    stored.content = tiny_pdf().replace(b"595", b"612")  # altered behind the application's back
    db.session.commit()
    assert as_user("tq.auditor").get(f"/attachments/{stored.id}").status_code == 404


def test_uploading_from_the_task_page_returns_to_the_task(secretary, case, driver):
    driver.run(case.id, until="add_to_sympathiser_list")
    task = open_task(case.id, "add_to_sympathiser_list")
    response = upload(secretary, case.id, tiny_pdf(), "nghi-quyet.pdf", task_spec=task.spec_name,
                      back=f"/tasks/{task.id}")
    assert redirect_path(response) == f"/tasks/{task.id}"
    assert [a.task_spec for a in _stored()] == ["add_to_sympathiser_list"]


@pytest.mark.parametrize("back", ["https://evil.example/tasks/1", "//evil.example/tasks/1", "/cases/../login"])
def test_the_way_back_after_an_upload_stays_on_the_task_pages(secretary, case, back):
    response = upload(secretary, case.id, tiny_pdf(), "don.pdf", back=back)
    assert redirect_path(response) == f"/cases/{case.id}"


# --- who may add, to which case, how much (issue 9) -------------------------------------------------------

def _upload_form_shown(browser, url):
    # on a task page the upload button belongs to the task form (its values go along: issue 15)
    return bool(html(browser.get(url)).xpath(
        "//form[contains(@action, '/attachments')] | //button[contains(@formaction, '/attachments')]"))


@pytest.mark.parametrize("username", [
    "tq-ln-thpt.youth_union", "tq-ln-thpt.introducer", "tq-ln.standing_committee", "tq-ln.political_center",
    "tq.standing_committee", "admin",
])
def test_only_the_open_steps_people_and_the_cell_secretary_may_attach(as_user, case, driver, username):
    driver.run(case.id, until="add_to_sympathiser_list")  # the cell secretary's step is open
    reader = as_user(username)
    assert not _upload_form_shown(reader, f"/cases/{case.id}")
    before = db_state()
    response = upload(reader, case.id, tiny_pdf(), "nghi-quyet.pdf")
    assert response.status_code == 403 and db_state() == before and _stored() == []


def test_the_holder_of_the_open_step_attaches_and_the_secretary_still_can(as_user, secretary, case, driver):
    driver.run(case.id, until="record_course_result")  # the commune political centre records the course
    centre = as_user("tq-ln.political_center")
    task = open_task(case.id, "record_course_result")
    assert _upload_form_shown(centre, f"/tasks/{task.id}") and _upload_form_shown(centre, f"/cases/{case.id}")
    assert redirect_path(upload(centre, case.id, tiny_pdf(), "chung-nhan.pdf")) == f"/cases/{case.id}"
    assert _upload_form_shown(secretary, f"/cases/{case.id}")
    assert redirect_path(upload(secretary, case.id, tiny_png(), "ban-sao.png")) == f"/cases/{case.id}"
    assert [a.file_name for a in _stored()] == ["chung-nhan.pdf", "ban-sao.png"]

    # The province's political centre reaches the case but does not act on this step.
    province = as_user("tq.political_center")
    before = db_state()
    assert upload(province, case.id, tiny_pdf(), "them.pdf").status_code == 403 and db_state() == before


def test_nothing_is_attached_to_a_finished_case(secretary, case, driver):
    driver.run(case.id)
    db.session.expire_all()
    assert db.session.get(type(case), case.id).status == "official"
    assert not _upload_form_shown(secretary, f"/cases/{case.id}")
    before = db_state()
    response = upload(secretary, case.id, tiny_pdf(), "muon.pdf")
    assert redirect_path(response) == f"/cases/{case.id}"
    assert "Hồ sơ đã kết thúc: không thể đính kèm thêm tệp." in alerts(secretary.get(f"/cases/{case.id}"))
    assert db_state() == before and _stored() == []


def _put_earlier(case, count, size_each):
    """Scans attached before (rows written directly: the quota counts what is stored, however it came)."""
    uploader = db.session.query(User.id).filter_by(username="tq-ln-thpt.cell_secretary").scalar()
    for number in range(count):
        db.session.add(Attachment(instance_id=case.id, file_name=f"truoc-{number}.pdf", content_type="application/pdf",
                                  size=size_each, sha256="0" * 64, uploaded_by_id=uploader,
                                  uploaded_at=case.started_at, content=b"%PDF-"))
    db.session.commit()


def test_a_case_holds_at_most_40_files(secretary, case):
    _put_earlier(case, MAX_FILES_PER_CASE - 1, 1000)
    assert redirect_path(upload(secretary, case.id, tiny_pdf(), "thu-40.pdf")) == f"/cases/{case.id}"
    assert len(_stored()) == MAX_FILES_PER_CASE == 40
    before = db_state()
    upload(secretary, case.id, tiny_pdf(), "thu-41.pdf")
    assert "Mỗi hồ sơ có tối đa 40 tệp đính kèm; hồ sơ này đã đủ." in alerts(secretary.get(f"/cases/{case.id}"))
    assert db_state() == before and "thu-41.pdf" not in [a.file_name for a in _stored()]


def test_a_case_holds_at_most_100_mb(secretary, case):
    _put_earlier(case, 10, TEN_MB - 1000)  # ten full scans but 10,000 bytes
    content = tiny_pdf() + b"0" * (10_000 - len(tiny_pdf()))
    assert redirect_path(upload(secretary, case.id, content, "vua-du.pdf")) == f"/cases/{case.id}"
    assert sum(a.size for a in _stored()) == MAX_BYTES_PER_CASE == 100 * 1024 * 1024
    before = db_state()
    upload(secretary, case.id, tiny_pdf(), "them-mot.pdf")
    assert "Các tệp đính kèm của một hồ sơ có tổng dung lượng tối đa 100 MB; tệp này làm vượt quá." in \
        alerts(secretary.get(f"/cases/{case.id}"))
    assert db_state() == before


BIDI_MESSAGE = "Tên tệp chứa ký tự đảo chiều văn bản (như U+202E), có thể che giấu đuôi tệp thật; " \
               "hãy đổi tên tệp rồi tải lên lại."
CONTROL_MESSAGE = "Tên tệp chứa ký tự điều khiển; hãy đổi tên tệp rồi tải lên lại."


@pytest.mark.parametrize(("name", "message"), [
    ("don-xin\u202efdp.pdf", BIDI_MESSAGE),        # right-to-left override: reads "don-xinfdp.pdf" backwards
    ("hoa-don\u202egpj.exe.pdf", BIDI_MESSAGE),
    ("\u202ado\u202c.pdf", BIDI_MESSAGE), ("\u202bdo\u202c.pdf", BIDI_MESSAGE), ("\u202ddo.pdf", BIDI_MESSAGE),
    ("\u2066don\u2069.pdf", BIDI_MESSAGE), ("\u2067don.pdf", BIDI_MESSAGE), ("\u2068don.pdf", BIDI_MESSAGE),
    ("don\u200e.pdf", BIDI_MESSAGE), ("don\u200f.pdf", BIDI_MESSAGE), ("don\u061c.pdf", BIDI_MESSAGE),
    ("don\x07.pdf", CONTROL_MESSAGE), ("don\x1b[31m.pdf", CONTROL_MESSAGE), ("don\x7f.pdf", CONTROL_MESSAGE),
    ("don\x85.pdf", CONTROL_MESSAGE), ("don\t.pdf", CONTROL_MESSAGE),
])
def test_names_with_bidi_or_control_characters_are_refused(secretary, case, name, message):
    before = db_state()
    response = upload(secretary, case.id, tiny_pdf(), name)
    assert redirect_path(response) == f"/cases/{case.id}"
    assert message in alerts(secretary.get(f"/cases/{case.id}"))
    assert db_state() == before and _stored() == []


@pytest.mark.parametrize("name", ["don\x00.pdf", "don\r\n.pdf", "don\u202e.pdf"])
def test_the_service_refuses_what_a_browser_may_not_even_send(world, case, name):
    secretary_user = db.session.query(User).filter_by(username="tq-ln-thpt.cell_secretary").one()
    before = db_state()
    with pytest.raises(InvalidSubmission) as refused:
        add_attachment(secretary_user, case.id, name, tiny_pdf())
    assert refused.value.errors["file"][0] in ("name_has_control_character", "name_has_bidi_control")
    assert db_state() == before


def test_vietnamese_and_other_scripts_in_names_are_kept(secretary, case):
    name = "Quyết định kết nạp – Nguyễn Thị Lan (bản chính).pdf"
    upload(secretary, case.id, tiny_pdf(), name)
    assert [a.file_name for a in _stored()] == [name]
