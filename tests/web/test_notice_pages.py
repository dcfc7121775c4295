"""Issue 12: the notice centre over real HTTP — the menu's unread count, the list in words, marking
read (one's own only), and the e-mail choice with its refusals."""
from datetime import datetime, time

import pytest
from sqlalchemy import select

from webapp.extensions import db
from webapp.models import HumanTask, Notice, NoticeSetting, User
from webapp.rules import add_working_days
from webapp.rules.notice_map import KINDS
from webapp.services.clock import VIETNAM
from webapp.services.notices import write_notices
from webapp.services.reminders import run_due_reminders

from .helpers import texts, visible_text


@pytest.fixture()
def told(start_case, driver):
    """Overdue steps of a real case have told their holders; → (one of them, their notices)."""
    case = start_case()
    driver.run(case.id, until="record_verification")
    due = min(db.session.execute(select(HumanTask.due_on).where(
        HumanTask.instance_id == case.id, HumanTask.status == "open", HumanTask.due_on.is_not(None))).scalars())
    run_due_reminders(datetime.combine(add_working_days(due, 1), time(9), VIETNAM))
    user_id = db.session.execute(select(Notice.user_id).order_by(Notice.id)).scalars().first()
    user = db.session.get(User, user_id)
    return user, db.session.execute(select(Notice).where(Notice.user_id == user_id)).scalars().all()


def _unread(page):
    found = texts(page, "//*[@data-testid='unread-count']")
    return found[0] if found else ""


def test_the_menu_counts_unread_notices_and_the_list_says_them_in_words(told, as_user):
    user, notices = told
    me = as_user(user.username)
    page = me.get("/notices/")
    assert page.status_code == 200
    assert _unread(page).startswith(str(len(notices)))
    words = visible_text(page)
    assert "Quá hạn" in words and "Nguyễn Văn An" in words
    assert len(texts(page, "//*[@data-testid='notice'][@data-unread='1']")) == len(notices)

    first = notices[0]
    opened = me.post(f"/notices/{first.id}/read", {"open": "1"}, token_from="/notices/")
    assert opened.status_code == 302 and opened.headers["Location"].endswith(f"/cases/{first.instance_id}")
    db.session.expire_all()
    assert db.session.get(Notice, first.id).read_at is not None
    assert _unread(me.get("/notices/")).startswith(str(len(notices) - 1)) or len(notices) == 1

    done = me.post("/notices/read-all", {}, token_from="/notices/")
    assert done.status_code == 302
    assert _unread(me.get("/notices/")) == ""


def test_nobody_reads_or_marks_another_users_notice(told, as_user):
    user, notices = told
    other = db.session.execute(
        select(User).where(User.id != user.id, User.username.like("%auditor%"))).scalars().first()
    stranger = as_user(other.username)
    assert "Nguyễn Văn An" not in visible_text(stranger.get("/notices/"))
    refused = stranger.post(f"/notices/{notices[0].id}/read", {}, token_from="/notices/")
    assert refused.status_code == 404
    assert "Không có thông báo này" in visible_text(refused)
    db.session.expire_all()
    assert db.session.get(Notice, notices[0].id).read_at is None


def test_a_stale_form_marks_nothing(told, as_user):
    user, notices = told
    me = as_user(user.username)
    stale = me._open("post", f"/notices/{notices[0].id}/read", data={"csrf_token": "forged"})
    assert stale.status_code in (302, 400)
    db.session.expire_all()
    assert db.session.get(Notice, notices[0].id).read_at is None


@pytest.mark.parametrize(("email", "delivery", "message"), [
    ("not-an-address", "each", "không hợp lệ"),
    ("", "daily", "Hãy nhập địa chỉ"),
    ("an@chibo.vn", "sms", "Hãy chọn một cách gửi"),
    ("a@b.vn<script>", "each", "không hợp lệ"),
])
def test_a_bad_e_mail_choice_is_refused_and_nothing_is_kept(as_user, email, delivery, message):
    me = as_user("tq-ln-thpt.cell_secretary")
    refused = me.post("/notices/settings", {"email": email, "delivery": delivery})
    assert refused.status_code == 422
    assert message in visible_text(refused)
    assert db.session.execute(select(NoticeSetting)).first() is None


def test_the_e_mail_choice_is_kept_and_an_empty_address_stops_e_mail(as_user):
    me = as_user("tq-ln-thpt.cell_secretary")
    saved = me.post("/notices/settings", {"email": " an@chibo.vn ", "delivery": "daily"})
    assert saved.status_code == 302
    setting = db.session.execute(select(NoticeSetting)).scalar_one()
    assert (setting.email, setting.delivery) == ("an@chibo.vn", "daily")
    me.post("/notices/settings", {"email": "", "delivery": "off"})
    db.session.expire_all()
    assert db.session.execute(select(NoticeSetting)).first() is None


def test_the_case_history_shows_each_reminder_and_escalation(told, as_user):
    _user, notices = told
    auditor = as_user("tq.auditor")
    page = auditor.get(f"/cases/{notices[0].instance_id}/history")
    assert page.status_code == 200
    entries = texts(page, "//*[@data-kind='overdue_escalated']")
    assert entries and all("Quá hạn, đã báo cấp trên" in entry for entry in entries)
    assert any("người ở cấp trên được báo" in entry for entry in entries)


def test_every_kind_of_notice_is_said_in_words_in_both_languages(as_user, start_case):

    case = start_case()
    user = db.session.execute(select(User).where(User.username == "tq-ln-thpt.cell_secretary")).scalar_one()
    params = {"case": case.id, "step": "Ghi kết quả thẩm tra lý lịch", "unit": "Chi bộ X", "student": "Nguyễn Văn An",
              "due_on": "2026-03-04", "number": "123-QĐ/HU", "date": "2026-03-01"}
    for kind in ("due_soon", "overdue", "escalated", "verification_requested", *KINDS):
        write_notices([user.id], kind=kind, params=params, instance_id=case.id)
    db.session.commit()
    me = as_user(user.username)
    for language, fallback, heading_text in (("vi", "Thông báo về hồ sơ số", "Thông báo"),
                                             ("en", "A notice about case no.", "Notices")):
        assert me.get(f"/lang/{language}").status_code == 302
        page = me.get("/notices/")
        assert texts(page, "//main//h1") == [heading_text]
        words = texts(page, "//*[@data-testid='notice']")
        assert len(words) == 4 + len(KINDS)
        assert not [line for line in words if fallback in line]
        assert any("123-QĐ/HU" in line and "01/03/2026" in line for line in words)
        if language == "en":
            assert any(line.startswith(("The upper level", "Decision no.")) or "Decision no." in line for line in words)
            assert not [line for line in words if "Cấp trên" in line or "Quá hạn" in line]
