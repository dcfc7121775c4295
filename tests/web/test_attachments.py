"""Scans attached to a case: only real PDF/JPEG/PNG up to 10 MB, stored with their checksum, audited."""
import hashlib
import io

import pytest

from webapp.extensions import db
from webapp.models import Attachment, User

from .helpers import alerts, db_state, events, open_task, redirect_path, texts, tiny_jpeg, tiny_pdf, tiny_png

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
