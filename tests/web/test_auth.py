"""Signing in and out, throttling, the session cookie, changing one's password, the acting role."""
import re
from datetime import timedelta
from urllib.parse import parse_qs, urlsplit

import pytest
from sqlalchemy import select

from webapp.demo import DEMO_PASSWORD
from webapp.extensions import db
from webapp.models import RoleAssignment, SignInAttempt, User
from webapp.pages.formatting import dmy_hm
from webapp.services import grant_role

from .conftest import Browser
from .helpers import alerts, events, goes_off_site, redirect_path, texts, visible_text

SECRETARY = "tq-ln-thpt.cell_secretary"
WRONG = "Tên đăng nhập hoặc mật khẩu không đúng."


@pytest.fixture()
def visitor(app, world):
    return Browser(app.test_client())


def _user(username):
    db.session.expire_all()
    return db.session.query(User).filter_by(username=username).one()


def _signed_in(browser):
    return browser.get("/inbox").status_code == 200


# --- signing in -------------------------------------------------------------------------------------


def test_the_right_password_signs_in_and_lands_on_the_inbox(visitor):
    response = visitor.login(SECRETARY)
    assert redirect_path(response) == "/inbox"
    assert _signed_in(visitor)


def test_a_wrong_password_is_401_with_the_message_under_the_password(visitor):
    response = visitor.login(SECRETARY, "not-the-password")
    assert response.status_code == 401
    assert field_errors_login(response) == [WRONG]
    assert not _signed_in(visitor)


def test_an_unknown_user_name_gets_the_same_answer_as_a_wrong_password(visitor):
    unknown, wrong = visitor.login("nobody.here", "whatever-123"), visitor.login(SECRETARY, "whatever-123")
    assert unknown.status_code == wrong.status_code == 401
    assert field_errors_login(unknown) == field_errors_login(wrong) == [WRONG]


def test_an_empty_form_says_which_fields_are_required_in_vietnamese(visitor):
    response = visitor.post("/login", {"username": "", "password": ""})
    assert field_errors_login(response, "username") == ["Trường này là bắt buộc."]
    assert field_errors_login(response, "password") == ["Trường này là bắt buộc."]


def field_errors_login(response, name="password"):
    """Messages under a field of the sign-in or password form (plain Bootstrap markup)."""
    return texts(response, f"//input[@name='{name}']/following-sibling::div[contains(@class, 'invalid-feedback')]")


def _attempt_times(username):
    db.session.expire_all()
    return db.session.execute(select(SignInAttempt.attempted_at).where(SignInAttempt.username == username)
                              .order_by(SignInAttempt.attempted_at)).scalars().all()


def test_five_failures_throttle_even_the_right_password_and_are_audited(app, visitor):
    for attempt in range(1, 5):
        response = visitor.login(SECRETARY, f"wrong-{attempt}")
        assert field_errors_login(response) == [WRONG], f"attempt {attempt}"
    fifth = visitor.login(SECRETARY, "wrong-5")
    until = _attempt_times(SECRETARY)[0] + timedelta(minutes=app.config["SIGNIN_WINDOW_MINUTES"])
    throttled = f"Đăng nhập sai quá nhiều lần. Thử lại sau {dmy_hm(until)}."
    assert fifth.status_code == 401 and field_errors_login(fifth) == [throttled]
    assert re.fullmatch(r"Đăng nhập sai quá nhiều lần\. Thử lại sau \d\d/\d\d/\d{4} \d\d:\d\d\.", throttled)

    right = visitor.login(SECRETARY, DEMO_PASSWORD)
    assert right.status_code == 401 and field_errors_login(right) == [throttled]
    assert not _signed_in(visitor)

    [event] = events("login_throttled")
    user = _user(SECRETARY)
    assert event.actor_id == user.id and event.payload["user_id"] == user.id
    assert event.payload["until"] == until.isoformat() and event.payload["known_device"] is False


def test_once_the_window_has_passed_the_right_password_works_again(visitor):
    for attempt in range(5):
        visitor.login(SECRETARY, f"wrong-{attempt}")
    for row in db.session.execute(select(SignInAttempt)).scalars():
        row.attempted_at -= timedelta(minutes=16)
    db.session.commit()
    assert redirect_path(visitor.login(SECRETARY)) == "/inbox"


def test_a_deactivated_user_cannot_sign_in(visitor):
    user = _user(SECRETARY)
    user.active = False
    db.session.commit()
    response = visitor.login(SECRETARY)
    assert response.status_code == 401 and field_errors_login(response) == [WRONG]
    assert not _signed_in(visitor)


def test_a_user_deactivated_while_signed_in_is_signed_out(as_user):
    secretary = as_user(SECRETARY)
    assert _signed_in(secretary)
    user = _user(SECRETARY)
    user.active = False
    db.session.commit()
    assert redirect_path(secretary.get("/inbox")).startswith("/login")


def test_the_session_cookie_is_httponly_and_samesite_lax(visitor):
    response = visitor.login(SECRETARY)
    cookie = next(value for value in response.headers.getlist("Set-Cookie") if value.startswith("session="))
    attributes = {part.strip().split("=")[0].lower(): part.strip() for part in cookie.split(";")[1:]}
    assert "httponly" in attributes
    assert attributes["samesite"].lower() == "samesite=lax"


def _session(app, browser):
    """The signed session cookie's content (Flask signs it; it is not secret from its holder)."""
    cookie = browser.client.get_cookie("session")
    return app.session_interface.get_signing_serializer(app).loads(cookie.value) if cookie else {}


def test_signing_in_starts_a_new_session_but_keeps_the_language(app, visitor):
    visitor.get("/lang/en")
    visitor.token("/login")
    before = _session(app, visitor)
    assert before["csrf_token"] and before["lang"] == "en"
    visitor.login(SECRETARY)
    visitor.token("/password")
    after = _session(app, visitor)
    assert after["csrf_token"] != before["csrf_token"]  # no session fixation: what came before is gone …
    assert after["lang"] == "en"  # … except the language the visitor picked


# --- the `next` parameter ---------------------------------------------------------------------------


@pytest.mark.parametrize("target", [
    "https://evil.example/",
    "//evil.example/inbox",
    "/\\evil.example/",
    "\\\\evil.example",
    "/\t/evil.example",
    "javascript:alert(1)",
    "http:/evil.example",
])
def test_next_cannot_send_anyone_off_site(visitor, target):
    token = visitor.token("/login")
    response = visitor._open("post", "/login", query_string={"next": target},
                             data={"username": SECRETARY, "password": DEMO_PASSWORD, "csrf_token": token})
    assert response.status_code == 302
    assert not goes_off_site(response)
    assert redirect_path(response) == "/inbox"


def test_next_on_this_site_is_followed(visitor):
    token = visitor.token("/login")
    response = visitor._open("post", "/login", query_string={"next": "/cases?status=waiting"},
                             data={"username": SECRETARY, "password": DEMO_PASSWORD, "csrf_token": token})
    assert redirect_path(response) == "/cases?status=waiting"


def test_a_page_asked_for_before_signing_in_is_shown_after(visitor):
    asked = visitor.get("/cases")
    assert redirect_path(asked) == "/login?next=%2Fcases"
    token = visitor.token("/login")
    response = visitor._open("post", "/login?next=%2Fcases",
                             data={"username": SECRETARY, "password": DEMO_PASSWORD, "csrf_token": token})
    assert redirect_path(response) == "/cases"


# --- signing out ------------------------------------------------------------------------------------


def test_logout_needs_a_post(as_user):
    secretary = as_user(SECRETARY)
    assert secretary.get("/logout").status_code == 405
    assert _signed_in(secretary)


def test_logout_needs_the_csrf_token(as_user):
    secretary = as_user(SECRETARY)
    assert secretary._open("post", "/logout").status_code == 400
    assert _signed_in(secretary)


def test_logout_with_the_token_signs_out(as_user):
    secretary = as_user(SECRETARY)
    response = secretary.post("/logout", {}, token_from="/inbox")
    assert redirect_path(response) == "/login"
    assert "Đã đăng xuất." in alerts(secretary.get("/login"))
    assert not _signed_in(secretary)


# --- changing one's password ------------------------------------------------------------------------


def _change(browser, current, new, confirm=None):
    return browser.post("/password", {"current_password": current, "new_password": new,
                                      "confirm": new if confirm is None else confirm})


def test_a_wrong_current_password_is_refused(as_user):
    secretary = as_user(SECRETARY)
    before = _user(SECRETARY).password_hash
    response = _change(secretary, "not-my-password", "a-brand-new-secret")
    assert response.status_code == 422
    assert field_errors_login(response, "current_password") == ["Mật khẩu hiện tại không đúng."]
    assert _user(SECRETARY).password_hash == before


def test_a_too_short_new_password_is_refused_in_vietnamese(as_user):
    secretary = as_user(SECRETARY)
    before = _user(SECRETARY).password_hash
    response = _change(secretary, DEMO_PASSWORD, "short-1")
    assert response.status_code == 422
    assert field_errors_login(response, "new_password") == ["Mật khẩu mới phải có ít nhất 10 ký tự."]
    assert _user(SECRETARY).password_hash == before


def test_a_confirmation_that_does_not_match_is_refused(as_user):
    secretary = as_user(SECRETARY)
    response = _change(secretary, DEMO_PASSWORD, "a-brand-new-secret", "a-brand-new-secreT")
    assert response.status_code == 422
    assert field_errors_login(response, "confirm") == ["Hai mật khẩu không khớp."]


def test_the_same_password_again_is_refused(as_user):
    response = _change(as_user(SECRETARY), DEMO_PASSWORD, DEMO_PASSWORD)
    assert response.status_code == 422
    assert field_errors_login(response, "new_password") == ["Mật khẩu mới phải khác mật khẩu cũ."]


def test_after_a_change_only_the_new_password_signs_in(app, as_user):
    secretary = as_user(SECRETARY)
    response = _change(secretary, DEMO_PASSWORD, "mật-khẩu-mới-2026")
    assert redirect_path(response) == "/inbox"
    assert "Đã đổi mật khẩu." in alerts(secretary.get("/inbox"))
    [event] = events("password_changed")
    assert event.payload == {"user_id": _user(SECRETARY).id}

    old, new = Browser(app.test_client()), Browser(app.test_client())
    assert old.login(SECRETARY, DEMO_PASSWORD).status_code == 401
    assert redirect_path(new.login(SECRETARY, "mật-khẩu-mới-2026")) == "/inbox"


# --- the acting role --------------------------------------------------------------------------------


@pytest.fixture()
def two_roles(world):
    """The Lộc Ninh cell secretary also leads the school's Youth Union."""
    user = world.users[("TQ-LN-THPT", "cell_secretary")]
    youth = grant_role(user, "youth_union", world.cells["TQ-LN-THPT"])
    db.session.commit()
    return user, youth.id


def test_a_user_with_one_role_never_sees_the_choice(as_user):
    secretary = as_user(SECRETARY)
    page = secretary.get("/inbox")
    assert page.status_code == 200
    assert texts(page, "//*[@data-testid='acting']") == [
        "Đang làm việc với vai trò Bí thư chi bộ — Chi bộ Trường THPT Lộc Ninh · đổi"]


def test_a_user_with_several_roles_picks_one_first_and_every_page_shows_it(visitor, two_roles, start_case):
    case = start_case("TQ-LN-THPT", full_name="Nguyễn Văn Bình")  # its first step is the Youth Union's
    _user_row, youth_assignment = two_roles
    signed_in = visitor.login(SECRETARY)
    assert redirect_path(signed_in) == "/inbox"
    for page in ("/inbox", "/cases", f"/cases/{case.id}", "/password"):
        sent_to = urlsplit(redirect_path(visitor.get(page)))
        assert (sent_to.path, parse_qs(sent_to.query)["next"]) == ("/acting", [page + "?"]), page

    choice = visitor.get("/acting?next=%2Finbox%3F")
    assert texts(choice, "//label[@class='form-check-label']") == [
        "Bí thư chi bộ — Chi bộ Trường THPT Lộc Ninh", "Đoàn Thanh niên — Chi bộ Trường THPT Lộc Ninh"]
    picked = visitor.post("/acting?next=%2Finbox%3F", {"assignment": str(youth_assignment)})
    assert urlsplit(redirect_path(picked)).path == "/inbox"

    shown = "Đang làm việc với vai trò Đoàn Thanh niên — Chi bộ Trường THPT Lộc Ninh · đổi"
    for page in ("/inbox", "/cases", f"/cases/{case.id}", "/password", "/acting"):
        response = visitor.get(page)
        assert response.status_code == 200, page
        assert texts(response, "//*[@data-testid='acting']") == [shown], page
    # and the inbox is the Youth Union's: the nomination, not the secretary's steps
    assert "Giới thiệu đoàn viên ưu tú" in visible_text(visitor.get("/inbox"))


def test_picking_someone_elses_assignment_is_refused(visitor, two_roles, world):
    someone_else = db.session.query(RoleAssignment.id).filter_by(
        user_id=world.users["auditor"].id).scalar()
    visitor.login(SECRETARY)
    response = visitor.post("/acting", {"assignment": str(someone_else)})
    assert response.status_code == 422
    assert "Hãy chọn một trong các vai trò của bạn." in alerts(response)
    assert redirect_path(visitor.get("/inbox")).startswith("/acting")  # still no role picked
    assert visitor.get("/audit/cases").status_code == 302


def test_a_stale_pick_in_the_session_is_not_trusted(visitor, two_roles, world):
    """Picking a role, then losing it: the session's choice is checked against the user's roles each time."""
    _user_row, youth_assignment = two_roles
    visitor.login(SECRETARY)
    visitor.post("/acting", {"assignment": str(youth_assignment)})
    assert visitor.get("/inbox").status_code == 200
    db.session.delete(db.session.get(RoleAssignment, youth_assignment))
    db.session.commit()
    page = visitor.get("/inbox")  # one role left: it is used without asking
    assert texts(page, "//*[@data-testid='acting']")[0].startswith("Đang làm việc với vai trò Bí thư chi bộ")
