"""Issue 12: the e-mail copies of notices go through a real SMTP server started by the test; a relay
that is down keeps the notice and sends it later; the daily digest is one e-mail a day; an e-mail
names no student and no CCCD."""
from datetime import datetime, timedelta

import pytest
from sqlalchemy import select

from webapp.extensions import db
from webapp.models import Notice, NoticeSetting, User
from webapp.services.clock import VIETNAM
from webapp.services.mail import Relay, send_pending_mail
from webapp.services.notices import write_notices

from .smtp_server import SmtpServer, free_port

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=VIETNAM)
PARAMS = {"case": 41, "step": "Ghi kết quả thẩm tra lý lịch", "spec": "record_verification",
          "due_on": "2026-03-04", "unit": "Chi bộ Trường THPT Lộc Ninh", "student": "Nguyễn Thị Hồng"}


@pytest.fixture()
def smtp():
    server = SmtpServer().start()
    yield server
    server.stop()


def _user(name, email=None, delivery="each"):
    user = User(username=name, full_name=name.title(), password_hash="x")
    db.session.add(user)
    db.session.flush()
    if email:
        db.session.add(NoticeSetting(user_id=user.id, email=email, delivery=delivery))
    return user


def _notify(*users, kind="due_soon", now=NOW):
    write_notices([user.id for user in users], kind=kind, params=PARAMS, now=now)
    db.session.commit()


def _states():
    return db.session.execute(select(Notice.mail_state, Notice.mail_attempts).order_by(Notice.id)).all()


def test_each_notice_is_sent_to_those_who_asked_and_names_no_person(smtp):
    asked, silent, no_address = _user("an", "an@chibo.vn"), _user("binh", "binh@chibo.vn", "off"), _user("chi")
    _notify(asked, silent, no_address)
    relay = Relay(host="127.0.0.1", port=smtp.port, sender="ketnap@tinhuy.vn", public_url="https://ketnap.example")

    assert send_pending_mail(relay, NOW + timedelta(minutes=1)) == 1
    [(recipients, message)] = smtp.messages
    assert recipients == ["an@chibo.vn"] and message["From"] == "ketnap@tinhuy.vn"
    body = message.get_content()
    assert "Ghi kết quả thẩm tra lý lịch" in body and "04/03/2026" in body and "41" in body
    assert "https://ketnap.example/cases" in body or "Chi bộ" in body
    assert "Nguyễn Thị Hồng" not in body and "Hồng" not in message["Subject"]
    assert _states() == [("sent", 0), ("none", 0), ("none", 0)]
    assert send_pending_mail(relay, NOW + timedelta(minutes=2)) == 0  # never twice


def test_a_relay_that_is_down_keeps_the_notice_and_sends_it_later():
    user = _user("dung", "dung@chibo.vn")
    _notify(user)
    port = free_port()
    down = Relay(host="127.0.0.1", port=port, timeout=2)
    assert send_pending_mail(down, NOW) == 0
    notice = db.session.execute(select(Notice)).scalar_one()
    assert (notice.mail_state, notice.mail_attempts) == ("pending", 1)
    assert notice.mail_error and notice.mail_due_at > NOW
    assert notice.read_at is None  # the notice itself is untouched, in the centre

    server = SmtpServer(port).start()
    try:
        assert send_pending_mail(down, NOW + timedelta(seconds=10)) == 0  # not before the wait
        assert send_pending_mail(down, notice.mail_due_at + timedelta(seconds=1)) == 1
        assert len(server.messages) == 1
    finally:
        server.stop()
    db.session.expire_all()
    assert _states() == [("sent", 1)]


def test_the_daily_digest_is_one_e_mail_a_day_after_its_hour(smtp):
    user = _user("em", "em@chibo.vn", "daily")
    _notify(user)
    _notify(user, kind="overdue")
    relay = Relay(host="127.0.0.1", port=smtp.port, digest_hour=7)
    early = datetime(2026, 3, 2, 6, 30, tzinfo=VIETNAM)
    assert send_pending_mail(relay, early) == 0 and smtp.messages == []

    assert send_pending_mail(relay, NOW) == 1
    [(recipients, message)] = smtp.messages
    assert recipients == ["em@chibo.vn"]
    assert "Sắp đến hạn" in message.get_content() and "Quá hạn" in message.get_content()
    _notify(user, now=NOW + timedelta(hours=1))
    assert send_pending_mail(relay, NOW + timedelta(hours=2)) == 0  # the day's digest has gone
    assert send_pending_mail(relay, NOW + timedelta(days=1)) == 1  # the next day's takes the new one
    assert len(smtp.messages) == 2
