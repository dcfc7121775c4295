"""Sign-in throttling as an attacker tries it: lock out a committee, guess from one address, probe names.

The attacker's browser and the real user's are separate test clients with their own cookies and,
where it matters, their own addresses (REMOTE_ADDR).
"""
import pytest
from flask import Flask, request
from sqlalchemy import func, select
from werkzeug.security import generate_password_hash

import webapp.services.auth as auth
from webapp.auth import addresses
from webapp.auth.devices import COOKIE
from webapp.demo import DEMO_PASSWORD
from webapp.extensions import db
from webapp.models import SignInAttempt, User

from .conftest import Browser
from .helpers import db_state, events, redirect_path, texts

COMMITTEE = "tq-ln.standing_committee"
WRONG = "Tên đăng nhập hoặc mật khẩu không đúng."
THROTTLED = "Đăng nhập sai quá nhiều lần. Thử lại sau"
STRANGER, OFFICE = "203.0.113.66", "198.51.100.7"


class Visitor(Browser):
    """A browser at one address."""

    def __init__(self, client, address):
        super().__init__(client)
        self.address = address

    def _open(self, method, url, **kwargs):
        return super()._open(method, url, environ_base={"REMOTE_ADDR": self.address}, **kwargs)


@pytest.fixture()
def at(app, world):
    return lambda address: Visitor(app.test_client(), address)


def _message(response):
    found = texts(response, "//input[@name='password']/following-sibling::div[contains(@class, 'invalid-feedback')]")
    return found[0] if found else None


def _attempts(**where):
    db.session.expire_all()
    return db.session.execute(select(func.count()).select_from(SignInAttempt).filter_by(**where)).scalar()


def _signs_in(visitor, username=COMMITTEE, password=DEMO_PASSWORD):
    return redirect_path(visitor.login(username, password)) == "/inbox"


def _known_device(at, address=OFFICE, username=COMMITTEE):
    """The member's own browser: it signed in once (so it holds the known-device cookie), then signed out."""
    member = at(address)
    assert _signs_in(member, username)
    assert member.client.get_cookie(COOKIE, path="/login") is not None
    member.post("/logout", {}, token_from="/inbox")
    return member


# --- a stranger cannot lock a real user out --------------------------------------------------------------


def test_a_stranger_guessing_a_committee_name_does_not_lock_its_member_out(app, at):
    member = _known_device(at)
    stranger = at(STRANGER)
    answers = [_message(stranger.login(COMMITTEE, f"guess-{n}")) for n in range(8)]
    assert answers[:4] == [WRONG] * 4 and all(a.startswith(THROTTLED) for a in answers[4:])
    assert not _signs_in(stranger)  # the right password from the stranger is throttled too
    assert _signs_in(member)  # … and the member, on their own device, signs in at once
    assert _attempts(username=COMMITTEE, known_device=True) == 0


def test_a_known_device_has_a_budget_of_its_own(app, at):
    member = _known_device(at)
    limit = app.config["SIGNIN_DEVICE_LIMIT"]
    answers = [_message(member.login(COMMITTEE, f"typo-{n}")) for n in range(limit)]
    assert answers[:-1] == [WRONG] * (limit - 1) and answers[-1].startswith(THROTTLED)
    assert not _signs_in(member)
    assert _signs_in(at("192.0.2.10"))  # a stranger's budget for the name was not touched by the device's typos


def test_a_device_cookie_of_another_user_or_a_forged_one_counts_as_a_stranger(app, at):
    other = _known_device(at, username="tq-ln.org_board")
    for _ in range(app.config["SIGNIN_ACCOUNT_LIMIT"]):
        other.login(COMMITTEE, "wrong-password")
    assert _attempts(username=COMMITTEE, known_device=False) == app.config["SIGNIN_ACCOUNT_LIMIT"]
    forged = at("192.0.2.11")
    for value in ("garbage", "eyJhIjoxfQ.bad.signature", "x" * 3000):
        forged.client.set_cookie(COOKIE, value, path="/login")
        response = forged.login(COMMITTEE)
        assert response.status_code == 401 and _message(response).startswith(THROTTLED)


def test_a_device_mark_is_void_after_the_password_changes(app, at):
    member = _known_device(at)
    user = db.session.execute(select(User).where(User.username == COMMITTEE)).scalar_one()
    member.login(COMMITTEE, "wrong")
    assert _attempts(username=COMMITTEE, known_device=True) == 1
    user.password_hash = generate_password_hash(DEMO_PASSWORD, method=app.config["PASSWORD_HASH_METHOD"])
    db.session.commit()  # a new hash (as after a reset): the old device mark no longer matches
    member.login(COMMITTEE, "wrong")
    assert _attempts(username=COMMITTEE, known_device=False) == 1


# --- per address ----------------------------------------------------------------------------------


def test_one_address_is_throttled_whatever_names_it_tries(app, at, world):
    limit = app.config["SIGNIN_ADDRESS_LIMIT"]
    stranger = at(STRANGER)
    names = [f"tq-ln-thpt.{role}" for role in ("cell_secretary", "youth_union", "introducer", "verifier")]
    answers = [_message(stranger.login(names[n % 4] if n % 3 else f"nobody-{n}", f"guess-{n}"))
               for n in range(limit)]
    assert answers[-1].startswith(THROTTLED) and WRONG in answers[:-1]
    assert not _signs_in(stranger, "tq-ch.standing_committee")  # right password, fresh name: still refused
    assert _signs_in(at(OFFICE), "tq-ch.standing_committee")  # other addresses are not slowed
    assert [e.payload["address"] for e in events("login_throttled")] == [STRANGER]
    assert _attempts(address=STRANGER) == limit + 1


def test_a_forwarded_for_header_does_not_change_the_address_without_a_trusted_proxy(app, at):
    stranger = at(STRANGER)
    for n in range(app.config["SIGNIN_ADDRESS_LIMIT"]):
        token = stranger.token("/login")
        stranger._open("post", "/login", headers={"X-Forwarded-For": f"10.0.0.{n}"},
                       data={"username": f"nobody-{n}", "password": "x" * 12, "csrf_token": token})
    assert _attempts(address=STRANGER) == app.config["SIGNIN_ADDRESS_LIMIT"]


def test_trusted_proxies_make_the_forwarded_address_the_clients():
    def seen(proxies, forwarded):
        tiny = Flask(__name__)
        tiny.config["TRUSTED_PROXIES"] = proxies
        tiny.add_url_rule("/", "ip", lambda: request.remote_addr)
        addresses.register(tiny)
        return tiny.test_client().get("/", headers={"X-Forwarded-For": forwarded},
                                      environ_base={"REMOTE_ADDR": "10.1.1.1"}).get_data(as_text=True)
    assert seen(0, "203.0.113.5") == "10.1.1.1"
    assert seen(1, "203.0.113.5") == "203.0.113.5"
    assert seen(1, "6.6.6.6, 203.0.113.5") == "203.0.113.5"  # only the proxy's own entry is believed


# --- the same answers whether the name exists or not ---------------------------------------------------


def test_a_name_that_does_not_exist_gets_exactly_the_answers_a_real_one_gets(app, at):
    def answers(visitor, username):
        out = []
        for n in range(app.config["SIGNIN_ACCOUNT_LIMIT"] + 2):
            response = visitor.login(username, f"guess-{n}")
            out.append((response.status_code, _message(response)))
        return out

    real, ghost = answers(at("192.0.2.21"), COMMITTEE), answers(at("192.0.2.22"), "tq-ln.standing_comittee")
    assert real == ghost
    assert [status for status, _ in real] == [401] * len(real)
    assert real[-1][1].startswith(THROTTLED)


@pytest.mark.parametrize("case", ["unknown", "inactive", "wrong", "throttled", "right"])
def test_every_answer_costs_exactly_one_password_hash_check(app, at, monkeypatch, case):
    """Uniform timing: a locked or unknown account must not answer faster than a real check."""

    visitor = at("192.0.2.30")
    username, password = {"unknown": ("nobody.at.all", DEMO_PASSWORD), "inactive": (COMMITTEE, DEMO_PASSWORD),
                          "wrong": (COMMITTEE, "wrong-one"), "throttled": (COMMITTEE, DEMO_PASSWORD),
                          "right": (COMMITTEE, DEMO_PASSWORD)}[case]
    if case == "inactive":
        db.session.execute(select(User).where(User.username == COMMITTEE)).scalar_one().active = False
        db.session.commit()
    if case == "throttled":
        for n in range(app.config["SIGNIN_ACCOUNT_LIMIT"]):
            visitor.login(COMMITTEE, f"wrong-{n}")
    checks = []
    real_check = auth.check_password_hash
    monkeypatch.setattr(auth, "check_password_hash", lambda stored, given: checks.append(
        stored.split("$")[0]) or real_check(stored, given))
    visitor.login(username, password)
    assert checks == [app.config["PASSWORD_HASH_METHOD"]]  # one check, made with the real users' method


def test_hostile_sign_in_input_is_answered_and_changes_nothing_but_the_count(at):
    visitor = at("192.0.2.40")
    before = db_state()
    for username in ("' OR 1=1 --", "admin\x00", "ADMIN ", "a" * 80, "tq-ln.standing_committee\u202e"):
        response = visitor.login(username, "x" * 200)
        assert response.status_code == 401 and _message(response) == WRONG, username
    assert db_state() == before
    assert _attempts(address="192.0.2.40") == 5
    assert _attempts(username="admin") == 1  # "ADMIN " is counted as the name sign-in matches


def test_a_successful_sign_in_forgives_that_users_own_mistakes_from_that_address(app, at):
    member = at(OFFICE)
    for n in range(app.config["SIGNIN_ACCOUNT_LIMIT"] - 1):
        member.login(COMMITTEE, f"typo-{n}")
    assert _signs_in(member)
    assert _attempts(username=COMMITTEE) == 0
