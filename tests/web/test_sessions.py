"""Server-side sessions: a copied cookie dies at sign-out, a new password, a reset, a role change, deactivation.

Each test copies the signed session cookie as an attacker would (network capture, a shared
computer), replays it from a browser of its own, and asserts what that browser sees and what the
database says.
"""
from datetime import timedelta

import pytest
from flask_login.utils import _cookie_digest
from sqlalchemy import select

from webapp.demo import DEMO_PASSWORD
from webapp.extensions import db
from webapp.models import RoleAssignment, SignInSession, User

from .conftest import Browser
from .helpers import db_state, events, redirect_path, visible_text

SECRETARY, STUDENT_CCCD = "tq-ln-thpt.cell_secretary", "001207012345"
STRONG = "sông-Lô-chảy-qua-đồi-chè-2026"


def _user(username):
    db.session.expire_all()
    return db.session.execute(select(User).where(User.username == username)).scalar_one()


def _sessions(username):
    db.session.expire_all()
    return db.session.execute(select(SignInSession).where(SignInSession.user_id == _user(username).id)
                              .order_by(SignInSession.id)).scalars().all()


def _copy(app, browser):
    """Another browser holding an exact copy of `browser`'s session cookie (the captured cookie)."""
    thief = Browser(app.test_client())
    thief.client.set_cookie("session", browser.client.get_cookie("session").value)
    return thief


def _signed_out(browser, page="/inbox"):
    response = browser.get(page)
    return response.status_code == 302 and redirect_path(response).startswith("/login")


def _open_dossier(browser, case_id):
    return browser.get(f"/cases/{case_id}")


@pytest.fixture()
def case(start_case):
    return start_case("TQ-LN-THPT", full_name="Trần Thị Lan", citizen_id=STUDENT_CCCD)


# --- signing out ------------------------------------------------------------------------------------


def test_a_cookie_copied_before_logout_opens_nothing_after_it(app, as_user, case):
    secretary = as_user(SECRETARY)
    thief = _copy(app, secretary)
    before = _open_dossier(thief, case.id)
    assert before.status_code == 200 and "Trần Thị Lan" in visible_text(before)  # the copy works while signed in

    assert redirect_path(secretary.post("/logout", {}, token_from="/inbox")) == "/login"
    replayed = _open_dossier(thief, case.id)
    assert replayed.status_code == 302 and redirect_path(replayed).startswith("/login")
    body = replayed.get_data(as_text=True)
    assert STUDENT_CCCD not in body and "Trần Thị Lan" not in body
    assert _signed_out(thief) and _signed_out(secretary)
    [row] = _sessions(SECRETARY)
    assert row.ended_at is not None and row.end_reason == "logout"
    assert events("session_ended") == []  # signing in and out are not audit events; forced ends are


def test_logout_ends_only_that_session(as_user):
    phone, desk = as_user(SECRETARY), as_user(SECRETARY)
    phone.post("/logout", {}, token_from="/inbox")
    assert _signed_out(phone)
    assert desk.get("/inbox").status_code == 200


def test_signing_in_sets_no_remember_me_cookie(app, browser):
    response = browser.login(SECRETARY)
    assert response.status_code == 302
    assert not any(value.startswith("remember_token=") for value in response.headers.getlist("Set-Cookie"))


def test_a_forged_remember_me_cookie_signs_nobody_in(app, browser):
    """Flask-Login honours a valid remember cookie by default: ours signs in only with an open session."""
    admin = _user("admin")
    browser.client.set_cookie("remember_token", f"{admin.id}|{_cookie_digest(str(admin.id))}")
    assert _signed_out(browser, "/admin/users")


def test_a_session_cookie_without_a_server_session_is_signed_out(app, browser):
    """The forgery of the issue: a cookie signed with the key, naming the admin, but no session of ours."""
    admin = _user("admin")
    serializer = app.session_interface.get_signing_serializer(app)
    for forged in ({"_user_id": str(admin.id), "_fresh": True},
                   {"_user_id": str(admin.id), "sid": "made-up-token"},
                   {"_user_id": str(admin.id), "sid": ["not", "a", "string"]},
                   {"_user_id": "x" * 500, "sid": "made-up-token"}):
        browser.client.set_cookie("session", serializer.dumps(forged))
        assert _signed_out(browser, "/admin/users"), forged


def test_ones_own_session_token_does_not_open_another_users_account(app, as_user):
    secretary = as_user(SECRETARY)
    serializer = app.session_interface.get_signing_serializer(app)
    mine = serializer.loads(secretary.client.get_cookie("session").value)
    secretary.client.set_cookie("session", serializer.dumps({**mine, "_user_id": str(_user("admin").id)}))
    assert _signed_out(secretary, "/admin/users")


# --- a new password, a reset, roles, deactivation ------------------------------------------------------


def test_a_password_change_ends_the_other_sessions_and_keeps_this_one(app, as_user):
    here, elsewhere = as_user(SECRETARY), as_user(SECRETARY)
    thief = _copy(app, elsewhere)
    changed = here.post("/password", {"current_password": DEMO_PASSWORD, "new_password": STRONG, "confirm": STRONG})
    assert redirect_path(changed) == "/inbox"
    assert here.get("/inbox").status_code == 200
    assert _signed_out(elsewhere) and _signed_out(thief)
    reasons = [row.end_reason for row in _sessions(SECRETARY)]
    assert reasons == [None, "password_changed"]
    [event] = events("session_ended")
    assert event.payload == {"user_id": _user(SECRETARY).id, "reason": "password_changed", "sessions": 1}


def test_a_refused_password_change_ends_nothing(as_user):
    here, elsewhere = as_user(SECRETARY), as_user(SECRETARY)
    own_name = _user(SECRETARY).full_name.replace(" ", "-") + "-1990"  # e.g. Nguyễn-Văn-An-1990
    before = db_state()
    refused = here.post("/password", {"current_password": DEMO_PASSWORD, "new_password": own_name,
                                      "confirm": own_name})
    assert refused.status_code == 422
    assert db_state() == before
    assert elsewhere.get("/inbox").status_code == 200
    assert [row.end_reason for row in _sessions(SECRETARY)] == [None, None]


def _admin_page(as_user, username):
    return as_user("admin"), f"/admin/users/{_user(username).id}"


def test_an_admin_password_reset_ends_every_session_of_the_user(app, as_user):
    phone, desk = as_user(SECRETARY), as_user(SECRETARY)
    thief = _copy(app, phone)
    admin, page = _admin_page(as_user, SECRETARY)
    assert redirect_path(admin.post(f"{page}/password", {"password": STRONG}, token_from=page)) == page
    assert _signed_out(phone) and _signed_out(desk) and _signed_out(thief)
    assert [row.end_reason for row in _sessions(SECRETARY)] == ["password_reset", "password_reset"]
    [event] = events("session_ended")
    assert event.actor_id == _user("admin").id
    assert event.payload == {"user_id": _user(SECRETARY).id, "reason": "password_reset", "sessions": 2}
    assert admin.get("/admin/users").status_code == 200  # the administrator's own session is untouched


def test_a_refused_reset_ends_no_session(as_user):
    phone = as_user(SECRETARY)
    admin, page = _admin_page(as_user, SECRETARY)
    before = db_state()
    refused = admin.post(f"{page}/password", {"password": "tq-ln-thpt.cell_secretary"}, token_from=page)
    assert refused.status_code == 422
    assert "Mật khẩu không được chứa tên đăng nhập hay họ tên của người dùng." in visible_text(refused)
    assert db_state() == before
    assert phone.get("/inbox").status_code == 200


def test_a_role_granted_or_withdrawn_ends_every_session_of_the_user(world, as_user):
    admin, page = _admin_page(as_user, SECRETARY)
    secretary = as_user(SECRETARY)
    cell = world.cells["TQ-LN-THPT"].id
    assert redirect_path(admin.post(f"{page}/roles", {"role": "verifier", "unit_id": str(cell)},
                                    token_from=page)) == page
    assert _signed_out(secretary)

    secretary = as_user(SECRETARY)  # signs in again: two roles now, asked to pick one
    assignment = db.session.execute(select(RoleAssignment.id).where(
        RoleAssignment.user_id == _user(SECRETARY).id, RoleAssignment.role == "verifier")).scalar_one()
    assert redirect_path(admin.post(f"{page}/roles/{assignment}/revoke", {}, token_from=page)) == page
    assert _signed_out(secretary)
    assert [row.end_reason for row in _sessions(SECRETARY)] == ["roles_changed", "roles_changed"]


def test_deactivation_ends_every_session_and_reactivation_revives_none(app, as_user):
    secretary = as_user(SECRETARY)
    thief = _copy(app, secretary)
    admin, page = _admin_page(as_user, SECRETARY)
    admin.post(f"{page}/active", {"active": "0"}, token_from=page)
    admin.post(f"{page}/active", {"active": "1"}, token_from=page)
    assert _signed_out(secretary) and _signed_out(thief)
    assert [row.end_reason for row in _sessions(SECRETARY)] == ["deactivated"]


# --- lifetimes --------------------------------------------------------------------------------------


def _age(username, **changes):
    """Move the user's open session back in time (what waiting would do)."""
    [row] = [row for row in _sessions(username) if row.ended_at is None]
    for column, delta in changes.items():
        setattr(row, column, getattr(row, column) - delta)
    db.session.commit()
    return row.id


def test_a_session_unused_for_the_idle_lifetime_ends(app, as_user):
    secretary = as_user(SECRETARY)
    idle = timedelta(minutes=app.config["SESSION_IDLE_MINUTES"])
    _age(SECRETARY, last_seen_at=idle - timedelta(minutes=2))
    assert secretary.get("/inbox").status_code == 200  # still within it (and "last seen" is now)
    _age(SECRETARY, last_seen_at=idle + timedelta(seconds=1))
    assert _signed_out(secretary)
    assert [row.end_reason for row in _sessions(SECRETARY)] == ["idle"]


def test_a_session_ends_at_its_absolute_lifetime_however_busy(app, as_user):
    secretary = as_user(SECRETARY)
    _age(SECRETARY, created_at=timedelta(hours=app.config["SESSION_MAX_HOURS"], seconds=1))
    assert _signed_out(secretary)
    assert [row.end_reason for row in _sessions(SECRETARY)] == ["expired"]


def test_last_seen_is_written_at_most_once_a_minute(as_user):
    secretary = as_user(SECRETARY)
    [first] = _sessions(SECRETARY)
    seen = first.last_seen_at
    for _ in range(3):
        assert secretary.get("/inbox").status_code == 200
    assert _sessions(SECRETARY)[0].last_seen_at == seen  # reading pages did not write
    _age(SECRETARY, last_seen_at=timedelta(minutes=2))
    secretary.get("/inbox")
    assert _sessions(SECRETARY)[0].last_seen_at > seen - timedelta(minutes=2)


def test_only_a_hash_of_the_token_is_stored(app, as_user):
    secretary = as_user(SECRETARY)
    serializer = app.session_interface.get_signing_serializer(app)
    token = serializer.loads(secretary.client.get_cookie("session").value)["sid"]
    [row] = _sessions(SECRETARY)
    assert len(token) >= 40 and token not in row.token_hash and len(row.token_hash) == 64
